/**
 * The stored state of token hygiene: journals of rotations (`local:rotations`) and the server's lists of each
 * owner's tokens (`session:serverTokens`), both declared in `./storage.ts`. Writes are read-modify-write under the
 * storage lock, so two pages never lose each other's entries.
 */
import type { RotationJournal } from '../lib/tokens/rotation';
import type { ServerTokenList } from '../lib/tokens/slots';
import { withStorageLock } from './locks';
import { rotationsItem, serverTokensItem } from './storage';

export async function getRotations(): Promise<Record<string, RotationJournal>> {
  return (await rotationsItem.getValue()) ?? {};
}

export function watchRotations(cb: (rotations: Record<string, RotationJournal>) => void): () => void {
  return rotationsItem.watch((v) => cb(v ?? {}));
}

/** Writes (or, with `null`, removes) the journal of the rotation of `oldId`. */
export async function writeRotation(oldId: string, entry: RotationJournal | null): Promise<void> {
  await withStorageLock(async () => {
    const all = { ...(await getRotations()) };
    if (entry === null) delete all[oldId];
    else all[oldId] = { ...entry };
    await rotationsItem.setValue(all);
  });
}

export async function getServerTokens(): Promise<Record<string, ServerTokenList>> {
  return (await serverTokensItem.getValue()) ?? {};
}

export function watchServerTokens(cb: (lists: Record<string, ServerTokenList>) => void): () => void {
  return serverTokensItem.watch((v) => cb(v ?? {}));
}

/** Keeps an owner's server list (`key` from `ownerKey`). */
export async function putServerTokens(key: string, list: ServerTokenList): Promise<void> {
  await withStorageLock(async () => {
    await serverTokensItem.setValue({ ...(await getServerTokens()), [key]: { checkedAt: list.checkedAt, tokens: list.tokens.map((t) => ({ ...t })) } });
  });
}

/**
 * Runs `fn` unless another page runs a job of the same `name` (Web Locks, `ifAvailable`): resolves `null` without
 * running it then. Where Web Locks are missing, `fn` runs (one page at a time is then up to the caller).
 */
export async function runExclusive<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
  const locks = (globalThis as { navigator?: { locks?: null | { request(n: string, o: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<T | null>): Promise<T | null> } } }).navigator?.locks;
  if (locks === undefined || locks === null || typeof locks.request !== 'function') return fn();
  return locks.request(name, { ifAvailable: true }, (lock) => (lock === null ? Promise.resolve(null) : fn()));
}
