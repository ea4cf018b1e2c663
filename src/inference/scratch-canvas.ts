// A canvas for pixel work in the inference worker and in the page fallback alike: an OffscreenCanvas
// where the browser has one, else the page's own <canvas>. The worker's TypeScript program has the
// WebWorker library and no DOM, so the page's canvas is reached through `globalThis` and described by
// the part of its API that both kinds share.

export interface ScratchCanvas {
  width: number;
  height: number;
  getContext(type: '2d', options?: { willReadFrequently?: boolean }): OffscreenCanvasRenderingContext2D | null;
  getContext(type: 'webgl2' | 'webgl'): WebGLRenderingContext | null;
  /** An image file of the canvas (OffscreenCanvas.convertToBlob, or the page canvas's toBlob). */
  encode(type: string, quality: number): Promise<Blob>;
}

interface PageCanvas {
  width: number;
  height: number;
  getContext: ScratchCanvas['getContext'];
  toBlob(done: (blob: Blob | null) => void, type: string, quality: number): void;
}

type PageDocument = { createElement(tag: 'canvas'): PageCanvas };

/** A canvas of this size, or null where there is none (Node). */
export function scratchCanvas(width: number, height: number): ScratchCanvas | null {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height) as OffscreenCanvas & Partial<ScratchCanvas>;
    canvas.encode = (type, quality) => canvas.convertToBlob({ type, quality });
    return canvas as unknown as ScratchCanvas;
  }
  const page = (globalThis as { document?: PageDocument }).document;
  if (!page) return null;
  const canvas = page.createElement('canvas') as PageCanvas & Partial<ScratchCanvas>;
  canvas.width = width;
  canvas.height = height;
  canvas.encode = (type, quality) => new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(`${type} encoding failed`))), type, quality);
  });
  return canvas as unknown as ScratchCanvas;
}
