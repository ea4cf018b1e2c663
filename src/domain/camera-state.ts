// The camera's states as the user sees them, and how getUserMedia's errors map onto them.

/** 'disconnected': the camera was running and its track ended (unplugged, taken, switched off). */
export type CameraProblem = 'denied' | 'no-camera' | 'in-use' | 'insecure' | 'unsupported' | 'failed' | 'disconnected';

export type CameraState =
  | { kind: 'requesting' }
  | { kind: 'running'; label: string; mirrored: boolean; width: number; height: number }
  | { kind: 'problem'; problem: CameraProblem; detail: string };

/** Maps a DOMException name from getUserMedia to what the user can do about it. */
export function classifyCameraError(name: string): CameraProblem {
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no-camera';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    case 'SecurityError':
      return 'insecure';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'failed';
  }
}

/**
 * A front camera is shown mirrored, as people expect of a selfie view. Desktop webcams report no
 * facingMode at all; they face the user, so only an explicit 'environment' camera is left unmirrored.
 */
export function shouldMirror(facingMode: string | undefined): boolean {
  return facingMode !== 'environment';
}
