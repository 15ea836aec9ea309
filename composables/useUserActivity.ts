import { useEventListener, useThrottleFn } from '@vueuse/core';

/** How often at most a burst of clicks and key presses is reported (the vault writes activity every 15 s anyway). */
const ACTIVITY_THROTTLE_MS = 5_000;

/**
 * Calls `onActivity` when a person uses the page: a pointer press or a key press anywhere in it, at most every
 * 5 seconds. The vault's idle lock counts from these only, never from requests (see `touchVault` in
 * `platform/vault.ts`). Listeners are removed when the calling component's scope is disposed.
 */
export function useUserActivity(onActivity: () => void): void {
  const report = useThrottleFn(onActivity, ACTIVITY_THROTTLE_MS, true, true);
  for (const type of ['pointerdown', 'keydown'] as const) {
    useEventListener(window, type, () => { void report(); }, { passive: true, capture: true });
  }
}
