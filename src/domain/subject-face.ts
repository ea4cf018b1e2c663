// Which face a photo is "of" when it shows several: the one covering the image centre (how LFW and most
// portraits are framed), the largest of those; failing that, the largest face.
import type { PixelBox } from './geometry.ts';

export function subjectFaceIndex(boxes: readonly PixelBox[], width: number, height: number): number {
  if (boxes.length === 0) return -1;
  const cx = width / 2;
  const cy = height / 2;
  const area = (b: PixelBox) => b.width * b.height;
  const covers = (b: PixelBox) => cx >= b.x && cx <= b.x + b.width && cy >= b.y && cy <= b.y + b.height;
  let best = -1;
  boxes.forEach((b, i) => {
    const current = boxes[best];
    if (!current) {
      best = i;
      return;
    }
    const better = covers(b) !== covers(current) ? covers(b) : area(b) > area(current);
    if (better) best = i;
  });
  return best;
}
