import { computed, shallowRef } from 'vue';
import type { Comparison } from '../lib/compare/compare';
import type { Verdict } from '../lib/explain/verdict';

export type SupportReportItem =
  | { id: number; kind: 'explanation'; verdict: Verdict }
  | { id: number; kind: 'comparison'; comparison: Comparison };

/**
 * What the person added to the support report, shared by the pages of this tab (an explanation on the inspector, a
 * comparison on the metrics or entities page) and written out on the inspector page. Plain data the dashboard already
 * showed, never a secret; kept in memory only, so it goes with the tab.
 */
const items = shallowRef<SupportReportItem[]>([]);
let nextId = 1;

/** A plain copy: a reactive proxy cannot be cloned, and later runs must not change what was added. */
function plainCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function useSupportReport() {
  const explanations = computed(() => items.value.flatMap((i) => (i.kind === 'explanation' ? [i.verdict] : [])));
  const comparisons = computed(() => items.value.flatMap((i) => (i.kind === 'comparison' ? [i.comparison] : [])));
  function addExplanation(verdict: Verdict) {
    items.value = [...items.value, { id: nextId++, kind: 'explanation', verdict: plainCopy(verdict) }];
  }
  function addComparison(comparison: Comparison) {
    items.value = [...items.value, { id: nextId++, kind: 'comparison', comparison: plainCopy(comparison) }];
  }
  function remove(id: number) {
    items.value = items.value.filter((i) => i.id !== id);
  }
  function clear() {
    items.value = [];
  }
  return { items, explanations, comparisons, addExplanation, addComparison, remove, clear };
}
