/**
 * The stored tokens: metadata in `local:tokens`, the active one in `local:activeTokenId`, secrets sealed by the
 * vault. Pages read and `watch` freely; every change goes through the functions here, which serialise
 * read-modify-write across pages (`withStorageLock`) and write metadata and secret in one `storage.local.set`, so
 * nothing is half-saved and no concurrent change from another page is lost.
 */
import { withStorageLock } from './locks';
import {
  activeTokenIdItem, isSealedSecrets, isStoredToken, readTokenList, secretsItem, tokenInsightsItem, tokensItem,
  updateTokenList, type SealedSecrets, type StoredToken,
} from './storage';
import { sealSecret } from './vault';

import type { CodedError, FailureDetail } from '../lib/failure/failure';
import { isExpired, MAX_PATS_PER_OWNER, personalTokenCount } from '../lib/tokens/rules';

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

/** The token (same id) is already stored. */
export class DuplicateTokenError extends Error implements CodedError {
  override readonly name = 'DuplicateTokenError';
  readonly code = 'duplicate';
  readonly detail: FailureDetail;
  constructor(readonly existing: StoredToken) {
    super(`This token is already stored as "${existing.label}".`);
    this.detail = { tokenId: existing.id };
  }
}

/** The owner already has five PATs stored for this environment. */
export class TokenLimitError extends Error implements CodedError {
  override readonly name = 'TokenLimitError';
  readonly code = 'token-limit';
  constructor(readonly owner: string, readonly environmentUrl: string) {
    super(`${owner} already has the maximum of ${MAX_PATS_PER_OWNER} personal access tokens in ${environmentUrl}. Revoke one before creating another.`);
  }
}

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

// ---- writing -------------------------------------------------------------------------------------------------------

async function readSecrets(): Promise<SealedSecrets> {
  const value: unknown = await secretsItem.getValue();
  return isSealedSecrets(value) ? value : {};
}

export interface SaveTokenOptions {
  /** Make it the active token (default: only if there is no active token yet). */
  makeActive?: boolean;
  /** Refuse if the owner already has five PATs stored (creation does; adding an existing token does not). */
  enforceLimit?: boolean;
}

/**
 * Stores a token: metadata and sealed secret in one write. Throws `VaultLockedError` while locked,
 * {@link DuplicateTokenError}, or {@link TokenLimitError}; nothing is written then.
 */
export async function saveToken(token: StoredToken, secret: string, options: SaveTokenOptions = {}): Promise<StoredToken> {
  if (!isStoredToken(token)) throw new TypeError('Not a valid token record.');
  return withStorageLock(async () => {
    const activeId = await getActiveTokenId();
    await updateTokenList(async (tokens) => {
      const existing = tokens.find((t) => t.id === token.id);
      if (existing !== undefined) throw new DuplicateTokenError(existing);
      if (options.enforceLimit === true && token.personal
        && personalTokenCount(tokens, token.environmentUrl, token.owner) >= MAX_PATS_PER_OWNER) {
        throw new TokenLimitError(token.owner, token.environmentUrl);
      }
      // Sealed inside the lock: a passphrase change cannot re-key the vault between sealing and writing.
      const box = await sealSecret(token.id, secret);
      const secrets = { ...(await readSecrets()), [token.id]: box };
      const activate = options.makeActive ?? (activeId === null || !tokens.some((t) => t.id === activeId));
      return {
        tokens: [...tokens, token],
        also: [[secretsItem, secrets], ...(activate ? [[activeTokenIdItem, token.id] as const] : [])],
      };
    });
    return token;
  });
}

/** What the user may edit on a stored token, and what a fresh lookup refreshes. */
export type TokenPatch = Partial<Pick<StoredToken, 'label' | 'color' | 'production' | 'scopes' | 'expiresAt' | 'lastCheckedAt' | 'lastUsedAt' | 'name'>>;

/** Updates a stored token's metadata. Throws {@link TokenNotFoundError}. */
export async function updateToken(id: string, patch: TokenPatch): Promise<StoredToken> {
  return withStorageLock(async () => {
    let updated: StoredToken | undefined;
    await updateTokenList(async (tokens) => {
      const next = tokens.map((t) => {
        if (t.id !== id) return t;
        updated = { ...t, ...patch };
        return updated;
      });
      if (updated === undefined || !isStoredToken(updated)) throw new TokenNotFoundError(id);
      return { tokens: next };
    });
    return updated as StoredToken;
  });
}

/**
 * Removes a token from this browser: metadata, secret and what was learned about its zones together, and the
 * active id if it was active. Resolves `false` if it was not stored (already removed by another page).
 */
export async function removeToken(id: string): Promise<boolean> {
  return withStorageLock(async () => {
    let found = false;
    const activeId = await getActiveTokenId();
    await updateTokenList(async (tokens) => {
      found = tokens.some((t) => t.id === id);
      const secrets = { ...(await readSecrets()) };
      delete secrets[id];
      const insights = { ...((await tokenInsightsItem.getValue()) ?? {}) };
      const hadInsights = id in insights;
      delete insights[id];
      return {
        tokens: tokens.filter((t) => t.id !== id),
        also: [
          [secretsItem, secrets],
          ...(hadInsights ? [[tokenInsightsItem, insights] as const] : []),
          ...(activeId === id ? [[activeTokenIdItem, null] as const] : []),
        ],
      };
    });
    return found;
  });
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
