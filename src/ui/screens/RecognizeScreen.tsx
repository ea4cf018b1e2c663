// The default screen: every face in the live video named, or "Not in database". Tracking, matching and
// the vote per track happen in the inference worker; this screen hands it the gallery, draws, and logs
// sightings.
import { useCallback, useEffect } from 'react';
import type { Gallery, MatchPolicy } from '../../domain/matching.ts';
import type { Person } from '../../domain/people.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import { LiveView } from '../components/LiveView.tsx';
import { recognitionLabels } from '../recognition-labels.ts';
import { useSightingLog } from '../hooks/useSightingLog.ts';
import { markStartup } from '../startup-marks.ts';

interface Props {
  client: VisionClient;
  stream: MediaStream;
  mirrored: boolean;
  gallery: Gallery;
  policy: MatchPolicy;
  people: Person[];
  store: VisageStore;
  /** The sightings log: on, and with face pictures. */
  history: { enabled: boolean; thumbnails: boolean };
  /** Anti-spoofing in the live view: a face that looks like a photo is labelled "Photo?", not named. */
  spoofCheck: boolean;
}

export function RecognizeScreen({ client, stream, mirrored, gallery, policy, people, store, history, spoofCheck }: Props) {
  const logSightings = useSightingLog(store, history.enabled, history.thumbnails);
  useEffect(() => {
    client.setGallery(gallery, policy).then(() => markStartup('gallery-ready')).catch((e: unknown) => console.warn('Visage: the gallery did not reach inference', e));
  }, [client, gallery, policy]);
  const process = useCallback(
    async (video: HTMLVideoElement) => {
      const { faces, computeMs, tensors } = await client.recognize(video, undefined, spoofCheck);
      // A photo held up to the camera is not a sighting of the person in it.
      logSightings(faces.filter((f) => !f.photo), video);
      return { faces: recognitionLabels(faces, people, policy.threshold), computeMs, tensors };
    },
    [client, people, logSightings, spoofCheck, policy.threshold],
  );
  return (
    <>
      {people.length === 0 && <p className="muted" data-testid="nobody-enrolled">Nobody is enrolled yet: every face is "Not in database". Open Enroll to add people.</p>}
      <LiveView stream={stream} mirrored={mirrored} client={client} process={process} />
    </>
  );
}
