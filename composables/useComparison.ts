import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { clientForToken } from '../platform/api';
import type { StoredToken } from '../platform/storage';
import { ApiError, type DynatraceClient } from '../lib/dynatrace';
import { describeFailure } from '../lib/failure/describe';
import type { FailureView } from '../lib/failure/failure';
import { compareAnswers, type ComparedToken, type Comparison } from '../lib/compare/compare';
import { runReadQuery, type ReadAnswer, type ReadQuery } from '../lib/compare/read-query';
import { zonesProvenBy } from '../lib/compare/probe';
import { useInsightsStore } from '../stores/insights';
import { otherTokensOf, widestFirst } from './useAlternatives';

/** One token's half of a comparison. */
export interface ComparisonSide {
  token: ComparedToken;
  status: 'loading' | 'success' | 'error';
  answer?: ReadAnswer;
  failure?: FailureView;
}

export interface UseComparisonOptions {
  tokens: Ref<readonly StoredToken[]>;
  /** The page's token: the left side. */
  current: Ref<StoredToken | null>;
  clientFor?: (t: StoredToken) => DynatraceClient;
}

const view = (t: StoredToken): ComparedToken => ({ tokenId: t.id, label: t.label, color: t.color, owner: t.owner });

/**
 * "Same query, two tokens" (docs/support.md): the page's query under the page's token and a second stored token of the
 * same environment, in parallel, each request abortable on its own. A new run, another second token, a token switch or
 * closing aborts both, and a late answer for a token no longer compared is dropped, never shown.
 */
export function useComparison(opts: UseComparisonOptions) {
  const insights = useInsightsStore();
  const clientFor = opts.clientFor ?? ((t: StoredToken) => clientForToken(t));
  const open = ref(false);
  const otherId = ref('');
  const options = computed(() => widestFirst(otherTokensOf(opts.tokens.value, opts.current.value), (id) => insights.zonesOf(id)));
  const sides = shallowRef<[ComparisonSide, ComparisonSide] | null>(null);
  const query = shallowRef<ReadQuery | null>(null);
  let controllers: AbortController[] = [];
  let generation = 0;

  function abort() {
    controllers.forEach((c) => c.abort());
    controllers = [];
  }

  /** Runs `q` under both tokens. */
  async function run(q: ReadQuery): Promise<void> {
    const a = opts.current.value;
    if (!a) return;
    if (!options.value.some((t) => t.id === otherId.value)) otherId.value = options.value[0]?.id ?? '';
    const b = options.value.find((t) => t.id === otherId.value);
    if (!b) return;
    abort();
    const mine = ++generation;
    open.value = true;
    query.value = q;
    const initial: [ComparisonSide, ComparisonSide] = [{ token: view(a), status: 'loading' }, { token: view(b), status: 'loading' }];
    sides.value = initial;
    const still = (t: StoredToken, i: 0 | 1) => mine === generation && (i === 0 ? opts.current.value?.id : otherId.value) === t.id;
    await Promise.all(([a, b] as const).map(async (t, i) => {
      const ctrl = new AbortController();
      controllers.push(ctrl);
      let next: ComparisonSide;
      try {
        const answer = await runReadQuery(clientFor(t), q, { signal: ctrl.signal });
        next = { token: view(t), status: 'success', answer };
        const zones = zonesProvenBy(q, answer);
        if (zones.length && still(t, i as 0 | 1)) void insights.recordZones(t.id, zones);
      } catch (e) {
        if (e instanceof ApiError && e.kind === 'aborted') return;
        next = { token: view(t), status: 'error', failure: describeFailure(e, { operation: 'query' }) };
      }
      if (!still(t, i as 0 | 1) || !sides.value) return; // a late answer of a token no longer compared: dropped
      const copy = [...sides.value] as [ComparisonSide, ComparisonSide];
      copy[i as 0 | 1] = next;
      sides.value = copy;
    }));
  }

  /** The two answers compared, once both arrived. */
  const comparison = computed<Comparison | null>(() => {
    const s = sides.value;
    const q = query.value;
    if (!s || !q || s[0].status !== 'success' || s[1].status !== 'success') return null;
    return compareAnswers(q, { token: s[0].token, answer: s[0].answer! }, { token: s[1].token, answer: s[1].answer! });
  });

  function close() {
    abort();
    generation++;
    open.value = false;
    sides.value = null;
    query.value = null;
  }

  // Another second token: the same query again; the answers of the one before are dropped.
  watch(otherId, (now) => { if (open.value && query.value && now && now !== sides.value?.[1].token.tokenId) void run(query.value); });
  // The page's token switched: this comparison is about a token no longer on show.
  watch(() => opts.current.value?.id, (now, before) => { if (now !== before) close(); });
  if (getCurrentScope()) onScopeDispose(abort);

  return { open, otherId, options, sides, query, comparison, run, close };
}
