// The liveness challenge before a camera enrollment: the person turns their head to one side and then
// the other. A printed photo or a still on a screen cannot do that (the mesh's yaw stays put); tilting a
// flat photo barely moves the yaw the mesh reads. Which side first does not matter, so a mirrored
// preview cannot confuse anyone.

/** Degrees of yaw each way that count as a turn (enrollment itself accepts up to 30). */
export const TURN_DEG = 15;
/** Time allowed for both turns. */
export const CHALLENGE_MS = 15_000;
/** The face may leave the picture this long (a blink of the tracker) before the turns seen so far are lost. */
const FACE_GAP_MS = 1_000;

export type ChallengeState =
  | { kind: 'running'; turnedOneWay: boolean; turnedOtherWay: boolean; prompt: string }
  | { kind: 'passed' }
  | { kind: 'failed'; message: string };

export class HeadTurnChallenge {
  private minYaw = Number.POSITIVE_INFINITY;
  private maxYaw = Number.NEGATIVE_INFINITY;
  private lastFaceAt: number;

  constructor(private readonly startedAt: number) {
    this.lastFaceAt = startedAt;
  }

  /** Feeds the yaw (degrees) of every face in one frame. */
  observe(yawsDeg: readonly number[], now: number): ChallengeState {
    if (yawsDeg.length === 1) {
      const yaw = yawsDeg[0] as number;
      if (now - this.lastFaceAt > FACE_GAP_MS) {
        // The face was away: whoever came back starts over.
        this.minYaw = Number.POSITIVE_INFINITY;
        this.maxYaw = Number.NEGATIVE_INFINITY;
      }
      this.lastFaceAt = now;
      this.minYaw = Math.min(this.minYaw, yaw);
      this.maxYaw = Math.max(this.maxYaw, yaw);
    }
    const left = this.minYaw <= -TURN_DEG;
    const right = this.maxYaw >= TURN_DEG;
    if (left && right) return { kind: 'passed' };
    if (now - this.startedAt > CHALLENGE_MS) {
      return {
        kind: 'failed',
        message: `No head turn seen in ${CHALLENGE_MS / 1000} s. A photo cannot turn its head: if you are in front of the camera, turn a little further each way and try again, or add photos instead.`,
      };
    }
    let prompt = 'Turn your head slowly to one side, then to the other.';
    if (yawsDeg.length === 0) prompt = 'Look at the camera.';
    else if (yawsDeg.length > 1) prompt = 'Only the person enrolling should be in view.';
    else if (left || right) prompt = 'Good — now turn to the other side.';
    return { kind: 'running', turnedOneWay: left || right, turnedOtherWay: left && right, prompt };
  }
}
