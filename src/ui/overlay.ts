// What the live view draws for one face: its box and label, and the tone of the label.
import type { PixelBox } from '../domain/geometry.ts';

export interface OverlayFace {
  box: PixelBox;
  text: string;
  tone: 'known' | 'unknown' | 'neutral';
  /** The figures behind a name (shown on hover in the list of faces). */
  detail?: string;
  /** The anti-spoofing verdict, when the live check is on. */
  spoof?: 'real' | 'photo';
}
