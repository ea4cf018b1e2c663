// Whether the browser offers to install Visage (beforeinstallprompt), and how to ask it; iOS Safari has
// no such event, so there the user gets Add to Home Screen instructions instead.
import { useCallback, useEffect, useState } from 'react';
import { installPrompt, onInstallPromptChange, showInstallPrompt } from '../install-prompt.ts';

export type InstallState =
  | { kind: 'installed' }
  | { kind: 'available'; install: () => Promise<void> }
  | { kind: 'ios' }
  | { kind: 'unavailable' };

const isStandalone = () =>
  window.matchMedia('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;

const isIos = () => /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);

export function useInstallPrompt(): InstallState {
  const [, rerender] = useState(0);
  useEffect(() => {
    return onInstallPromptChange(() => rerender((n) => n + 1));
  }, []);
  const install = useCallback(() => showInstallPrompt(), []);
  if (isStandalone()) return { kind: 'installed' };
  if (installPrompt()) return { kind: 'available', install };
  if (isIos()) return { kind: 'ios' };
  return { kind: 'unavailable' };
}
