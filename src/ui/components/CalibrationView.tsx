// Where to set the threshold, from the user's own enrolled samples: same-person and different-person
// distances as two histograms, the threshold drawn over them (drag it), what it would miss and wrongly
// name, and which people sit close to each other.
import { useMemo, useState, type PointerEvent } from 'react';
import { calibrationSamples, enrolledDistances, histogram, nearestOthers, ratesAt, samplesTooAlike } from '../../domain/calibration.ts';
import type { Gallery, MatchPolicy } from '../../domain/matching.ts';
import type { Person } from '../../domain/people.ts';

interface Props {
  gallery: Gallery;
  people: Person[];
  /** The threshold in use and the margin the decision also asks for. */
  policy: MatchPolicy;
  onThreshold: (threshold: number) => void;
}

const W = 640;
const H = 180;
const PAD = { left: 8, right: 8, top: 10, bottom: 26 };
const BINS = 48;

const percent = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);

export function CalibrationView({ gallery, people, policy, onThreshold }: Props) {
  /** The threshold while dragging; saved when the pointer is released. */
  const [dragging, setDragging] = useState<number | null>(null);
  const threshold = dragging ?? policy.threshold;
  const all = useMemo(() => gallery.samples(), [gallery]);
  const samples = useMemo(() => calibrationSamples(all), [all]);
  const sets = useMemo(() => enrolledDistances(samples), [samples]);
  const max = useMemo(() => {
    const all = [...sets.same, ...sets.different, policy.threshold];
    return Math.min(4, Math.max(...all) * 1.1);
  }, [sets, policy.threshold]);
  const bars = useMemo(() => {
    const same = histogram(sets.same, BINS, max);
    const different = histogram(sets.different, BINS, max);
    // Each set as a share of its own pairs, so the few same-person pairs stay visible beside the many others.
    const share = (counts: number[], total: number) => counts.map((c) => (total ? c / total : 0));
    return { same: share(same, sets.same.length), different: share(different, sets.different.length) };
  }, [sets, max]);
  const tallest = Math.max(0.01, ...bars.same, ...bars.different);
  const rates = ratesAt(sets, threshold);
  const names = new Map(people.map((p) => [p.id, p.name]));
  // O(n²) once per gallery, not per drag step: closeness to the threshold is judged below, at render.
  const close = useMemo(() => nearestOthers(samples, 0), [samples]);

  const x = (d: number) => PAD.left + (d / max) * (W - PAD.left - PAD.right);
  const barW = (W - PAD.left - PAD.right) / BINS;
  const y = (share: number) => PAD.top + (1 - share / tallest) * (H - PAD.top - PAD.bottom);
  const toDistance = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const frac = ((e.clientX - rect.left) / rect.width * W - PAD.left) / (W - PAD.left - PAD.right);
    return Math.round(Math.min(max, Math.max(0.01, frac * max)) * 1000) / 1000;
  };

  if (samples.length < 2) {
    return <p className="muted" data-testid="calibration-empty">The calibration view needs at least two enrolled samples.</p>;
  }
  return (
    <section className="calibration" data-testid="calibration">
      <h3>Calibration from your enrolled samples</h3>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" data-testid="calibration-histogram"
        data-same={sets.same.length} data-different={sets.different.length}
        aria-label={`Distances: ${sets.same.length} same-person pairs, ${sets.different.length} different-person pairs; threshold ${threshold.toFixed(3)}`}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          setDragging(toDistance(e));
        }}
        onPointerMove={(e) => {
          if (dragging !== null) setDragging(toDistance(e));
        }}
        onPointerUp={(e) => {
          if (dragging === null) return;
          const value = toDistance(e);
          setDragging(null);
          onThreshold(value);
        }}>
        {bars.different.map((share, i) => share > 0 && (
          <rect key={`d${i}`} className="bar-different" x={PAD.left + i * barW} width={barW - 1} y={y(share)} height={H - PAD.bottom - y(share)} />
        ))}
        {bars.same.map((share, i) => share > 0 && (
          <rect key={`s${i}`} className="bar-same" x={PAD.left + i * barW} width={barW - 1} y={y(share)} height={H - PAD.bottom - y(share)} />
        ))}
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="axis" />
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <text key={f} x={x(f * max)} y={H - 8} className="tick" textAnchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}>{(f * max).toFixed(2)}</text>
        ))}
        <g data-testid="calibration-threshold" data-threshold={threshold.toFixed(3)} className="threshold">
          <line x1={x(threshold)} x2={x(threshold)} y1={PAD.top - 6} y2={H - PAD.bottom} />
          <rect x={x(threshold) - 6} y={PAD.top - 8} width={12} height={12} rx={3} />
        </g>
      </svg>
      <p className="legend"><span className="swatch same" /> same person ({sets.same.length} pairs) <span className="swatch different" /> different people ({sets.different.length} pairs) — drag to set the threshold</p>
      <p data-testid="calibration-rates" data-miss={rates.missRate ?? ''} data-false-name={rates.falseNameRate ?? ''}>
        At {threshold.toFixed(3)}: <strong>{percent(rates.falseNameRate)}</strong> of different-person pairs are within it (a false name),
        {samplesTooAlike(sets, threshold)
          ? <span data-testid="calibration-too-alike"> Misses cannot be estimated: each person's samples are near-copies of one picture. Add photos of them from other days or in other light.</span>
          : <>{' '}<strong>{percent(rates.missRate)}</strong> of same-person pairs are beyond it (a miss).</>}
        {sets.same.length === 0 && ' Enroll a second photo of someone to estimate misses.'}
        {sets.different.length === 0 && ' Enroll a second person to estimate false names.'}
        {samples.length < all.length && ` (From ${samples.length} of ${all.length} samples, whole people, to stay quick.)`}
      </p>
      {close.length > 0 && (
        <ul className="close-pairs" data-testid="close-pairs">
          {close.map((c) => {
            const tooClose = c.distance <= threshold + policy.minMargin;
            return (
              <li key={c.personId} data-testid="close-pair" data-person={names.get(c.personId) ?? c.personId} data-close={tooClose} className={tooClose ? 'warning' : undefined}>
                {names.get(c.personId) ?? 'Unknown'}: nearest is {names.get(c.otherId) ?? 'Unknown'} at {c.distance.toFixed(3)}
                {tooClose ? ` — ${names.get(c.personId) ?? ''} and ${names.get(c.otherId) ?? ''} are close: add samples` : ''}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
