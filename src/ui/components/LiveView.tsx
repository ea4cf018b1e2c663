// The live camera with a canvas overlay laid exactly over it. The video is mirrored with CSS for a
// front camera; the overlay is not, and boxes are mirrored in maths instead, so labels stay readable.
// The same labels are listed in the DOM for screen readers (and tests).
import { useEffect, useRef, useState } from 'react';
import { isSoftwareRenderer } from '../../domain/backend-choice.ts';
import { mirrorBox } from '../../domain/geometry.ts';
import { markStartup } from '../startup-marks.ts';
import type { OverlayFace } from '../overlay.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import { StatusLine } from './StatusLine.tsx';

export type { OverlayFace };

/** What a screen does with each frame: the loop calls it with one frame in flight at a time. */
export type FrameProcessor = (video: HTMLVideoElement) => Promise<{ faces: OverlayFace[]; computeMs?: number; tensors?: number }>;

interface Props {
  stream: MediaStream;
  mirrored: boolean;
  client: VisionClient;
  process: FrameProcessor;
}

const TONES = { known: '#4ade80', unknown: '#f87171', neutral: '#38bdf8' } as const;

/**
 * The overlay's drawing context. Where the GPU is software (SwiftShader here) or absent, a GPU-backed 2D
 * canvas makes the page wait for the GPU process at the end of every task that drew on it (Chromium's
 * "GPU backpressure" in CanvasRenderingContext2D::FinalizeFrame): 50–110 ms, every long task a trace of
 * the live view found. A CPU-backed canvas (the willReadFrequently hint) has no such wait: no long task in
 * the same runs since. A real GPU keeps the accelerated canvas.
 */
function overlayContext(canvas: HTMLCanvasElement, renderer: string | null): CanvasRenderingContext2D | null {
  return canvas.getContext('2d', { willReadFrequently: renderer === null || isSoftwareRenderer(renderer) });
}

function draw(ctx: CanvasRenderingContext2D, faces: OverlayFace[], mirrored: boolean): void {
  const canvas = ctx.canvas;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const line = Math.max(2, canvas.width / 320);
  const font = Math.max(14, Math.round(canvas.width / 40));
  ctx.lineWidth = line;
  ctx.font = `600 ${font}px system-ui, sans-serif`;
  ctx.textBaseline = 'bottom';
  for (const face of faces) {
    const box = mirrored ? mirrorBox(face.box, canvas.width) : face.box;
    ctx.strokeStyle = TONES[face.tone];
    ctx.strokeRect(box.x, box.y, box.width, box.height);
    if (!face.text) continue;
    const w = ctx.measureText(face.text).width + 2 * line;
    const y = Math.max(font + 2 * line, box.y);
    ctx.fillStyle = 'rgba(15, 23, 42, 0.8)';
    ctx.fillRect(box.x - line / 2, y - font - 2 * line, w, font + 2 * line);
    ctx.fillStyle = TONES[face.tone];
    ctx.fillText(face.text, box.x + line / 2, y - line);
  }
}

export function LiveView({ stream, mirrored, client, process }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const processRef = useRef(process);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [stats, setStats] = useState({ fps: null as number | null, computeMs: null as number | null, tensors: null as number | null });
  const [labels, setLabels] = useState<{ frame: number; faces: OverlayFace[] }>({ frame: 0, faces: [] });
  const [paused, setPaused] = useState(false);
  const renderer = client.info.renderer;

  useEffect(() => {
    processRef.current = process;
  }, [process]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = stream;
    const onSize = () => {
      if (video.videoWidth > 0) setSize({ width: video.videoWidth, height: video.videoHeight });
    };
    video.addEventListener('loadedmetadata', onSize);
    video.addEventListener('resize', onSize);
    void video.play().catch(() => undefined); // autoplay of a muted camera stream is allowed
    return () => {
      video.removeEventListener('loadedmetadata', onSize);
      video.removeEventListener('resize', onSize);
      video.srcObject = null;
    };
  }, [stream]);

  useEffect(() => {
    const video = videoRef.current;
    const canvas = canvasRef.current;
    const ctx = canvas && overlayContext(canvas, renderer);
    if (!video || !ctx || !size) return;
    let stopped = false;
    let frames = 0;
    let failures = 0;
    let computeSum = 0;
    let computed = 0;
    let since = performance.now();
    let tensorCount: number | null = null;
    // A hidden tab analyses nothing (no one sees it; it would only use the battery): wait to be seen.
    const resumeWhenVisible = () => {
      if (stopped) return;
      if (document.hidden) return;
      document.removeEventListener('visibilitychange', resumeWhenVisible);
      setPaused(false);
      void step();
    };
    // One frame in flight: the next analysis starts only after the last one is drawn.
    const step = async () => {
      if (stopped) return;
      if (document.hidden) {
        setPaused(true);
        document.addEventListener('visibilitychange', resumeWhenVisible);
        return;
      }
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        try {
          markStartup('first-frame');
          const { faces: overlay, computeMs, tensors } = await processRef.current(video);
          // How much of the first frame's round trip was the engine's own work (for the first-label bench).
          markStartup('first-result', computeMs === undefined ? undefined : { computeMs: Math.round(computeMs) });
          if (tensors !== undefined) tensorCount = tensors;
          if (stopped) return;
          if (computeMs !== undefined) {
            computeSum += computeMs;
            computed += 1;
          }
          draw(ctx, overlay, mirrored);
          setLabels((prev) => ({ frame: prev.frame + 1, faces: overlay }));
          frames += 1;
          const now = performance.now();
          if (now - since >= 1000) {
            setStats({ fps: (frames * 1000) / (now - since), computeMs: computed > 0 ? computeSum / computed : null, tensors: tensorCount });
            frames = 0;
            computeSum = 0;
            computed = 0;
            since = now;
          }
          failures = 0;
        } catch (e) {
          console.error('Face analysis failed on a frame', e);
          // Back off while inference keeps failing (a worker restarting, or stopped for good) instead of
          // asking again at once on every frame.
          failures += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** (failures - 1))));
        }
      }
      // Straight on to the next frame: the camera read waits for a fresh frame by itself, and waiting
      // for an animation frame as well cost up to 48 ms per frame here.
      setTimeout(() => void step(), 0);
    };
    void step();
    return () => {
      stopped = true;
      document.removeEventListener('visibilitychange', resumeWhenVisible);
    };
  }, [mirrored, size, renderer]);

  const aspect = size ? `${size.width} / ${size.height}` : '4 / 3';
  // Left to right as the user sees them (mirrored preview reverses image order).
  const ordered = [...labels.faces].sort((a, b) => (mirrored ? b.box.x - a.box.x : a.box.x - b.box.x));
  return (
    <section className="live" data-testid="live" data-paused={paused}>
      <div className="stage" style={{ aspectRatio: aspect }}>
        <video ref={videoRef} data-testid="video" className={mirrored ? 'mirrored' : undefined} muted playsInline autoPlay />
        <canvas ref={canvasRef} data-testid="overlay" width={size?.width ?? 0} height={size?.height ?? 0} aria-hidden="true" />
      </div>
      {/* data-frame counts analysed frames, for benchmarks that follow labels frame by frame. */}
      <ul className="labels" data-testid="labels" data-frame={labels.frame} aria-live="polite" aria-label="Faces in view">
        {ordered.filter((f) => f.text).map((f, i) => (
          <li key={i} data-tone={f.tone} data-spoof={f.spoof} title={f.detail} data-box={[f.box.x, f.box.y, f.box.width, f.box.height].map(Math.round).join(',')}>{f.text}</li>
        ))}
      </ul>
      <StatusLine info={client.info} fps={stats.fps} faces={labels.faces.length} computeMs={stats.computeMs} tensors={stats.tensors} mirrored={mirrored} />
    </section>
  );
}
