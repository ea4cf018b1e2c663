// Chromium's offer to install Visage (beforeinstallprompt), kept from the page's first moment: the entry
// script imports this before the UI's code has loaded, and the event fired before that code had (at
// ~0.9 s of a first visit here), so a listener in the UI's own chunk missed it and no Install button came.
/** Chromium's install prompt event (not in TypeScript's DOM types). */
interface BeforeInstallPromptEvent extends Event {
  prompt: () => Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let deferred: BeforeInstallPromptEvent | null = null;
const listeners = new Set<() => void>();
const changed = () => {
  for (const l of listeners) l();
};

if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    changed();
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    changed();
  });
}

/** Whether the browser has offered installation (and it is not used up). */
export function installPrompt(): boolean {
  return deferred !== null;
}

/** Calls `listener` when the offer comes or goes; returns the unsubscribe. */
export function onInstallPromptChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Shows the browser's install prompt. It can be used once, whatever the user chose. */
export async function showInstallPrompt(): Promise<void> {
  const event = deferred;
  if (!event) return;
  await event.prompt();
  await event.userChoice;
  deferred = null;
  changed();
}
