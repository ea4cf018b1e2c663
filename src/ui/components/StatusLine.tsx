// One line under the video: where inference runs, with which model, how fast, and how many faces.
import { useSyncExternalStore } from 'react';
import type { VisionInfo } from '../../worker/vision-client.ts';

function subscribeOnline(changed: () => void): () => void {
  window.addEventListener('online', changed);
  window.addEventListener('offline', changed);
  return () => {
    window.removeEventListener('online', changed);
    window.removeEventListener('offline', changed);
  };
}

interface Props {
  info: VisionInfo;
  /** Frames labelled per second over the last second; null until a second has been measured. */
  fps: number | null;
  faces: number;
  /** Mean time inference spent per frame over the last second (null where not measured). */
  computeMs: number | null;
  /** tfjs tensors alive in inference (for soak runs; not shown as text). */
  tensors?: number | null;
  mirrored: boolean;
}

export function StatusLine({ info, fps, faces, computeMs, tensors = null, mirrored }: Props) {
  const offline = useSyncExternalStore(subscribeOnline, () => !navigator.onLine);
  return (
    <p className="status" data-testid="status" data-backend={info.backend} data-thread={info.thread} data-restarts={info.restarts} data-faces={faces} data-compute-ms={computeMs === null ? undefined : computeMs.toFixed(1)} data-tensors={tensors ?? undefined}>
      <span>backend: {info.backend}</span>
      <span title={info.threadNote ?? undefined}>{info.thread === 'worker' ? 'in a worker' : 'on the page'}</span>
      {info.restarts > 0 && <span>inference restarted {info.restarts}×</span>}
      <span>model: {info.modelId}</span>
      <span>{fps === null ? 'measuring fps…' : `${fps.toFixed(1)} fps`}</span>
      {computeMs !== null && <span>{computeMs.toFixed(0)} ms/frame</span>}
      <span>{faces} {faces === 1 ? 'face' : 'faces'}</span>
      {mirrored && <span>mirrored</span>}
      {offline && <span data-testid="offline">offline: everything still works here</span>}
    </p>
  );
}
