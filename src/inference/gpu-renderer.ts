// What the GPU says about itself, without tfjs: the page asks it too (to remember a backend per GPU)
// and must not pull tfjs into its bundle for that.
import { scratchCanvas } from './scratch-canvas.ts';

/** The unmasked WebGL renderer string, or null where there is no WebGL (Node, old browsers, disabled GPU). */
export function webglRenderer(): string | null {
  try {
    const canvas = scratchCanvas(1, 1);
    const gl = canvas?.getContext('webgl2') ?? canvas?.getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}
