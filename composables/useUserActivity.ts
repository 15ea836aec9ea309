import { onScopeDispose } from 'vue';

/** How often at most a burst of clicks and key presses is reported (the vault writes activity every 15 s anyway). */
const ACTIVITY_THROTTLE_MS = 5_000;
const EVENTS = ['pointerdown', 'keydown'] as const;

/**
 * Calls `onActivity` when a person uses the page: a pointer press or a key press anywhere in it, at most every
 * 5 seconds. The vault's idle lock counts from these only, never from requests (see `touchVault` in
 * `platform/vault.ts`). Listeners are removed when the calling scope is disposed. Written without @vueuse/core:
 * the popup's first load has no other use for it, and sharing it with the dashboard re-chunks the Vue runtime.
 */
export function useUserActivity(onActivity: () => void, now: () => number = Date.now): void {
  let last = Number.NEGATIVE_INFINITY;
  const listener = (): void => {
    const t = now();
    if (t - last < ACTIVITY_THROTTLE_MS) return;
    last = t;
    onActivity();
  };
  for (const type of EVENTS) window.addEventListener(type, listener, { passive: true, capture: true });
  onScopeDispose(() => {
    for (const type of EVENTS) window.removeEventListener(type, listener, { capture: true });
  });
}
