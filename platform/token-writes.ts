/**
 * Every write of a stored token's record: save (with its sealed secret), update, remove. Separate from
 * `./tokens.ts` (reading, the active token, the rules every page needs) so that pages which only list tokens do not
 * load the writers; the requests half of the tokens store (`stores/token-requests.ts`) imports them.
 */
import type { CodedError, FailureDetail } from '../lib/failure/failure';
import { MAX_PATS_PER_OWNER, personalTokenCount } from '../lib/tokens/rules';
import { withStorageLock } from './locks';
import {
  activeTokenIdItem, isSealedSecrets, isStoredToken, secretsItem, tokenInsightsItem, type SealedSecrets, type StoredToken,
} from './storage';
import { updateTokenList } from './storage-writes';
import { getActiveTokenId, TokenNotFoundError } from './tokens';
import { sealSecret } from './vault';

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
export type TokenPatch = Partial<Pick<StoredToken, 'label' | 'color' | 'production' | 'scopes' | 'expiresAt' | 'lastCheckedAt' | 'lastUsedAt' | 'name' | 'lastUsedIp' | 'newAddress'>>;

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

