// The camera enrollment's five samples, each earned: a sample is taken only when the head pose the prompt
// asks for is reached (yaw and pitch from the face mesh) and the face is unlike the samples already taken.
// A still photo never turns its head, so it yields its one frontal sample and then a clear message.
import { squaredDistance, type Embedding } from './embedding.ts';

export interface Pose {
  yawDeg: number;
  pitchDeg: number;
}

type StepKind = 'front' | 'turn' | 'turn-back' | 'nod' | 'nod-back';

export interface PoseStep {
  kind: StepKind;
  prompt: string;
  /** Said when the pose was not seen in time. */
  missed: string;
}

export const POSE_STEPS: readonly PoseStep[] = [
  { kind: 'front', prompt: 'Look straight at the camera', missed: 'No face looking straight at the camera' },
  { kind: 'turn', prompt: 'Turn your head slightly to one side', missed: 'No turn of the head' },
  { kind: 'turn-back', prompt: 'Now turn slightly to the other side', missed: 'No turn to the other side' },
  { kind: 'nod', prompt: 'Lift or lower your chin a little', missed: 'No lift or drop of the chin' },
  { kind: 'nod-back', prompt: 'Now move your chin the other way', missed: 'No chin movement the other way' },
];

/**
 * Pose thresholds, in degrees of Human's mesh angles. On 63 LFW photos of five people (a one-off probe,
 * 2026-12-02) frontal faces read yaw −3…+7 and pitch −4…+15 (pitch leans positive: it is the mesh's, not
 * the camera's), and turned ones reach ±10–27° of yaw.
 */
export const TURN_DEG = 7;
export const NOD_DEG = 4;
/** How long a prompt waits for its pose before saying so. */
export const STEP_TIMEOUT_MS = 10_000;
/**
 * A sample closer than this share of the model's threshold to one already taken is the same picture
 * again (frames of a still photo sit at 1–2 % of it, other photos of the same person at 40–90 %).
 */
export const NEAR_DUPLICATE_SHARE = 0.05;

export type PoseVerdict =
  | { kind: 'take' }
  | { kind: 'wait'; reason: 'pose' | 'duplicate' }
  | { kind: 'timed-out'; message: string };

export class PoseGuide {
  private readonly poses: Pose[] = [];
  private readonly embeddings: Embedding[] = [];
  private stepStartedAt: number;

  constructor(now: number, private readonly threshold: number) {
    this.stepStartedAt = now;
  }

  get taken(): number {
    return this.poses.length;
  }

  get step(): PoseStep | null {
    return POSE_STEPS[this.poses.length] ?? null;
  }

  /** Starts the current prompt's clock again (the user chose to keep trying). */
  restart(now: number): void {
    this.stepStartedAt = now;
  }

  /**
   * The first sample is the reference, whatever its pose (the quality gate already refuses a face turned
   * too far): a turn is a change of yaw from it, a nod a change of pitch. "The other way" is past the
   * reference on the other side, or, when the reference was itself turned, back from the first turn by
   * twice the step, so that the samples span both sides between them.
   */
  private reached(kind: StepKind, pose: Pose): boolean {
    const [ref, turn, , nod] = this.poses;
    if (kind === 'front' || !ref) return true;
    const other = (value: number, from: number, first: number | undefined, step: number): boolean => {
      if (first === undefined) return false;
      const side = Math.sign(first - from);
      const past = Math.sign(value - from) === -side && Math.abs(value - from) >= step;
      return past || (value - first) * -side >= 2 * step;
    };
    switch (kind) {
      case 'turn': return Math.abs(pose.yawDeg - ref.yawDeg) >= TURN_DEG;
      case 'turn-back': return other(pose.yawDeg, ref.yawDeg, turn?.yawDeg, TURN_DEG);
      case 'nod': return Math.abs(pose.pitchDeg - ref.pitchDeg) >= NOD_DEG;
      case 'nod-back': return other(pose.pitchDeg, ref.pitchDeg, nod?.pitchDeg, NOD_DEG);
    }
  }

  /** Whether this (quality-checked) capture earns the current prompt's sample. */
  judge(pose: Pose, embedding: Embedding, now: number): PoseVerdict {
    const step = this.step;
    if (!step) return { kind: 'wait', reason: 'pose' };
    if (!this.reached(step.kind, pose)) {
      if (now - this.stepStartedAt < STEP_TIMEOUT_MS) return { kind: 'wait', reason: 'pose' };
      const seconds = Math.round(STEP_TIMEOUT_MS / 1000);
      return { kind: 'timed-out', message: `${step.missed} seen in ${seconds} s.` };
    }
    const floor = NEAR_DUPLICATE_SHARE * this.threshold;
    if (this.embeddings.some((e) => squaredDistance(e, embedding) < floor)) {
      if (now - this.stepStartedAt < STEP_TIMEOUT_MS) return { kind: 'wait', reason: 'duplicate' };
      return { kind: 'timed-out', message: 'Every frame looked the same as a sample already taken (a photo or a still picture?).' };
    }
    return { kind: 'take' };
  }

  /** Whether the current prompt has waited its time with no frame good enough to judge (the quality or photo check refused them all). */
  expired(now: number): boolean {
    return now - this.stepStartedAt >= STEP_TIMEOUT_MS;
  }

  /** Records a taken sample; the next prompt's clock starts now. */
  take(pose: Pose, embedding: Embedding, now: number): void {
    this.poses.push(pose);
    this.embeddings.push(embedding);
    this.stepStartedAt = now;
  }
}
