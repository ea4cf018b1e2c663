// Settings → this app: version, offline readiness, install, and whether the browser will keep the data.
import type { AppUpdateState } from '../../pwa/app-update.ts';
import type { InstallState } from '../hooks/useInstallPrompt.ts';
import type { StorageReport } from '../hooks/useStoragePersistence.ts';
import { APP_VERSION, BUILD_ID } from '../build-info.ts';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

interface Props {
  update: AppUpdateState;
  install: InstallState;
  storage: StorageReport;
}

export function AppSection({ update, install, storage }: Props) {
  return (
    <section className="app-section" data-testid="app-section">
      <h3>This app</h3>
      <p>Visage {APP_VERSION} (build {BUILD_ID})</p>
      <p data-testid="offline-state" data-ready={update.offlineReady ? 'yes' : 'no'}>
        {update.offlineReady ? 'Works offline: the app and its models are stored on this device.' : 'Not yet available offline.'}
        {update.problem && ` Offline mode is unavailable here: ${update.problem}`}
      </p>
      {install.kind === 'available' && <button type="button" data-testid="install-settings" onClick={() => void install.install()}>Install Visage</button>}
      {install.kind === 'installed' && <p>Installed as an app.</p>}
      {install.kind === 'ios' && (
        <p data-testid="install-ios">To install on iPhone or iPad: tap the Share button in Safari, then "Add to Home Screen".</p>
      )}
      <p data-testid="storage-state" data-persisted={storage.persisted === null ? 'unknown' : String(storage.persisted)}>
        {storage.persisted === true && 'Storage is persistent: the browser will not clear your people to free space.'}
        {storage.persisted === false && 'Storage is not persistent: the browser may clear it when the disk is nearly full.'}
        {storage.persisted === null && 'This browser does not say whether it keeps the data.'}
        {storage.usage !== null && storage.quota !== null && ` Using ${mb(storage.usage)} of ${mb(storage.quota)}.`}
      </p>
      {storage.persisted === false && <button type="button" onClick={storage.request}>Ask to keep data</button>}
    </section>
  );
}
