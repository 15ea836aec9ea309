import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { Failure, type FailureContext, type FailureView } from '../lib/failure/failure';
import { expiresSoon, isExpired, MAX_PATS_PER_OWNER, originOf, personalTokenCount, sameOwner, WRITE_SCOPE } from '../lib/tokens/rules';
import { needsHostPermission, watchHostPermissions } from '../platform/permissions';
import {
  getActiveTokenId, getTokens, setActiveTokenId, watchActiveTokenId, watchTokens, type StoredToken,
} from '../platform/tokens';
import { getSecretIds, VaultLockedError, watchSecretIds } from '../platform/vault';
import type { TokenPatch } from '../platform/token-writes';
import type * as Requests from './token-requests';
import type { AddTokenInput, CreatedToken, CreateTokenInput, RequestContext, Result } from './token-requests';
import { resolveTokensStoreDeps } from './deps';
import { useVaultStore } from './vault';

export type { StoredToken } from '../platform/tokens';
export type { AddTokenInput, CreatedToken, CreateTokenInput } from './token-requests';
export { MAX_PATS_PER_OWNER, WRITE_SCOPE };

export type TokensOperation = 'load' | 'add' | 'create' | 'revoke' | 'remove' | 'activate' | 'edit' | 'grant' | 'recheck';

/** A failed token action, as people read it (see `lib/failure/describe.ts`), and which action it was. No secret. */
export type TokensError = FailureView & { operation: TokensOperation };

/** One environment + owner, with the owner's PAT count against the limit of five. */
export interface TokenGroup {
  environmentUrl: string;
  owner: string;
  /** Stored PATs of this owner in this environment ("3 of 5"). */
  personalCount: number;
  tokens: StoredToken[];
}

export type ActivateOutcome = 'activated' | 'needs-confirmation' | 'refused';

type RequestsModule = typeof Requests;

let requests: RequestsModule | null = null;
let loadingRequests: Promise<RequestsModule> | null = null;

/**
 * Loads the requests half (API client, error texts) on demand: the first action that needs it pays for it, the list
 * screen never does. A failed load (e.g. the extension was updated meanwhile) is retried by the next action.
 */
function loadRequests(): Promise<RequestsModule> {
  loadingRequests ??= import('./token-requests').then(
    (module) => (requests = module),
    (error: unknown) => {
      loadingRequests = null;
      throw error;
    },
  );
  return loadingRequests;
}

/** The failure of a part of the extension that did not load: the one failure that cannot use the describer. */
const LOAD_FAILED: FailureView = {
  kind: 'load-failed',
  title: 'Part of Tokenscope did not load',
  message: 'This part of Tokenscope could not be loaded. Close the popup and open it again.',
  actions: [],
};

/**
 * The stored tokens for the UI: list, active token, vault lock state, and every token action. Follows changes from
 * other pages (popup, dashboard tabs, the keyboard command) through storage watches, within one event.
 *
 * The store owns its state: actions that send requests run the pure functions of `./token-requests` and apply their
 * {@link Result}. Never holds a secret: `hasSecret(id)` tells whether one is stored; secrets are decrypted by the API
 * client at request time. `createToken` returns the new secret to its caller for the one-time reveal; it is not kept.
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

  const hasSecret = (id: string): boolean => secretIds.value.includes(id);
  const expired = (token: StoredToken): boolean => isExpired(token, now.value);
  const expiringSoon = (token: StoredToken): boolean => expiresSoon(token, now.value);
  /** Can be made active: stored secret and not expired. */
  const usable = (token: StoredToken): boolean => hasSecret(token.id) && !expired(token);
  const personalCount = (environmentUrl: string, owner: string): number => personalTokenCount(tokens.value, environmentUrl, owner);

  /** Stored tokens that can create a PAT: usable, with `apiTokens.write`. */
  const creators = computed(() => tokens.value.filter((t) => usable(t) && t.personal && t.scopes.includes(WRITE_SCOPE)));

  // ---- following storage -----------------------------------------------------------------------------------------

  let stops: (() => void)[] = [];
  let clockTimer: ReturnType<typeof setInterval> | undefined;

  async function checkHostAccess(): Promise<void> {
    const origins = [...new Set(tokens.value.map((t) => originOf(t.environmentUrl)))].filter(needsHostPermission);
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

  /** Own writes show at once, before the storage event arrives. */
  async function reread(): Promise<void> {
    const [list, id, ids] = await Promise.all([getTokens(), getActiveTokenId(), getSecretIds()]);
    tokens.value = list;
    activeId.value = id;
    secretIds.value = ids;
  }

  // ---- outcomes -----------------------------------------------------------------------------------------------------

  function begin(operation: TokensOperation): void {
    busy.value = operation;
    status.value = 'loading';
    error.value = null;
  }

  function showFailure(operation: TokensOperation, view: FailureView): void {
    error.value = { ...view, operation };
    status.value = 'error';
  }

  /**
   * Describes a failure thrown here (storage, vault, a refusal) with the same describer the requests use, loaded on
   * demand like them: the list screen's first load does not carry the error texts.
   */
  async function fail(operation: TokensOperation, e: unknown, context: FailureContext = {}): Promise<void> {
    try {
      const { describeFailure } = await loadRequests();
      showFailure(operation, describeFailure(e, { operation, ...context }));
    } catch {
      showFailure(operation, LOAD_FAILED);
    }
  }

  /** Applies a request's result: state follows the outcome; the value (or `null`) goes back to the caller. */
  async function settle<T>(operation: TokensOperation, result: Result<T>): Promise<T | null> {
    if (!result.ok) {
      showFailure(operation, result.error);
      return null;
    }
    await reread().catch(() => undefined);
    status.value = 'success';
    error.value = null;
    return result.value;
  }

  function context(): RequestContext {
    return {
      tokens: tokens.value,
      now: deps.now(),
      client: { ...(deps.createClient === undefined ? {} : { createClient: deps.createClient }), hasHostPermission: deps.hasHostPermission },
    };
  }

  /**
   * Runs an action of the requests half, loading it first. `busy` is set from the start, so forms stay disabled
   * while it loads (no second submit slips in); a failed load is that action's failure.
   */
  async function request<T>(operation: TokensOperation, run: (api: RequestsModule) => Promise<Result<T>>): Promise<T | null> {
    begin(operation);
    try {
      const api = await loadRequests().catch(() => null);
      if (api === null) {
        showFailure(operation, LOAD_FAILED);
        return null;
      }
      return await settle(operation, await run(api));
    } finally {
      busy.value = null;
    }
  }

  // ---- actions ----------------------------------------------------------------------------------------------------

  /** Reads everything and starts following changes from other pages. Safe to call again (re-reads). */
  async function load(): Promise<void> {
    status.value = 'loading';
    follow();
    try {
      now.value = deps.now();
      await Promise.all([reread(), vault.load()]);
      await checkHostAccess();
      status.value = 'success';
    } catch (e) {
      await fail('load', e);
    }
  }

  /**
   * Loads what the add form needs to check its input synchronously; the add screen calls it when it opens, so the
   * submit can ask for host access while the click still counts as a user gesture.
   */
  function prepare(): Promise<void> {
    return loadRequests().then(() => undefined, () => undefined);
  }

  /**
   * Checks a token with `POST /apiTokens/lookup` and stores it (metadata in the list, secret sealed in the vault).
   * Call it straight from the submit handler: for a tenant origin it asks for host access before its first await.
   * Resolves the stored token, or `null` with `error` set; nothing is stored on failure.
   */
  async function addToken(input: AddTokenInput): Promise<StoredToken | null> {
    const api = requests ?? (await loadRequests().catch(() => null));
    if (api === null) {
      showFailure('add', LOAD_FAILED);
      return null;
    }
    const checked = api.checkAddInput(input);
    if (!checked.ok) return settle('add', checked);
    if (vault.locked) {
      await fail('add', new VaultLockedError());
      return null;
    }
    const { origin } = checked.value.environment;
    // First thing after the checks, while the click still counts as a user gesture.
    const granted = deps.requestHostPermission(origin);
    begin('add');
    try {
      if (!(await granted.catch(() => false))) {
        await fail('add', new Failure('host-permission', `Access to ${origin} was not granted, so the token cannot be checked. Try again and allow access.`, { origin }), { where: origin });
        return null;
      }
      return await settle('add', await api.addCheckedToken(context(), input, checked.value));
    } finally {
      busy.value = null;
    }
  }

  /** Creates a PAT as the creator token's owner and stores it; see `createToken` in `./token-requests`. */
  function createToken(input: CreateTokenInput): Promise<CreatedToken | null> {
    return request('create', (api) => api.createToken(context(), input)).then((created) => {
      // Created on the server but not stored: the caller shows the secret; the error says why it is not stored.
      if (created?.storeError) showFailure('create', created.storeError);
      return created;
    });
  }

  /** Revokes a token on the server, then removes it here; see `revokeToken` in `./token-requests`. */
  async function revokeToken(id: string): Promise<boolean> {
    return (await request('revoke', (api) => api.revokeToken(context(), id, hasSecret))) !== null;
  }

  /** Looks a stored token up again and stores its current scopes, expiry and last use. */
  function recheckToken(id: string): Promise<StoredToken | null> {
    return request('recheck', (api) => api.recheckToken(context(), id));
  }

  /** Forgets a token in this browser only (it keeps working in Dynatrace). */
  async function removeToken(id: string): Promise<boolean> {
    return (await request('remove', (api) => api.removeStoredToken(id))) !== null;
  }

  /**
   * Makes a token the active one for every page (`null`: none). Expired tokens are refused. A production token
   * resolves `needs-confirmation` unless `confirmed` is set: ask the user, then call again with `confirmed: true`.
   */
  async function setActive(id: string | null, options: { confirmed?: boolean } = {}): Promise<ActivateOutcome> {
    const token = id === null ? undefined : tokens.value.find((t) => t.id === id);
    if (token?.production === true && options.confirmed !== true && id !== activeId.value && !expired(token)) return 'needs-confirmation';
    try {
      // Refuses a token that is gone or expired (TokenNotFoundError, TokenNotUsableError), under the storage lock.
      await setActiveTokenId(id, deps.now());
      activeId.value = id;
      status.value = 'success';
      error.value = null;
      return 'activated';
    } catch (e) {
      await fail('activate', e, id === null ? {} : { tokenId: id });
      return 'refused';
    }
  }

  /**
   * Edits label, colour or the production tag (local only). The label is trimmed and must not be empty; the colour
   * must be `#rrggbb`. Resolves `false` with `error` set otherwise, or if the token is gone.
   */
  async function editToken(id: string, patch: Pick<TokenPatch, 'label' | 'color' | 'production'>): Promise<boolean> {
    return (await request('edit', (api) => api.editToken(id, patch))) !== null;
  }

  /** Acknowledges the note that a token was used from a new address. */
  async function acknowledgeAddress(id: string): Promise<boolean> {
    return (await request('edit', (api) => api.acknowledgeAddress(id))) !== null;
  }

  /** Asks for host access again (after the user revoked it). Call straight from a click handler. */
  async function grantHostAccess(origin: string): Promise<boolean> {
    const asked = deps.requestHostPermission(origin);
    try {
      const granted = await asked;
      await checkHostAccess();
      if (!granted) {
        await fail('grant', new Failure('host-permission', `Access to ${origin} was not granted.`, { origin }));
        return false;
      }
      if (error.value?.kind === 'host-permission') error.value = null;
      return true;
    } catch (e) {
      await fail('grant', e, { where: origin });
      return false;
    }
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
    hasSecret, expired, expiringSoon, usable, personalCount,
    requestContext: context,
    load, prepare, addToken, createToken, revokeToken, removeToken, setActive, editToken, recheckToken, grantHostAccess,
    acknowledgeAddress,
    clearError, dispose,
  };
});
