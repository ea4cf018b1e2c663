// Is the picture still? A coarse grey thumbnail of each frame, compared with the one at the last
// detection: when a face sits still the detector's answer cannot have changed, and the frame can reuse
// it (up to a time limit), which is most of a live frame's cost.

/**
 * Mean grey level of each `block`×`block` square of an RGB (0-255, interleaved) image, row by row.
 * Averaging blocks, not sampling pixels, keeps sensor noise from looking like motion.
 */
export function greyThumbnail(rgb: ArrayLike<number>, width: number, height: number, block: number): Float32Array {
  const cols = Math.floor(width / block);
  const rows = Math.floor(height / block);
  const out = new Float32Array(cols * rows);
  const area = block * block;
  for (let r = 0; r < rows; r++) {
    for (let y = r * block; y < (r + 1) * block; y++) {
      let i = y * width * 3;
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        for (let x = 0; x < block; x++, i += 3) sum += 0.299 * (rgb[i] as number) + 0.587 * (rgb[i + 1] as number) + 0.114 * (rgb[i + 2] as number);
        out[r * cols + c] = (out[r * cols + c] as number) + sum / area;
      }
    }
  }
  return out;
}

/** Mean absolute difference of two thumbnails of the same size (Infinity when sizes differ). */
export function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}
