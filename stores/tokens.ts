import { defineStore } from 'pinia';
import { computed, ref, shallowRef, type Ref } from 'vue';
import type { ApiErrorKind, DynatraceClient } from '../lib/dynatrace';
// Values from the files, not the `lib/dynatrace` index: the index would pull the API client (ofetch, guards, error
// model) into the popup's first load. The client itself comes with `./tokens-remote`, loaded on demand.
import { parseEnvironmentUrl } from '../lib/dynatrace/environment-url';
import { checkTokenFormat } from '../lib/dynatrace/token-format';
import { redactSecrets } from '../lib/log/redact';
import { HostPermissionError, needsHostPermission, watchHostPermissions } from '../platform/permissions';
import { StorageMigrationError } from '../platform/storage';
import {
  DuplicateTokenError, expiresSoon, getActiveTokenId, getTokens, isExpired, personalTokenCount,
  removeToken as removeStoredToken, sameOwner, setActiveTokenId, TokenLimitError, TokenNotFoundError,
  TokenNotUsableError, updateToken, watchActiveTokenId, watchTokens, type StoredToken, type TokenPatch,
} from '../platform/tokens';
import { getSecretIds, SecretMissingError, VaultLockedError, watchSecretIds } from '../platform/vault';
import type { ClientFactory } from '../platform/api';
import type * as RemoteModule from './tokens-remote';
import { resolveTokensStoreDeps, type TokensStoreDeps } from './deps';
import { useVaultStore } from './vault';

export type { StoredToken } from '../platform/tokens';
export { MAX_PATS_PER_OWNER } from '../platform/tokens';

/** The scope a token needs to create (and revoke) personal access tokens. */
export const WRITE_SCOPE = 'apiTokens.write';

export type TokensOperation = 'load' | 'add' | 'create' | 'revoke' | 'remove' | 'activate' | 'edit' | 'grant' | 'recheck';

export type TokensErrorCode =
  /** The vault is locked: nothing can be decrypted or stored. */
  | 'locked'
  /** The environment URL is not usable (`suggestion` may hold the right one, e.g. the `live` host). */
  | 'invalid-url'
  /** The pasted value is not a `dt0c01` token. */
  | 'invalid-token'
  /** A classic API token where a personal access token is required. */
  | 'not-personal'
  | 'duplicate'
  /** Five PATs per owner and environment: refused locally before sending, or the server's 400. */
  | 'token-limit'
  /** No usable stored token of this owner has `apiTokens.write` (or the server says it lacks it). */
  | 'missing-write-scope'
  | 'expired'
  /** Host access not granted or revoked; `origin` says which, offer to grant it again. */
  | 'host-permission'
  /** The host is not a Dynatrace environment or cannot be reached. */
  | 'unreachable'
  /** Any other API failure; `apiKind` says which. */
  | 'api'
  | 'not-found'
  /** A form value is not acceptable (an empty label, a malformed colour). */
  | 'invalid-input'
  | 'storage'
  | 'unexpected';

/** A failure of a token action, decoded for the UI. `message` names the cause; never contains a secret. */
export interface TokensError {
  operation: TokensOperation;
  code: TokensErrorCode;
  message: string;
  /** A corrected value to offer (the `live` URL for an `apps` URL). */
  suggestion?: string;
  apiKind?: ApiErrorKind;
  /** For `host-permission`: the origin to grant. */
  origin?: string;
  tokenId?: string;
}

/** One environment + owner, with the owner's PAT count against the limit of five. */
export interface TokenGroup {
  environmentUrl: string;
  owner: string;
  /** Stored PATs of this owner in this environment ("3 of 5"). */
  personalCount: number;
  tokens: StoredToken[];
}

export interface AddTokenInput {
  environmentUrl: string;
  /** The full token. Passed through to the vault; never kept in the store. */
  token: string;
  /** Defaults to the token's name on the server. */
  label?: string;
  color?: string;
  production?: boolean;
}

export interface CreateTokenInput {
  /** The stored token that creates the new one (same owner and environment, with `apiTokens.write`). */
  creatorId: string;
  name: string;
  scopes: string[];
  /** Days until expiry; `null` for a token that never expires. */
  expiresInDays: number | null;
  label?: string;
  color?: string;
  production?: boolean;
}

/** A new PAT: its metadata and, once, its secret, for the one-time reveal. Do not put `secret` in any store. */
export interface CreatedToken {
  token: StoredToken;
  secret: string;
  /** False if the token was created on the server but could not be stored (e.g. the vault locked meanwhile). */
  stored: boolean;
}

export type ActivateOutcome = 'activated' | 'needs-confirmation' | 'refused';

/**
 * What the store lends its network half (`./tokens-remote`): its state and the helpers that keep `status`, `error`
 * and `busy` consistent. Not for other callers.
 */
export interface TokensStoreInternals {
  readonly deps: TokensStoreDeps;
  readonly tokens: Ref<StoredToken[]>;
  vaultLocked(): boolean;
  expired(token: StoredToken): boolean;
  personalCount(environmentUrl: string, owner: string): number;
  writersFor(target: Pick<StoredToken, 'environmentUrl' | 'owner' | 'id'>): StoredToken[];
  clientOptions(): { createClient?: ClientFactory; hasHostPermission: (origin: string) => Promise<boolean> };
  /** Marks the start of an action: `busy`, `status` loading, no error. */
  begin(operation: TokensOperation): void;
  /** Clears `busy` (always, in `finally`). */
  end(): void;
  succeed(): void;
  /** Decodes `error` into the store's error; returns `null` for `return store.fail(...)`. */
  fail(operation: TokensOperation, error: unknown, context?: { origin?: string; tokenId?: string }): null;
  refuse(error: TokensError): null;
  refreshAfterWrite(): Promise<void>;
}

type Remote = typeof RemoteModule;

/** The network half (API client and its error decoding), once loaded. */
let remote: Remote | null = null;
let loadingRemote: Promise<Remote> | null = null;

/**
 * Loads the API client on demand: the first action that sends a request pays for it, the list screen never does.
 * A failed load (e.g. the extension was updated meanwhile) is retried by the next action.
 */
function loadRemote(): Promise<Remote> {
  loadingRemote ??= import('./tokens-remote').then(
    (module) => (remote = module),
    (error: unknown) => {
      loadingRemote = null;
      throw error;
    },
  );
  return loadingRemote;
}

/**
 * Decodes any failure of a token action into a {@link TokensError}. API errors can only come from the API client,
 * so they are decoded by its lazily loaded half, which is always loaded by the time one is thrown.
 */
export function toTokensError(operation: TokensOperation, error: unknown, context: { origin?: string; tokenId?: string } = {}): TokensError {
  const base = { operation, ...(context.tokenId === undefined ? {} : { tokenId: context.tokenId }) };
  if (error instanceof VaultLockedError) return { ...base, code: 'locked', message: error.message };
  if (error instanceof HostPermissionError) {
    return { ...base, code: 'host-permission', origin: error.origin, message: `Tokenscope has no access to ${error.origin}: grant access to use tokens of this environment.` };
  }
  if (error instanceof DuplicateTokenError) return { ...base, code: 'duplicate', message: error.message, tokenId: error.existing.id };
  if (error instanceof TokenLimitError) return { ...base, code: 'token-limit', message: error.message };
  if (error instanceof TokenNotFoundError) return { ...base, code: 'not-found', message: 'This token is no longer stored (another window may have removed it).' };
  if (error instanceof TokenNotUsableError) return { ...base, code: 'expired', message: error.message };
  if (error instanceof SecretMissingError) return { ...base, code: 'storage', message: error.message };
  if (error instanceof StorageMigrationError) return { ...base, code: 'storage', message: error.message };
  const api = remote?.decodeApiError(operation, error, base, context.origin);
  if (api) return api;
  const text = error instanceof Error ? error.message : String(error);
  return { ...base, code: 'unexpected', message: redactSecrets(`Something went wrong: ${text}`) };
}

const COLOR = /^#[0-9a-f]{6}$/i;

/**
 * The stored tokens for the UI: list, active token, vault lock state, and every token action. Follows changes from
 * other pages (popup, dashboard tabs, the keyboard command) through storage watches, within one event.
 *
 * Never holds a secret: `hasSecret(id)` tells whether one is stored; secrets are decrypted by the API client at
 * request time. The one exception leaves the store right away: `createToken` returns the new secret to its caller
 * for the one-time reveal, it is not kept in state.
 */
export const useTokensStore = defineStore('tokens', () => {
  const deps = resolveTokensStoreDeps();
  const vault = useVaultStore();

  const tokens = ref<StoredToken[]>([]);
  const activeId = ref<string | null>(null);
  const secretIds = ref<string[]>([]);
  /** Origins of stored tokens whose host access is missing (revoked in the browser's settings). */
  const missingAccess = ref<string[]>([]);
  const status = ref<'idle' | 'loading' | 'success' | 'error'>('idle');
  const error = shallowRef<TokensError | null>(null);
  /** The action in progress, if any (forms disable their buttons). */
  const busy = ref<TokensOperation | null>(null);
  /** The clock the expiry marks use; refreshed by `load()` and every minute. */
  const now = ref(deps.now());

  const active = computed(() => tokens.value.find((t) => t.id === activeId.value) ?? null);
  const locked = computed(() => vault.locked);

  /** Tokens grouped by environment, then owner, in the order first added. */
  const groups = computed<TokenGroup[]>(() => {
    const out: TokenGroup[] = [];
    for (const token of tokens.value) {
      let group = out.find((g) => sameOwner(g, token));
      if (group === undefined) {
        group = { environmentUrl: token.environmentUrl, owner: token.owner, personalCount: 0, tokens: [] };
        out.push(group);
      }
      group.tokens.push(token);
      if (token.personal) group.personalCount += 1;
    }
    return out.sort((a, b) => a.environmentUrl.localeCompare(b.environmentUrl) || a.owner.localeCompare(b.owner));
  });

  function hasSecret(id: string): boolean {
    return secretIds.value.includes(id);
  }

  function expired(token: StoredToken): boolean {
    return isExpired(token, now.value);
  }

  function expiringSoon(token: StoredToken): boolean {
    return expiresSoon(token, now.value);
  }

  /** Can be made active: stored secret and not expired. */
  function usable(token: StoredToken): boolean {
    return hasSecret(token.id) && !expired(token);
  }

  /** Stored tokens that can create a PAT: usable, with `apiTokens.write`. */
  const creators = computed(() => tokens.value.filter((t) => usable(t) && t.personal && t.scopes.includes(WRITE_SCOPE)));

  function personalCount(environmentUrl: string, owner: string): number {
    return personalTokenCount(tokens.value, environmentUrl, owner);
  }

  function hostAccessMissing(token: StoredToken): boolean {
    return missingAccess.value.includes(new URL(token.environmentUrl).origin);
  }

  // ---- following storage -----------------------------------------------------------------------------------------

  let stops: (() => void)[] = [];
  let clockTimer: ReturnType<typeof setInterval> | undefined;

  async function checkHostAccess(): Promise<void> {
    const origins = [...new Set(tokens.value.map((t) => new URL(t.environmentUrl).origin))].filter(needsHostPermission);
    const missing: string[] = [];
    for (const origin of origins) {
      if (!(await deps.hasHostPermission(origin))) missing.push(origin);
    }
    missingAccess.value = missing;
  }

  function follow(): void {
    if (stops.length > 0) return;
    stops = [
      watchTokens((next) => {
        now.value = deps.now();
        tokens.value = next;
        void checkHostAccess().catch(() => undefined);
      }),
      watchActiveTokenId((id) => { activeId.value = id; }),
      watchSecretIds((ids) => { secretIds.value = ids; }),
      watchHostPermissions(() => { void checkHostAccess().catch(() => undefined); }),
    ];
    clockTimer = setInterval(() => { now.value = deps.now(); }, 60_000);
  }

  /** Reads everything and starts following changes from other pages. Safe to call again (re-reads). */
  async function load(): Promise<void> {
    status.value = 'loading';
    follow();
    try {
      now.value = deps.now();
      const [list, id, ids] = await Promise.all([getTokens(), getActiveTokenId(), getSecretIds(), vault.load()]);
      tokens.value = list;
      activeId.value = id;
      secretIds.value = ids;
      await checkHostAccess();
      status.value = 'success';
    } catch (e) {
      error.value = toTokensError('load', e);
      status.value = 'error';
    }
  }

  function fail(operation: TokensOperation, e: unknown, context: { origin?: string; tokenId?: string } = {}): null {
    error.value = toTokensError(operation, e, context);
    status.value = 'error';
    return null;
  }

  function refuse(err: TokensError): null {
    error.value = err;
    status.value = 'error';
    return null;
  }

  function begin(operation: TokensOperation): void {
    busy.value = operation;
    status.value = 'loading';
    error.value = null;
  }

  function succeed(): void {
    status.value = 'success';
    error.value = null;
  }

  // ---- actions ----------------------------------------------------------------------------------------------------

  /**
   * Checks a token with `POST /apiTokens/lookup` and stores it (metadata in the list, secret sealed in the vault).
   * Call it straight from the submit handler: for a tenant origin it asks for host access first, which needs the
   * user gesture. Resolves the stored token, or `null` with `error` set; nothing is stored on failure.
   */
  async function addToken(input: AddTokenInput): Promise<StoredToken | null> {
    const env = parseEnvironmentUrl(input.environmentUrl);
    if (!env.ok) {
      return refuse({
        operation: 'add', code: 'invalid-url', message: env.error.message,
        ...(env.error.suggestion === undefined ? {} : { suggestion: env.error.suggestion }),
      });
    }
    const format = checkTokenFormat(input.token);
    if (!format.ok) return refuse({ operation: 'add', code: 'invalid-token', message: format.error.message });
    if (vault.locked) return fail('add', new VaultLockedError());
    const { origin, baseUrl } = env.value;
    // First thing, while the click still counts as a user gesture.
    const granted = deps.requestHostPermission(origin);
    begin('add');
    // The API client loads while the user answers the prompt.
    const api = loadRemote();
    api.catch(() => undefined);
    try {
      if (!(await granted)) {
        return refuse({ operation: 'add', code: 'host-permission', origin, message: `Access to ${origin} was not granted, so the token cannot be checked. Try again and allow access.` });
      }
      return await (await api).addCheckedToken(internals, input, { origin, baseUrl, id: format.value.id, secret: format.value.token });
    } catch (e) {
      return fail('add', e, { origin });
    } finally {
      busy.value = null;
    }
  }

  /** Usable stored tokens of the same owner and environment as `target`, with `apiTokens.write`. */
  function writersFor(target: Pick<StoredToken, 'environmentUrl' | 'owner' | 'id'>): StoredToken[] {
    return creators.value.filter((t) => sameOwner(t, target) && t.id !== target.id);
  }

  /**
   * Creates a PAT with `POST /apiTokens` (`personalAccessToken: true`) as the creator token's owner, stores it and
   * returns it with its secret for the one-time reveal. Refuses locally (nothing sent) when the creator lacks
   * `apiTokens.write` or its owner already has five PATs stored; the server's own 400 is decoded the same way.
   */
  function createToken(input: CreateTokenInput): Promise<CreatedToken | null> {
    return withRemote('create', (api) => api.createToken(internals, input), null);
  }

  /**
   * Revokes a token on the server (`DELETE /apiTokens/{id}`, made with another stored token of the same owner that
   * has `apiTokens.write`: a token cannot delete itself), then removes it here. A 404 means it is already gone on
   * the server and is removed here too.
   */
  function revokeToken(id: string): Promise<boolean> {
    return withRemote('revoke', (api) => api.revokeToken(internals, id), false);
  }

  /** Forgets a token in this browser only (it keeps working in Dynatrace). */
  async function removeToken(id: string): Promise<boolean> {
    begin('remove');
    try {
      await removeStoredToken(id);
      await refreshAfterWrite();
      succeed();
      return true;
    } catch (e) {
      return fail('remove', e, { tokenId: id }) ?? false;
    } finally {
      busy.value = null;
    }
  }

  /**
   * Makes a token the active one for every page (`null`: none). Expired tokens are refused. A production token
   * resolves `needs-confirmation` unless `confirmed` is set: ask the user, then call again with `confirmed: true`.
   */
  async function setActive(id: string | null, options: { confirmed?: boolean } = {}): Promise<ActivateOutcome> {
    if (id !== null) {
      const token = tokens.value.find((t) => t.id === id);
      if (token === undefined) return refuse({ operation: 'activate', code: 'not-found', tokenId: id, message: 'This token is no longer stored.' }) ?? 'refused';
      if (expired(token)) return refuse({ operation: 'activate', code: 'expired', tokenId: id, message: `"${token.label}" has expired and cannot be used. Create a new token.` }) ?? 'refused';
      if (token.production && options.confirmed !== true && id !== activeId.value) return 'needs-confirmation';
    }
    try {
      await setActiveTokenId(id, deps.now());
      activeId.value = id;
      succeed();
      return 'activated';
    } catch (e) {
      fail('activate', e, id === null ? {} : { tokenId: id });
      return 'refused';
    }
  }

  /**
   * Edits label, colour or the production tag (local only). The label is trimmed and must not be empty; the colour
   * must be `#rrggbb`. Resolves `false` with `error` set otherwise, or if the token is gone.
   */
  async function editToken(id: string, patch: Pick<TokenPatch, 'label' | 'color' | 'production'>): Promise<boolean> {
    const label = patch.label?.trim();
    if (label === '') return refuse({ operation: 'edit', code: 'invalid-input', tokenId: id, message: 'Give the token a label.' }) ?? false;
    if (patch.color !== undefined && !COLOR.test(patch.color)) {
      return refuse({ operation: 'edit', code: 'invalid-input', tokenId: id, message: 'Choose a colour like #1456c7.' }) ?? false;
    }
    begin('edit');
    try {
      await updateToken(id, { ...patch, ...(label === undefined ? {} : { label }) });
      await refreshAfterWrite();
      succeed();
      return true;
    } catch (e) {
      return fail('edit', e, { tokenId: id }) ?? false;
    } finally {
      busy.value = null;
    }
  }

  /**
   * Looks a stored token up again (`POST /apiTokens/lookup`) and stores its current scopes, expiry and last use.
   * Resolves the updated token, or `null` with `error` set (e.g. `expired`, `api` for a revoked token).
   */
  function recheckToken(id: string): Promise<StoredToken | null> {
    return withRemote('recheck', (api) => api.recheckToken(internals, id), null);
  }

  /**
   * Asks for host access again (after the user revoked it). Call straight from a click handler.
   */
  async function grantHostAccess(origin: string): Promise<boolean> {
    const request = deps.requestHostPermission(origin);
    try {
      const granted = await request;
      await checkHostAccess();
      if (!granted) {
        return refuse({ operation: 'grant', code: 'host-permission', origin, message: `Access to ${origin} was not granted.` }) ?? false;
      }
      if (error.value?.code === 'host-permission') error.value = null;
      return true;
    } catch (e) {
      return fail('grant', e, { origin }) ?? false;
    }
  }

  /** How this store's clients are built: the injected factory (tests) or the real client, and the permission check. */
  function clientOptions(): { createClient?: ClientFactory; hasHostPermission: (origin: string) => Promise<boolean> } {
    return { ...(deps.createClient === undefined ? {} : { createClient: deps.createClient }), hasHostPermission: deps.hasHostPermission };
  }

  /**
   * Runs an action of the network half, loading it first. `busy` is set while it loads, so forms stay disabled
   * (no second submit slips in before the action's own `begin`). A failed load is reported like any failure of the
   * action (and retried by the next one).
   */
  async function withRemote<T, F>(operation: TokensOperation, action: (api: Remote) => Promise<T>, failed: F): Promise<T | F> {
    busy.value = operation;
    let loaded: Remote;
    try {
      loaded = await loadRemote();
    } catch (e) {
      fail(operation, e);
      return failed;
    } finally {
      busy.value = null;
    }
    // Synchronously up to the action's own `begin`: nothing can start in between.
    return action(loaded);
  }

  /** What the network half works with. */
  const internals: TokensStoreInternals = {
    deps, tokens, expired, personalCount, writersFor, clientOptions, begin, succeed, fail, refuse, refreshAfterWrite,
    vaultLocked: () => vault.locked,
    end: () => { busy.value = null; },
  };

  /**
   * A client for a stored token, using this store's deps; loads the API client first (the dashboard can use
   * `platform/api` directly).
   */
  async function clientFor(token: StoredToken): Promise<DynatraceClient> {
    return (await loadRemote()).clientForToken(token, clientOptions());
  }

  /** Own writes show at once even before the storage event arrives. */
  async function refreshAfterWrite(): Promise<void> {
    const [list, id, ids] = await Promise.all([getTokens(), getActiveTokenId(), getSecretIds()]);
    tokens.value = list;
    activeId.value = id;
    secretIds.value = ids;
  }

  function clearError(): void {
    error.value = null;
    if (status.value === 'error') status.value = 'idle';
  }

  /** Stops following storage (tests; pages simply close). */
  function dispose(): void {
    stops.forEach((stop) => stop());
    stops = [];
    if (clockTimer !== undefined) clearInterval(clockTimer);
    clockTimer = undefined;
  }

  return {
    tokens, activeId, active, locked, status, error, busy, now, groups, creators, missingAccess,
    hasSecret, expired, expiringSoon, usable, personalCount, hostAccessMissing, writersFor,
    load, addToken, createToken, revokeToken, removeToken, setActive, editToken, recheckToken, grantHostAccess, clientFor,
    clearError, dispose,
  };
});
