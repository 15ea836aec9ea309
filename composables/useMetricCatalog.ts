import { getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { useDebounceFn } from '@vueuse/core';
import type { BuilderDescriptor, MetricOption } from '../lib/builder';
import type { ClientIdentity } from './useApiQuery';

export interface UseMetricCatalogOptions {
  /** The token the lookups run as; a switch clears the results and the descriptor cache. */
  identity: Ref<ClientIdentity | null>;
  /** Debounce of `search` while typing (default 250 ms, as composables/useMetricKeySuggestions.ts). */
  delayMs?: number;
  /** Results per search (default 20). */
  pageSize?: number;
}

/** Fewer characters search nothing: one letter matches most of the catalogue. */
const MIN_SEARCH_LENGTH = 2;

/**
 * The metric catalogue for the query builder: `search(text)` looks metrics up by key, display name
 * and description (`GET /api/v2/metrics?text=`, docs/dynatrace-api-notes.md §5.2), debounced, and a lookup superseded by
 * a newer one is aborted so its answer never replaces the newer list. `describe(metricKey)` fetches a
 * descriptor (`GET /api/v2/metrics/{key}`, §5.3) once per token and key: descriptors rarely change
 * within a session, and the builder asks again on every metric it shows.
 *
 * A token switch clears both, because another token may see other metrics (custom metrics, zones);
 * answers that arrive for the old token are dropped.
 */
export function useMetricCatalog(options: UseMetricCatalogOptions) {
  const { identity, delayMs = 250, pageSize = 20 } = options;
  const results = shallowRef<MetricOption[]>([]);
  const searching = ref(false);
  const searchError = shallowRef<Error | null>(null);
  /** Descriptor requests by metric key, for the token in `cacheToken`. */
  const descriptors = new Map<string, Promise<BuilderDescriptor>>();
  let cacheToken: string | null = null;
  let controller: AbortController | null = null;
  const describeControllers = new Set<AbortController>();

  function abortSearch() {
    controller?.abort();
    controller = null;
    searching.value = false;
  }

  function forgetToken() {
    abortSearch();
    for (const c of describeControllers) c.abort();
    describeControllers.clear();
    descriptors.clear();
    cacheToken = null;
    results.value = [];
    searchError.value = null;
  }

  watch(() => identity.value?.tokenId ?? null, forgetToken);

  const runSearch = useDebounceFn(async (text: string) => {
    abortSearch();
    const id = identity.value;
    const trimmed = text.trim();
    if (!id || trimmed.length < MIN_SEARCH_LENGTH) {
      results.value = [];
      searchError.value = null;
      return;
    }
    const ctrl = new AbortController();
    controller = ctrl;
    searching.value = true;
    try {
      const page = await id.client.metrics.list(
        { text: trimmed, pageSize, fields: 'displayName,unit,description' },
        { signal: ctrl.signal },
      );
      if (controller !== ctrl) return; // superseded or the token switched: dropped
      results.value = page.metrics.flatMap((m) =>
        m.metricId
          ? [{ metricKey: m.metricId, displayName: m.displayName, unit: m.unit, description: m.description }]
          : [],
      );
      searchError.value = null;
    } catch (error) {
      if (controller !== ctrl) return;
      results.value = [];
      searchError.value = error instanceof Error ? error : new Error(String(error));
    } finally {
      if (controller === ctrl) {
        controller = null;
        searching.value = false;
      }
    }
  }, delayMs);

  /** Starts a (debounced) search; text shorter than two characters clears the results. */
  function search(text: string): void {
    void runSearch(text);
  }

  /**
   * The descriptor of `metricKey` for the current token, from the cache when asked before.
   * Resolves with `null` when there is no identity or the token switched while it loaded (the answer
   * belongs to the old token); rejects with the client's error otherwise, and a failed request is
   * not cached, so asking again retries.
   */
  async function describe(metricKey: string): Promise<BuilderDescriptor | null> {
    const id = identity.value;
    if (!id || metricKey === '') return null;
    if (cacheToken !== id.tokenId) {
      descriptors.clear();
      cacheToken = id.tokenId;
    }
    let pending = descriptors.get(metricKey);
    if (pending === undefined) {
      const ctrl = new AbortController();
      describeControllers.add(ctrl);
      pending = id.client.metrics.get(metricKey, { signal: ctrl.signal }).finally(() => describeControllers.delete(ctrl));
      descriptors.set(metricKey, pending);
      pending.catch(() => {
        if (descriptors.get(metricKey) === pending) descriptors.delete(metricKey);
      });
    }
    try {
      const descriptor = await pending;
      return identity.value?.tokenId === id.tokenId ? descriptor : null;
    } catch (error) {
      // A switch aborts the old token's requests; that abort is not an error of the new token.
      if (identity.value?.tokenId !== id.tokenId) return null;
      throw error;
    }
  }

  if (getCurrentScope()) onScopeDispose(forgetToken);

  return { results, searching, searchError, search, describe };
}
