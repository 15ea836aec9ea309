import { ref, type Ref } from 'vue';
import { useDebounceFn } from '@vueuse/core';
import type { ClientIdentity } from './useApiQuery';

/**
 * Metric key completions from `GET /api/v2/metrics?text=`: debounced while typing, and a lookup that
 * is superseded by a newer one is cancelled (its answer never replaces the newer list).
 */
export function useMetricKeySuggestions(identity: Ref<ClientIdentity | null>, delayMs = 250) {
  const keys = ref<string[]>([]);
  let controller: AbortController | null = null;

  const fetchKeys = useDebounceFn(async (prefix: string) => {
    controller?.abort();
    const id = identity.value;
    if (!id || prefix.length < 2) { keys.value = []; return; }
    const ctrl = new AbortController();
    controller = ctrl;
    try {
      const res = await id.client.metrics.list({ text: prefix, pageSize: 10, fields: 'metricId' }, { signal: ctrl.signal });
      if (controller === ctrl) keys.value = (res.metrics ?? []).map((m) => m.metricId).filter((k): k is string => !!k);
    } catch {
      if (controller === ctrl) keys.value = [];
    }
  }, delayMs);

  return { keys, lookup: (prefix: string) => { void fetchKeys(prefix); } };
}
