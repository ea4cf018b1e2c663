import { describe, expect, it } from 'vitest';
import { classifyCameraError, shouldMirror } from '../../../src/domain/camera-state.ts';

describe('camera errors', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['PermissionDeniedError', 'denied'],
    ['NotFoundError', 'no-camera'],
    ['OverconstrainedError', 'no-camera'],
    ['NotReadableError', 'in-use'],
    ['AbortError', 'in-use'],
    ['SecurityError', 'insecure'],
    ['SomethingNew', 'failed'],
  ])('%s means %s', (name, problem) => {
    expect(classifyCameraError(name)).toBe(problem);
  });

  it('mirrors front and desktop cameras, never a rear camera', () => {
    expect(shouldMirror('user')).toBe(true);
    expect(shouldMirror(undefined)).toBe(true);
    expect(shouldMirror('environment')).toBe(false);
  });
});
