// The UI's only door to inference. For now it runs the vision stack on the main thread; the
// inference worker (with this same surface) replaces it without the UI changing.
import { startVisionStack, type VisionStack } from '../inference/vision-stack.ts';
import type { LoadProgress } from '../inference/verified-model-files.ts';
import type { DetectedFace } from '../inference/face-detector.ts';
import type { BackendName } from '../domain/backend-choice.ts';

export type { LoadProgress, DetectedFace, BackendName };

export interface VisionInfo {
  backend: BackendName;
  renderer: string | null;
  verifiedBytes: number;
  modelIds: string[];
  /** Where inference runs, shown in the status line. */
  thread: 'main';
}

export type FrameSource = HTMLVideoElement | ImageBitmap;

export class VisionClient {
  private constructor(private readonly stack: VisionStack) {}

  static async start(modelsUrl: string, onProgress: (p: LoadProgress) => void): Promise<VisionClient> {
    const source = (path: string) => fetch(new URL(path, modelsUrl));
    return new VisionClient(await startVisionStack({ source, modelsUrl, onProgress }));
  }

  get info(): VisionInfo {
    return {
      backend: this.stack.backend.backend,
      renderer: this.stack.backend.renderer,
      verifiedBytes: this.stack.verifiedBytes,
      modelIds: this.stack.manifest.models.map((m) => m.id),
      thread: 'main',
    };
  }

  detect(frame: FrameSource): Promise<DetectedFace[]> {
    return this.stack.detector.detect(frame);
  }
}
