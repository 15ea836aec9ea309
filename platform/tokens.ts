/**
 * The stored tokens: metadata in `local:tokens`, the active one in `local:activeTokenId`, secrets sealed by the
 * vault. Pages read and `watch` freely; every change goes through the functions here and in `./token-writes.ts`,
 * which serialise read-modify-write across pages (`withStorageLock`) and write metadata and secret in one
 * `storage.local.set`, so nothing is half-saved and no concurrent change from another page is lost.
 */
import { withStorageLock } from './locks';
import { activeTokenIdItem, isStoredToken, readTokenList, tokensItem, type StoredToken } from './storage';

import type { CodedError, FailureDetail } from '../lib/failure/failure';
import { isExpired } from '../lib/tokens/rules';

export type { StoredToken } from './storage';
export { activeTokenIdItem, tokensItem } from './storage';


// ---- reading -------------------------------------------------------------------------------------------------------

/** All stored tokens (entries that fail the guard are skipped). */
export function getTokens(): Promise<StoredToken[]> {
  return readTokenList();
}

/** Calls `cb` with the token list whenever any page changes it. Returns the unwatch function. */
export function watchTokens(cb: (tokens: StoredToken[]) => void): () => void {
  return tokensItem.watch((value: unknown) => cb(Array.isArray(value) ? value.filter(isStoredToken) : []));
}

/** The active token's id, `null` for none. */
export async function getActiveTokenId(): Promise<string | null> {
  const value: unknown = await activeTokenIdItem.getValue();
  return typeof value === 'string' ? value : null;
}

/** Calls `cb` with the active token's id whenever any page (or the keyboard command) switches. */
export function watchActiveTokenId(cb: (id: string | null) => void): () => void {
  return activeTokenIdItem.watch((value: unknown) => cb(typeof value === 'string' ? value : null));
}

// ---- rules ---------------------------------------------------------------------------------------------------------

/**
 * The token the `cycle-token` command switches to: the next one after `activeId` in list order that is not
 * expired, has a secret, and is not tagged production (a keyboard shortcut cannot ask for confirmation).
 * `null` if there is none other than the active one.
 */
export function nextUsableTokenId(tokens: readonly StoredToken[], activeId: string | null, secretIds: ReadonlySet<string>, now: number): string | null {
  const usable = (t: StoredToken): boolean => !isExpired(t, now) && secretIds.has(t.id) && !t.production;
  const start = tokens.findIndex((t) => t.id === activeId);
  for (let step = 1; step <= tokens.length; step += 1) {
    const candidate = tokens[(start + step + tokens.length) % tokens.length];
    if (candidate !== undefined && candidate.id !== activeId && usable(candidate)) return candidate.id;
  }
  return null;
}

// ---- errors --------------------------------------------------------------------------------------------------------

/** No stored token with that id. */
export class TokenNotFoundError extends Error implements CodedError {
  override readonly name = 'TokenNotFoundError';
  readonly code = 'not-found';
  readonly detail: FailureDetail;
  constructor(readonly tokenId: string) {
    super('This token is no longer stored (another window may have removed it).');
    this.detail = { tokenId };
  }
}

/** The token cannot be made active (expired). */
export class TokenNotUsableError extends Error implements CodedError {
  override readonly name = 'TokenNotUsableError';
  readonly code = 'expired';
  readonly detail: FailureDetail;
  constructor(readonly token: StoredToken, reason: string) {
    super(reason);
    this.detail = { tokenId: token.id };
  }
}

/**
 * Makes a token active (`null`: none). Throws {@link TokenNotFoundError}, or {@link TokenNotUsableError} for an
 * expired token. Production confirmation is the UI's job, before calling this.
 */
export async function setActiveTokenId(id: string | null, now: number = Date.now()): Promise<void> {
  await withStorageLock(async () => {
    if (id !== null) {
      const token = (await readTokenList()).find((t) => t.id === id);
      if (token === undefined) throw new TokenNotFoundError(id);
      if (isExpired(token, now)) throw new TokenNotUsableError(token, `"${token.label}" has expired and cannot be used.`);
    }
    await activeTokenIdItem.setValue(id);
  });
}
