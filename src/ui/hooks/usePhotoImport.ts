// Enrollment from photos (picker or drop): each file is decoded and its faces captured; one face is
// gated and taken, several are offered to choose from, and every failure names the file and goes on.
import { useCallback, useState } from 'react';
import { gate } from '../../domain/enrollment.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { CapturedSample } from '../../worker/protocol.ts';
import { errorMessage } from '../error-message.ts';

export function usePhotoImport(client: VisionClient, accept: (sample: CapturedSample) => void, say: (error: string) => void) {
  /** A photo with several faces, waiting for the user to pick the person's. */
  const [choices, setChoices] = useState<{ file: string; candidates: CapturedSample[] } | null>(null);

  const addPhotos = useCallback(async (files: readonly File[]) => {
    say('');
    for (const file of files) {
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(file);
      } catch {
        say(`${file.name} is not an image this browser can read: use a JPEG, PNG or WebP photo.`);
        continue;
      }
      try {
        let candidates: CapturedSample[];
        try {
          candidates = await client.capture(bitmap);
        } catch (e) {
          // The samples taken so far stay; the next file is still tried.
          say(`${file.name} could not be analysed: ${errorMessage(e)}`);
          continue;
        }
        if (candidates.length === 0) say(`No face found in ${file.name}.`);
        else if (candidates.length === 1) {
          const { sample, verdict } = gate(candidates);
          if (sample) accept(sample);
          else say(`${file.name}: ${verdict.problems.map((p) => p.message).join(' ')}`);
        } else {
          setChoices({ file: file.name, candidates });
        }
      } finally {
        bitmap.close();
      }
    }
  }, [client, accept, say]);

  const pick = useCallback((c: CapturedSample) => {
    // The user chose this face: the others in the photo no longer count against it.
    const chosen = { ...c, quality: { ...c.quality, faceCount: 1 } };
    const { sample, verdict } = gate([chosen]);
    if (sample) accept(sample);
    else say(verdict.problems.map((p) => p.message).join(' '));
    setChoices(null);
  }, [accept, say]);

  return { choices, addPhotos, pick };
}
