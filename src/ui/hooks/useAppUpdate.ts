// The service worker's news for React: offline-ready, and a waiting new version.
import { useSyncExternalStore } from 'react';
import { appUpdateState, subscribeAppUpdate, type AppUpdateState } from '../../pwa/app-update.ts';

export function useAppUpdate(): AppUpdateState {
  return useSyncExternalStore(subscribeAppUpdate, appUpdateState);
}
