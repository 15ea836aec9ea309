import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { ApiError, type DynatraceClient } from '../lib/dynatrace';

/** The identity a query runs as: a stored token's id and a client bound to it. */
export interface ClientIdentity {
  tokenId: string;
  client: DynatraceClient;
}

export type QueryStatus = 'idle' | 'loading' | 'success' | 'error';

export type QueryFn<T> = (client: DynatraceClient, signal: AbortSignal) => Promise<T>;

const CACHE_LIMIT = 64;
/** Results per token id and query key: one identity's data never shows under another. */
const cache = new Map<string, unknown>();

function remember(key: string, value: unknown) {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
}

/** Forgets every cached result: when the vault locks or is erased (`DashboardApp.vue`), and in tests. */
export function clearQueryCache(): void {
  cache.clear();
}

export interface UseApiQueryOptions {
  /** Re-run the last query under the new identity when the token switches (default true). */
  rerunOnSwitch?: boolean;
}

/**
 * Runs API queries as the current identity. A new run aborts the previous one; a token switch aborts
 * the in-flight request of the old token, and an answer that arrives late for a superseded run or an
 * old identity is dropped, never rendered. Results are cached per token id and key.
 */
export function useApiQuery<T>(identity: Ref<ClientIdentity | null>, options: UseApiQueryOptions = {}) {
  const data = shallowRef<T | null>(null);
  const error = shallowRef<ApiError | Error | null>(null);
  const status = ref<QueryStatus>('idle');
  /** Which token the shown data belongs to. */
  const dataTokenId = ref<string | null>(null);
  let controller: AbortController | null = null;
  let generation = 0;
  let last: { key: string; fn: QueryFn<T> } | null = null;

  function abort() {
    controller?.abort();
    controller = null;
  }

  async function run(key: string, fn: QueryFn<T>): Promise<void> {
    last = { key, fn };
    abort();
    const id = identity.value;
    const mine = ++generation;
    if (!id) {
      status.value = 'idle';
      data.value = null;
      dataTokenId.value = null;
      return;
    }
    const ctrl = new AbortController();
    controller = ctrl;
    status.value = 'loading';
    error.value = null;
    const cacheKey = `${id.tokenId}::${key}`;
    if (cache.has(cacheKey)) {
      data.value = cache.get(cacheKey) as T;
      dataTokenId.value = id.tokenId;
    } else if (dataTokenId.value !== id.tokenId) {
      data.value = null;
    }
    try {
      const result = await fn(id.client, ctrl.signal);
      if (mine !== generation || identity.value?.tokenId !== id.tokenId) return; // stale: dropped
      data.value = result;
      dataTokenId.value = id.tokenId;
      remember(cacheKey, result);
      status.value = 'success';
    } catch (e) {
      if (mine !== generation || identity.value?.tokenId !== id.tokenId) return;
      const err = e instanceof Error ? e : new Error(String(e));
      if (err instanceof ApiError && err.kind === 'aborted') return;
      error.value = err;
      status.value = 'error';
      if (dataTokenId.value !== id.tokenId) data.value = null;
    } finally {
      if (controller === ctrl) controller = null;
    }
  }

  watch(() => identity.value?.tokenId, (now, before) => {
    if (now === before) return;
    abort();
    generation++;
    error.value = null;
    data.value = null;
    dataTokenId.value = null;
    status.value = 'idle';
    if (now && last && options.rerunOnSwitch !== false) void run(last.key, last.fn);
  });

  function reset() {
    abort();
    generation++;
    last = null;
    data.value = null;
    error.value = null;
    dataTokenId.value = null;
    status.value = 'idle';
  }

  if (getCurrentScope()) onScopeDispose(abort);

  /** There is an answer and it belongs to the identity on show now: the one check before rendering `data`. */
  const current = computed(() => data.value !== null && dataTokenId.value !== null && dataTokenId.value === identity.value?.tokenId);

  return { data, error, status, dataTokenId, current, run, abort, reset };
}
