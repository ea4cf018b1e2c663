// The default screen: every face in the live video named, or "Not in database".
import { useCallback, useMemo } from 'react';
import { PersistenceFilter } from '../../domain/face-persistence.ts';
import type { Gallery, MatchPolicy } from '../../domain/matching.ts';
import type { Person } from '../../domain/people.ts';
import type { VisionClient } from '../../worker/vision-client.ts';
import { LiveView } from '../components/LiveView.tsx';
import { recognitionLabels } from '../recognition-labels.ts';

interface Props {
  client: VisionClient;
  stream: MediaStream;
  mirrored: boolean;
  gallery: Gallery;
  policy: MatchPolicy;
  people: Person[];
}

export function RecognizeScreen({ client, stream, mirrored, gallery, policy, people }: Props) {
  const persistence = useMemo(() => new PersistenceFilter(), []);
  const process = useCallback(
    async (video: HTMLVideoElement) => recognitionLabels(persistence.filter((await client.analyze(video, true)).faces), gallery, policy, people),
    [client, gallery, policy, people, persistence],
  );
  return (
    <>
      {people.length === 0 && <p className="muted" data-testid="nobody-enrolled">Nobody is enrolled yet: every face is "Not in database". Open Enroll to add people.</p>}
      <LiveView stream={stream} mirrored={mirrored} client={client} process={process} />
    </>
  );
}
