// One line under the video: where inference runs, with which model, how fast, and how many faces.
import type { VisionInfo } from '../../worker/vision-client.ts';

interface Props {
  info: VisionInfo;
  fps: number;
  faces: number;
  mirrored: boolean;
}

export function StatusLine({ info, fps, faces, mirrored }: Props) {
  return (
    <p className="status" data-testid="status" data-backend={info.backend} data-faces={faces}>
      <span>backend: {info.backend}</span>
      <span>model: {info.modelId}</span>
      <span>{fps.toFixed(1)} fps</span>
      <span>{faces} {faces === 1 ? 'face' : 'faces'}</span>
      {mirrored && <span>mirrored</span>}
    </p>
  );
}
