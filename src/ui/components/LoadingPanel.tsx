// The model download: a progress bar of verified bytes against the manifest's total.
import { progressFraction, progressLabel } from '../../domain/load-progress.ts';
import type { LoadProgress } from '../../domain/load-progress.ts';

export function LoadingPanel({ progress }: { progress: LoadProgress | null }) {
  const loaded = progress?.loadedBytes ?? 0;
  const total = progress?.totalBytes ?? 0;
  return (
    <section className="panel" aria-busy="true" data-testid="loading">
      <h2>Loading face models</h2>
      <progress max={1} value={progressFraction(loaded, total)} aria-label="Model download" />
      <p className="muted">
        {progress ? `${progressLabel(loaded, total)} — ${progress.currentFile}` : 'Reading the model manifest…'}
      </p>
      <p className="muted">Models are checked (sha256) and stay on this device. Nothing is uploaded.</p>
    </section>
  );
}
