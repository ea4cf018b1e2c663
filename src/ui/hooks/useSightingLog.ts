// Logs what the live view names into the sightings store: fed every recognised frame, written every few
// seconds (and when the screen closes or the tab hides), so the log costs the live loop nothing.
import { useCallback, useEffect, useRef } from 'react';
import type { PixelBox } from '../../domain/geometry.ts';
import { SightingRecorder, type TrackedFace } from '../../domain/sightings.ts';
import type { VisageStore } from '../../storage/visage-store.ts';

const FLUSH_MS = 2000;
const THUMB_PX = 96;

/**
 * A small JPEG of the face (with some margin) from the current video frame. The crop and resize happen in
 * createImageBitmap, off the page's thread: drawing the <video> into a canvas reads a GPU frame back on
 * the spot, which can block the live view for tens of ms on a software GPU.
 */
async function faceThumbnail(video: HTMLVideoElement, box: PixelBox): Promise<Blob | null> {
  const pad = box.width * 0.2;
  const side = Math.round(Math.max(box.width, box.height) + 2 * pad);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const bitmap = await createImageBitmap(video, Math.round(cx - side / 2), Math.round(cy - side / 2), side, side, { resizeWidth: THUMB_PX, resizeHeight: THUMB_PX, resizeQuality: 'medium' });
  try {
    const canvas = new OffscreenCanvas(THUMB_PX, THUMB_PX);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0);
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  } finally {
    bitmap.close();
  }
}

export function useSightingLog(store: VisageStore, enabled: boolean, thumbnails: boolean): (faces: readonly TrackedFace[], video: HTMLVideoElement) => void {
  const recorder = useRef<SightingRecorder | null>(null);
  const pictures = useRef(new Map<string, Promise<Blob | null>>());

  useEffect(() => {
    if (!enabled) return;
    recorder.current = new SightingRecorder(() => crypto.randomUUID());
    const pending = pictures.current;
    const flush = () => {
      const rows = recorder.current?.drain() ?? [];
      if (rows.length === 0) return;
      void Promise.all(rows.map(async (s) => {
        const picture = pending.get(s.id);
        pending.delete(s.id);
        return { ...s, thumbnail: picture ? await picture : null };
      })).then((withPictures) => store.putSightings(withPictures)).catch((e: unknown) => console.warn('Visage: a sighting was not saved', e));
    };
    const timer = setInterval(flush, FLUSH_MS);
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    document.addEventListener('visibilitychange', onHide);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onHide);
      flush();
      recorder.current = null;
    };
  }, [store, enabled]);

  return useCallback((faces, video) => {
    const opened = recorder.current?.observe(faces, Date.now()) ?? [];
    if (!thumbnails) return;
    // A picture that cannot be made (the video went away) leaves the sighting without one, not unwritten.
    for (const { sighting, box } of opened) pictures.current.set(sighting.id, faceThumbnail(video, box).catch(() => null));
  }, [thumbnails]);
}
