/**
 * Serialises read-modify-write cycles on extension storage across every page of the extension.
 *
 * `chrome.storage` has no compare-and-set: two pages (popup and dashboard) that each read the token list, add an
 * entry and write it back lose one of the two entries (chromium-extensions "Concurrent update of
 * chrome.storage.local"). Extension pages and the service worker share one origin, so the Web Locks API gives one
 * lock for all of them (Chrome 69+, Firefox 96+). Where it is missing (old browsers, happy-dom), a per-page queue
 * serialises this page, and the writers in `storage.ts` add a revision check that retries on a conflict.
 */

/** `exclusive` for writers, `shared` for readers that must not see a half-done multi-key change. */
export type LockMode = 'exclusive' | 'shared';

/** The one lock for tokens, secrets and the vault header: they change together. */
export const STORAGE_LOCK = 'tokenscope:storage';

interface LockManagerLike {
  request<T>(name: string, options: { mode?: LockMode }, callback: () => Promise<T>): Promise<T>;
}

function lockManager(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike | null } }).navigator;
  const locks = nav?.locks;
  return locks !== null && locks !== undefined && typeof locks.request === 'function' ? locks : undefined;
}

/** True when cross-page locking is available; otherwise writers fall back to revision checks. */
export function hasCrossPageLocks(): boolean {
  return lockManager() !== undefined;
}

/** Fallback within one page: one FIFO queue (readers wait too; they are short). */
let tail: Promise<unknown> = Promise.resolve();

function queueLocally<T>(fn: () => Promise<T>): Promise<T> {
  const run = tail.then(fn, fn);
  // Keep the chain alive whatever `fn` does; its own caller sees the rejection.
  tail = run.catch(() => undefined);
  return run;
}

/**
 * Runs `fn` while holding the storage lock. Keep `fn` short and free of network calls: every page's writes wait
 * for it.
 */
export function withStorageLock<T>(fn: () => Promise<T>, mode: LockMode = 'exclusive'): Promise<T> {
  const locks = lockManager();
  if (locks !== undefined) return locks.request(STORAGE_LOCK, { mode }, fn);
  return queueLocally(fn);
}
