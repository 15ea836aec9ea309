/**
 * The network half of the tokens store: every action that sends a request (checking a token before adding it,
 * creating, revoking, checking again), the Dynatrace API client behind them (ofetch, the response guards, the error
 * model) and the decoding of its errors. `stores/tokens.ts` loads this module with `import()` at the moment such an
 * action runs, so the popup's list screen loads none of it. Only `stores/tokens.ts` imports it, and only lazily; it
 * works on the store's state through {@link TokensStoreInternals}.
 */
import { ApiError, describeApiError, type ApiToken, type DynatraceClient } from '../lib/dynatrace';
import { checkTokenFormat } from '../lib/dynatrace/token-format';
import { clientForSecret, clientForToken, lookupStoredToken } from '../platform/api';
import { TOKEN_COLORS } from '../platform/storage';
import { MAX_PATS_PER_OWNER, removeToken as removeStoredToken, saveToken, updateToken, type StoredToken } from '../platform/tokens';
import { VaultLockedError } from '../platform/vault';
import type { AddTokenInput, CreatedToken, CreateTokenInput, TokensError, TokensOperation, TokensStoreInternals } from './tokens';

export { clientForToken };

/** The scope a token needs to create (and revoke) personal access tokens (the store's `WRITE_SCOPE`). */
const WRITE_SCOPE = 'apiTokens.write';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function parseDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function defaultColor(store: TokensStoreInternals): string {
  return TOKEN_COLORS[store.tokens.value.length % TOKEN_COLORS.length] ?? TOKEN_COLORS[0];
}

/**
 * Decodes an {@link ApiError} of a token action; `null` for any other error (the store decodes those itself).
 * `where` is the environment's origin, named in unreachable-host messages.
 */
export function decodeApiError(operation: TokensOperation, error: unknown, base: Pick<TokensError, 'operation' | 'tokenId'>, where = ''): TokensError | null {
  if (!(error instanceof ApiError)) return null;
  const api = { ...base, apiKind: error.kind };
  switch (error.kind) {
    case 'token-expired':
      return { ...api, code: 'expired', message: 'This token has expired (401). Create a new one.' };
    case 'validation':
      if (error.reason === 'token-limit') return { ...api, code: 'token-limit', message: describeApiError(error) };
      break;
    case 'missing-scope':
      if (operation === 'create' || operation === 'revoke') {
        return { ...api, code: 'missing-write-scope', message: `The token used for this lacks the scope ${WRITE_SCOPE} (403).` };
      }
      break;
    case 'network':
      return { ...api, code: 'unreachable', message: `${where ? hostOf(where) : 'The environment'} could not be reached. Check the environment URL (SaaS: https://<id>.live.dynatrace.com) and your network connection.` };
    case 'redirect':
    case 'bad-response':
      return { ...api, code: 'unreachable', message: `${where ? hostOf(where) : 'This address'} did not answer like a Dynatrace environment. ${describeApiError(error)}` };
    case 'not-found':
      if (operation === 'add') {
        return { ...api, code: 'unreachable', message: `${where ? hostOf(where) : 'This address'} has no Dynatrace token API (404). Check the environment URL.` };
      }
      break;
    case 'token-invalid':
      if (error.reason === undefined) {
        return { ...api, code: 'api', message: 'The environment rejected this token (401): it is unknown, mistyped, revoked, or belongs to another environment.' };
      }
      break;
    default:
      break;
  }
  return { ...api, code: 'api', message: describeApiError(error) };
}

/**
 * The part of `addToken` after host access was granted: `POST /apiTokens/lookup` with the token itself, then the
 * checks (a PAT, not expired) and the write. The store has validated the input, set `busy` and clears it.
 */
export async function addCheckedToken(
  store: TokensStoreInternals,
  input: AddTokenInput,
  checked: { origin: string; baseUrl: string; id: string; secret: string },
): Promise<StoredToken | null> {
  const { origin, baseUrl, id, secret } = checked;
  const client = clientForSecret(baseUrl, secret, store.clientOptions());
  let info: ApiToken;
  try {
    info = await client.tokens.lookup(secret);
  } catch (e) {
    return store.fail('add', e, { origin });
  }
  if (info.personalAccessToken !== true) {
    return store.refuse({ operation: 'add', code: 'not-personal', message: 'This is a classic API token, not a personal access token. Tokenscope stores personal access tokens only.' });
  }
  const checkedAt = store.deps.now();
  const expiresAt = parseDate(info.expirationDate);
  if (expiresAt !== null && expiresAt <= checkedAt) {
    return store.refuse({ operation: 'add', code: 'expired', message: 'This token has expired. Create a new one.' });
  }
  const record: StoredToken = {
    id,
    label: (input.label ?? '').trim() || info.name || id,
    color: input.color ?? defaultColor(store),
    environmentUrl: baseUrl,
    owner: info.owner ?? '',
    name: info.name ?? '',
    personal: true,
    scopes: [...(info.scopes ?? [])],
    expiresAt,
    createdAt: parseDate(info.creationDate) ?? checkedAt,
    production: input.production === true,
    lastCheckedAt: checkedAt,
    lastUsedAt: parseDate(info.lastUsedDate),
  };
  await saveToken(record, secret);
  await store.refreshAfterWrite();
  store.succeed();
  return record;
}

/** `createToken` of the store (see there). */
export async function createToken(store: TokensStoreInternals, input: CreateTokenInput): Promise<CreatedToken | null> {
  const creator = store.tokens.value.find((t) => t.id === input.creatorId);
  if (creator === undefined) return store.refuse({ operation: 'create', code: 'not-found', message: 'Choose a stored token to create the new one with.' });
  if (store.expired(creator)) return store.refuse({ operation: 'create', code: 'expired', tokenId: creator.id, message: `"${creator.label}" has expired and cannot create tokens.` });
  if (!creator.scopes.includes(WRITE_SCOPE)) {
    return store.refuse({ operation: 'create', code: 'missing-write-scope', tokenId: creator.id, message: `"${creator.label}" lacks the scope ${WRITE_SCOPE}, which creating a token needs. Use a token of ${creator.owner} that has it.` });
  }
  const count = store.personalCount(creator.environmentUrl, creator.owner);
  if (count >= MAX_PATS_PER_OWNER) {
    return store.refuse({ operation: 'create', code: 'token-limit', message: `${creator.owner} already has ${count} of ${MAX_PATS_PER_OWNER} personal access tokens in ${hostOf(creator.environmentUrl)}. Revoke one before creating another.` });
  }
  const name = input.name.trim();
  if (name === '') return store.refuse({ operation: 'create', code: 'unexpected', message: 'Give the new token a name.' });
  if (input.scopes.length === 0) return store.refuse({ operation: 'create', code: 'unexpected', message: 'Choose at least one scope.' });
  if (store.vaultLocked()) return store.fail('create', new VaultLockedError());
  const origin = new URL(creator.environmentUrl).origin;
  store.begin('create');
  try {
    const created = await clientForToken(creator, store.clientOptions()).tokens.create({
      name,
      scopes: input.scopes as NonNullable<Parameters<DynatraceClient['tokens']['create']>[0]['scopes']>,
      personalAccessToken: true,
      ...(input.expiresInDays === null ? {} : { expirationDate: `now+${input.expiresInDays}d` }),
    });
    const format = checkTokenFormat(created.token ?? '');
    if (!format.ok) return store.refuse({ operation: 'create', code: 'api', message: 'The environment created a token but sent it in an unexpected format.' });
    const createdAt = store.deps.now();
    const record: StoredToken = {
      id: format.value.id,
      label: (input.label ?? '').trim() || name,
      color: input.color ?? defaultColor(store),
      environmentUrl: creator.environmentUrl,
      // The server makes the caller's owner the owner of the new token.
      owner: creator.owner,
      name,
      personal: true,
      scopes: [...input.scopes],
      expiresAt: parseDate(created.expirationDate),
      createdAt,
      production: input.production === true,
      lastCheckedAt: createdAt,
      lastUsedAt: null,
    };
    try {
      await saveToken(record, format.value.token);
    } catch (e) {
      // It exists on the server now: reveal it anyway so the user can copy it, and say why it is not stored.
      store.fail('create', e, { origin });
      return { token: record, secret: format.value.token, stored: false };
    }
    await store.refreshAfterWrite();
    store.succeed();
    return { token: record, secret: format.value.token, stored: true };
  } catch (e) {
    return store.fail('create', e, { origin, tokenId: creator.id });
  } finally {
    store.end();
  }
}

/** `revokeToken` of the store (see there). */
export async function revokeToken(store: TokensStoreInternals, id: string): Promise<boolean> {
  const target = store.tokens.value.find((t) => t.id === id);
  if (target === undefined) return store.refuse({ operation: 'revoke', code: 'not-found', tokenId: id, message: 'This token is no longer stored.' }) ?? false;
  const writer = store.writersFor(target)[0];
  if (writer === undefined) {
    return store.refuse({
      operation: 'revoke', code: 'missing-write-scope', tokenId: id,
      message: `Revoking "${target.label}" needs another stored token of ${target.owner} with ${WRITE_SCOPE} (a token cannot revoke itself). Revoke it in Dynatrace, or use "Remove" to forget it here only.`,
    }) ?? false;
  }
  if (store.vaultLocked()) return store.fail('revoke', new VaultLockedError(), { tokenId: id }) ?? false;
  store.begin('revoke');
  try {
    try {
      await clientForToken(writer, store.clientOptions()).tokens.delete(target.id);
    } catch (e) {
      if (!(e instanceof ApiError && e.kind === 'not-found')) throw e;
    }
    await removeStoredToken(target.id);
    await store.refreshAfterWrite();
    store.succeed();
    return true;
  } catch (e) {
    return store.fail('revoke', e, { origin: new URL(target.environmentUrl).origin, tokenId: id }) ?? false;
  } finally {
    store.end();
  }
}

/** `recheckToken` of the store (see there). */
export async function recheckToken(store: TokensStoreInternals, id: string): Promise<StoredToken | null> {
  const token = store.tokens.value.find((t) => t.id === id);
  if (token === undefined) return store.refuse({ operation: 'recheck', code: 'not-found', tokenId: id, message: 'This token is no longer stored.' });
  store.begin('recheck');
  try {
    const info = await lookupStoredToken(token, store.clientOptions());
    const updated = await updateToken(id, {
      scopes: [...(info.scopes ?? token.scopes)],
      expiresAt: info.expirationDate === undefined ? null : parseDate(info.expirationDate),
      lastUsedAt: parseDate(info.lastUsedDate),
      lastCheckedAt: store.deps.now(),
    });
    await store.refreshAfterWrite();
    store.succeed();
    return updated;
  } catch (e) {
    return store.fail('recheck', e, { origin: new URL(token.environmentUrl).origin, tokenId: id });
  } finally {
    store.end();
  }
}
