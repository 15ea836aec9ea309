import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import type { DynatraceClient } from '../lib/dynatrace';
import { useApiQuery, type ClientIdentity } from './useApiQuery';

export interface PagedListOptions<P, I> {
  items: (page: P) => readonly I[] | undefined;
  nextKey: (page: P) => string | null | undefined;
  /** Fetches the page after `key` (only the key is sent). */
  fetchMore: (client: DynatraceClient, key: string, signal: AbortSignal) => Promise<P>;
  /** Called with each page's items as they arrive. */
  onItems?: (items: readonly I[]) => void;
}

/**
 * A cursor-paged list with "load more": the first page is a query of its own (re-run on a token
 * switch, cached per token), later pages append. Rows follow the first page however it arrived.
 */
export function usePagedList<P, I>(identity: Ref<ClientIdentity | null>, opts: PagedListOptions<P, I>) {
  const first = useApiQuery<P>(identity);
  const more = useApiQuery<P>(identity, { rerunOnSwitch: false });
  const rows = shallowRef<I[]>([]);
  const next = ref<string | null>(null);

  watch(first.data, (page) => {
    rows.value = page ? [...(opts.items(page) ?? [])] : [];
    next.value = page ? opts.nextKey(page) ?? null : null;
    if (page) opts.onItems?.(rows.value);
  });

  async function loadMore() {
    const key = next.value;
    if (!key) return;
    await more.run(`more:${key}`, (client, signal) => opts.fetchMore(client, key, signal));
    const page = more.data.value;
    if (!page) return;
    const items = opts.items(page) ?? [];
    rows.value = [...rows.value, ...items];
    next.value = opts.nextKey(page) ?? null;
    opts.onItems?.(items);
  }

  const error = computed(() => first.error.value ?? more.error.value);
  return { first, more, rows, next, loadMore, error };
}
