// The optional head-turn challenge before a camera enrollment (domain/head-turn-challenge.ts), frame by
// frame: the Enroll screen's live view hands it frames while it runs, and it says when it passed or failed.
import { useCallback, useRef, useState } from 'react';
import { HeadTurnChallenge, type ChallengeState } from '../../domain/head-turn-challenge.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { OverlayFace } from '../overlay.ts';

const degrees = (rad: number) => (rad * 180) / Math.PI;
const FIRST_PROMPT = 'Turn your head slowly to one side, then to the other.';

export function useHeadTurnChallenge(client: VisionClient, onPassed: () => void, onFailed: (message: string) => void) {
  const run = useRef<HeadTurnChallenge | null>(null);
  const [state, setState] = useState<ChallengeState | null>(null);

  const start = useCallback(() => {
    run.current = new HeadTurnChallenge(performance.now());
    setState({ kind: 'running', turnedOneWay: false, turnedOtherWay: false, prompt: FIRST_PROMPT });
  }, []);

  const cancel = useCallback(() => {
    run.current = null;
    setState(null);
  }, []);

  /** Whether a challenge is under way now (read at the moment, not at the last render). */
  const isRunning = useCallback(() => run.current !== null, []);

  /** One frame of a running challenge, with its faces to draw; null when none is running. */
  const step = useCallback(async (video: HTMLVideoElement): Promise<OverlayFace[] | null> => {
    const current = run.current;
    if (!current) return null;
    const now = performance.now();
    const { faces } = await client.analyze(video, false);
    const next = current.observe(faces.map((f) => degrees(f.yaw)), now);
    setState(next);
    if (next.kind !== 'running') run.current = null;
    if (next.kind === 'passed') onPassed();
    if (next.kind === 'failed') onFailed(next.message);
    return faces.map((f): OverlayFace => ({ box: f.box, text: '', tone: 'neutral' }));
  }, [client, onPassed, onFailed]);

  return { state, start, cancel, isRunning, step };
}
