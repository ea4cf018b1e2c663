// A face is labelled only once it has been seen in two consecutive frames at about the same place:
// one-frame phantoms (a patch of hair or background the detector briefly takes for a face) never get
// a "Not in database" label. Costs one frame of delay for a new face. (Full tracking: issue 6.)
import { iou, type PixelBox } from './geometry.ts';

export class PersistenceFilter {
  private previous: PixelBox[] = [];

  constructor(private readonly minIou = 0.3) {}

  filter<T extends { box: PixelBox }>(faces: readonly T[]): T[] {
    const shown = faces.filter((f) => this.previous.some((p) => iou(p, f.box) >= this.minIou));
    this.previous = faces.map((f) => f.box);
    return shown;
  }
}
