// Camera enrollment, frame by frame: every half second a capture is gated (quality, and the replay check
// when it is on) and the pose guide (domain/pose-guide.ts) takes it only when the prompt's head pose is
// reached. It stops by itself after five samples, or says why it stalled and what the user can do.
import { useCallback, useRef, useState } from 'react';
import { gate, SAMPLES_PER_ENROLLMENT } from '../../domain/enrollment.ts';
import { PoseGuide, STEP_TIMEOUT_MS } from '../../domain/pose-guide.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { CapturedSample } from '../../worker/protocol.ts';
import type { OverlayFace } from '../overlay.ts';

const CAPTURE_EVERY_MS = 500;

interface Options {
  client: VisionClient;
  spoofCheck: boolean;
  /** The model's threshold: how alike two samples may be before the second is a near-copy. */
  threshold: number;
  /** Samples the enrollment holds so far (from the camera and from photos). */
  taken: number;
  /** Adds a sample, keeping at most `limit` in all. */
  accept: (sample: CapturedSample, limit: number) => void;
}

export function useCameraCapture({ client, spoofCheck, threshold, taken, accept }: Options) {
  const [capturing, setCapturing] = useState(false);
  const [prompt, setPrompt] = useState('');
  const [feedback, setFeedback] = useState('');
  /** Why the capture stopped before its five samples, and what the user can do. */
  const [stalled, setStalled] = useState('');
  /** The head pose of the last capture that passed the quality gate (shown to tests, and in the DOM for support). */
  const [lastPose, setLastPose] = useState<{ yawDeg: number; pitchDeg: number } | null>(null);
  /** The prompts and the samples they have earned (photos are not asked to turn). */
  const guide = useRef<PoseGuide | null>(null);
  const lastCapture = useRef(0);

  // Capturing stops by itself once enough samples are in.
  const active = capturing && taken < SAMPLES_PER_ENROLLMENT;

  const stall = useCallback((why: string) => {
    setCapturing(false);
    const earned = guide.current?.taken ?? 0;
    const goOn = earned > 0 ? ` Save the ${earned} sample${earned === 1 ? '' : 's'} taken, try again,` : ' Try again';
    setStalled(`${why}${goOn} or add photos instead.`);
    setFeedback('');
  }, []);

  /** Sets up the prompts: kept, with the clock started again, when the user keeps trying. */
  const prepare = useCallback((keepTrying: boolean) => {
    if (guide.current && keepTrying) guide.current.restart(performance.now());
    else guide.current = new PoseGuide(performance.now(), threshold);
    setPrompt(guide.current.step?.prompt ?? '');
  }, [threshold]);

  const begin = useCallback(() => setCapturing(true), []);
  const stop = useCallback(() => setCapturing(false), []);
  const clearStalled = useCallback(() => setStalled(''), []);
  /** The samples were discarded: the prompts start from the first again. */
  const reset = useCallback(() => {
    setFeedback('');
    setStalled('');
    guide.current = null;
  }, []);

  /** One frame of an active capture, with its faces to draw; null when no capture is due on this frame. */
  const step = useCallback(async (video: HTMLVideoElement): Promise<OverlayFace[] | null> => {
    const now = performance.now();
    if (!active || now - lastCapture.current < CAPTURE_EVERY_MS) return null;
    lastCapture.current = now;
    const candidates = await client.capture(video, spoofCheck);
    const { sample, verdict } = gate(candidates);
    const poses = guide.current;
    let took = false;
    if (sample && poses) {
      const pose = { yawDeg: sample.quality.yawDeg, pitchDeg: sample.quality.pitchDeg };
      setLastPose(pose);
      const judged = poses.judge(pose, sample.embedding, performance.now());
      if (judged.kind === 'take') {
        poses.take(pose, sample.embedding, performance.now());
        // A capture already on its way when the fifth sample came in must not make a sixth.
        accept(sample, SAMPLES_PER_ENROLLMENT);
        setFeedback('Sample accepted.');
        setPrompt(poses.step?.prompt ?? '');
        took = true;
      } else if (judged.kind === 'timed-out') {
        stall(judged.message);
      } else {
        setFeedback(judged.reason === 'duplicate' ? 'The same as a sample already taken: move a little.' : '');
      }
    } else if (poses?.expired(performance.now())) {
      const why = verdict.problems.map((p) => p.message).join(' ');
      const spoofed = verdict.problems.some((p) => p.problem === 'spoof');
      stall(`For ${STEP_TIMEOUT_MS / 1000} s every frame was refused: ${why}${spoofed ? ' More light and a plain background help; the check can be turned off in Settings › Photos and screens.' : ''}`);
    } else {
      setFeedback(verdict.problems.map((p) => p.message).join(' '));
    }
    return candidates.map((c): OverlayFace => ({ box: c.face.box, text: took && sample === c ? 'OK' : '', tone: took && sample === c ? 'known' : 'unknown' }));
  }, [active, client, accept, spoofCheck, stall]);

  return { capturing, active, prompt, feedback, stalled, lastPose, prepare, begin, stop, clearStalled, reset, step };
}
