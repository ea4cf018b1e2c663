// Asks for the camera (a chosen one, or the default) and follows its state: requesting, running (with
// mirroring), or a problem the user can act on. Lists the cameras once permission is granted.
import { useCallback, useEffect, useRef, useState } from 'react';
import { classifyCameraError, shouldMirror, type CameraState } from '../../domain/camera-state.ts';
import { markStartup } from '../startup-marks.ts';
import { errorMessage } from '../error-message.ts';

export interface Camera {
  state: CameraState;
  stream: MediaStream | null;
  cameras: MediaDeviceInfo[];
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

/** While a camera that was running is gone, how often to look for it again. */
const RECONNECT_MS = 2000;

export function useCamera(deviceId: string | null): Camera {
  const [state, setState] = useState<CameraState>(() => cameraUnavailable() ?? { kind: 'requesting' });
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [attempt, setAttempt] = useState(0);
  const streamRef = useRef<MediaStream | null>(null);
  /** Set while a camera that was running is gone: failures then keep waiting for it instead of giving up. */
  const reconnecting = useRef(false);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (cameraUnavailable()) return;
    const lookAgain = () => {
      if (!cancelled) timer = setTimeout(() => setAttempt((n) => n + 1), RECONNECT_MS);
    };
    const lost = (detail: string) => {
      if (cancelled) return;
      reconnecting.current = true;
      setStream(null);
      setState({ kind: 'problem', problem: 'disconnected', detail });
      lookAgain();
    };
    const video: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };
    if (deviceId) video.deviceId = { exact: deviceId };
    navigator.mediaDevices
      .getUserMedia({ video, audio: false })
      .then(async (s) => {
        if (cancelled) {
          for (const t of s.getTracks()) t.stop();
          return;
        }
        const track = s.getVideoTracks()[0];
        const settings = track?.getSettings() ?? {};
        reconnecting.current = false;
        // Unplugged, switched off, or taken by the system: wait for it and resume by ourselves.
        track?.addEventListener('ended', () => lost(`${track.label || 'The camera'} stopped sending frames.`));
        streamRef.current = s;
        markStartup('camera-ready');
        setStream(s);
        setState({
          kind: 'running',
          label: track?.label ?? 'camera',
          mirrored: shouldMirror(settings.facingMode),
          width: settings.width ?? 0,
          height: settings.height ?? 0,
        });
        // Labels are only readable after permission: list the cameras now.
        const devices = await navigator.mediaDevices.enumerateDevices();
        if (!cancelled) setCameras(devices.filter((d) => d.kind === 'videoinput'));
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        const name = e instanceof DOMException || e instanceof Error ? e.name : 'Error';
        const detail = errorMessage(e);
        const problem = classifyCameraError(name);
        // Still gone (or still busy) after a disconnect: keep waiting, unless the user now refuses it.
        if (reconnecting.current && problem !== 'denied') lost(detail);
        else setState({ kind: 'problem', problem, detail });
      });
    const onDevices = () => {
      if (reconnecting.current) setAttempt((n) => n + 1);
    };
    navigator.mediaDevices.addEventListener('devicechange', onDevices);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      navigator.mediaDevices.removeEventListener('devicechange', onDevices);
      for (const t of streamRef.current?.getTracks() ?? []) t.stop();
      streamRef.current = null;
    };
  }, [attempt, deviceId]);

  const retry = useCallback(() => {
    setState(cameraUnavailable() ?? { kind: 'requesting' });
    setAttempt((n) => n + 1);
  }, []);
  return { state, stream, cameras, retry };
}
