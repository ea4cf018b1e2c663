// Asks for the camera and follows its state: requesting, running (with mirroring), or a problem
// the user can act on. Stops the tracks when the component goes away.
import { useCallback, useEffect, useRef, useState } from 'react';
import { classifyCameraError, shouldMirror, type CameraState } from '../../domain/camera-state.ts';

export interface Camera {
  state: CameraState;
  stream: MediaStream | null;
  retry: () => void;
}

/** Why this page can never get a camera, or null when it can ask. */
function cameraUnavailable(): CameraState | null {
  if (!window.isSecureContext) {
    return { kind: 'problem', problem: 'insecure', detail: 'The camera needs HTTPS or localhost.' };
  }
  if (!navigator.mediaDevices?.getUserMedia) {
    return { kind: 'problem', problem: 'unsupported', detail: 'This browser has no camera API.' };
  }
  return null;
}

export function useCamera(): Camera {
  const [state, setState] = useState<CameraState>(() => cameraUnavailable() ?? { kind: 'requesting' });
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [attempt, setAttempt] = useState(0);
  const streamRef = useRef<MediaStream | null>(null);

  useEffect(() => {
    let cancelled = false;
    if (cameraUnavailable()) return;
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then((s) => {
        if (cancelled) {
          for (const t of s.getTracks()) t.stop();
          return;
        }
        const track = s.getVideoTracks()[0];
        const settings = track?.getSettings() ?? {};
        streamRef.current = s;
        setStream(s);
        setState({
          kind: 'running',
          label: track?.label ?? 'camera',
          mirrored: shouldMirror(settings.facingMode),
          width: settings.width ?? 0,
          height: settings.height ?? 0,
        });
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        const name = e instanceof DOMException || e instanceof Error ? e.name : 'Error';
        const detail = e instanceof Error ? e.message : String(e);
        setState({ kind: 'problem', problem: classifyCameraError(name), detail });
      });
    return () => {
      cancelled = true;
      for (const t of streamRef.current?.getTracks() ?? []) t.stop();
      streamRef.current = null;
    };
  }, [attempt]);

  const retry = useCallback(() => {
    setState(cameraUnavailable() ?? { kind: 'requesting' });
    setAttempt((n) => n + 1);
  }, []);
  return { state, stream, retry };
}
