// How fast a backend runs one live frame's work (detection on a detection-size frame plus one embedding),
// on dummy input: the first run compiles shaders / wasm kernels (the warm-up, so the camera's first frame
// is not the slow one) and is not counted; the best of the timed runs after it is the figure.
import * as tf from '@tensorflow/tfjs-core';
import type { VisionStack } from './vision-stack.ts';
import { STORED_FACE_SIZE } from './stored-face.ts';

/** @param timed runs after the compiling one (0: warm up only, NaN back). */
export async function liveFrameMs(stack: VisionStack, frameSize: [height: number, width: number], timed: number): Promise<number> {
  const analyzer = stack.analyzer;
  if (!analyzer) return Number.NaN;
  const frame = tf.zeros<tf.Rank.R3>([...frameSize, 3]);
  const face = tf.zeros<tf.Rank.R3>([STORED_FACE_SIZE, STORED_FACE_SIZE, 3]);
  try {
    let best = Number.NaN;
    for (let i = 0; i <= timed; i++) {
      const t0 = performance.now();
      await analyzer.detect(frame, 'every-frame');
      analyzer.detector.warmUpMesh(); // a blank frame has no face for the mesh to run on
      await analyzer.embedStoredFace(face);
      const ms = performance.now() - t0;
      if (i > 0) best = Number.isNaN(best) ? ms : Math.min(best, ms);
    }
    return best;
  } finally {
    frame.dispose();
    face.dispose();
  }
}

/** Live tensors: the leak watch the live view reports with every frame. */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

/**
 * Calls `onLost` when the WebGL backend's context is lost (a GPU reset, a crashed GPU process): every
 * later tfjs call would fail or return garbage. Also offers the fault tests a way to cause it.
 */
export function watchWebglContext(onLost: () => void): void {
  // The context's canvas (an OffscreenCanvas in the worker) is only an event target here.
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext & { canvas: EventTarget } } }).gpgpu?.gl;
  gl?.canvas.addEventListener('webglcontextlost', (e: Event) => {
    e.preventDefault();
    onLost();
  });
  (globalThis as { visageLoseWebgl?: () => void }).visageLoseWebgl = () => gl?.getExtension('WEBGL_lose_context')?.loseContext();
}
