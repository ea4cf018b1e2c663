// Whether the browser offers to install Visage (beforeinstallprompt), and how to ask it; iOS Safari has
// no such event, so there the user gets Add to Home Screen instructions instead.
import { useCallback, useEffect, useState } from 'react';

/** Chromium's install prompt event (not in TypeScript's DOM types). */
interface BeforeInstallPromptEvent extends Event {
  prompt: () => Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export type InstallState =
  | { kind: 'installed' }
  | { kind: 'available'; install: () => Promise<void> }
  | { kind: 'ios' }
  | { kind: 'unavailable' };

const isStandalone = () =>
  window.matchMedia('(display-mode: standalone)').matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;

const isIos = () => /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);

// The event can fire before React mounts: keep it from the first moment.
let deferred: BeforeInstallPromptEvent | null = null;
const listeners = new Set<() => void>();
if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    for (const l of listeners) l();
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    for (const l of listeners) l();
  });
}

export function useInstallPrompt(): InstallState {
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  const install = useCallback(async () => {
    const event = deferred;
    if (!event) return;
    await event.prompt();
    // The prompt can be used once, whatever the user chose.
    await event.userChoice;
    deferred = null;
    for (const l of listeners) l();
  }, []);
  if (isStandalone()) return { kind: 'installed' };
  if (deferred) return { kind: 'available', install };
  if (isIos()) return { kind: 'ios' };
  return { kind: 'unavailable' };
}
