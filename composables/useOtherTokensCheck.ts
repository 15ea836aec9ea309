import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { clientForToken } from '../platform/api';
import type { StoredToken } from '../platform/storage';
import { ApiError, type DynatraceClient } from '../lib/dynatrace';
import type { FailureView } from '../lib/failure/failure';
import { PROBE_CONCURRENCY, probeTokens, type ProbeState } from '../lib/compare/probe';
import type { ReadQuery } from '../lib/compare/read-query';
import { useInsightsStore } from '../stores/insights';
import { otherTokensOf } from './useAlternatives';

export interface UseOtherTokensCheckOptions {
  tokens: Ref<readonly StoredToken[]>;
  current: Ref<StoredToken | null>;
  clientFor?: (t: StoredToken) => DynatraceClient;
}

/**
 * "Check my other tokens" (docs/support.md): the page's read-only query once under each other stored token of the
 * environment, four at a time. What the answers prove feeds `stores/insights.ts`: the zones a token reached, and the
 * scope a failed query lacked when another token ran it; so suggestions ("Re-run with …") and pre-flight warnings
 * know it from then on. The check is dropped when the page's token switches or another query is checked.
 */
export function useOtherTokensCheck(opts: UseOtherTokensCheckOptions) {
  const insights = useInsightsStore();
  const clientFor = opts.clientFor ?? ((t: StoredToken) => clientForToken(t));
  const candidates = computed(() => otherTokensOf(opts.tokens.value, opts.current.value));
  const states = shallowRef<ProbeState[]>([]);
  const running = ref(false);
  /** The query key the states answer; a check of another query starts afresh. */
  const checkedKey = ref<string | null>(null);
  let controller: AbortController | null = null;

  /**
   * Checks `q` (identified by `key`) under every other token. `provesScope`: the one scope the failure named, which a
   * token that runs the query must hold.
   */
  async function check(q: ReadQuery, key: string, provesScope?: string): Promise<void> {
    controller?.abort();
    const ctrl = new AbortController();
    controller = ctrl;
    checkedKey.value = key;
    running.value = true;
    const list = candidates.value.map((t) => ({ tokenId: t.id, label: t.label, client: clientFor(t) }));
    try {
      const final = await probeTokens(list, q, {
        signal: ctrl.signal, concurrency: PROBE_CONCURRENCY,
        onUpdate: (s) => { if (controller === ctrl) states.value = s; },
      });
      if (controller !== ctrl) return;
      for (const s of final) {
        if (s.zones?.length) await insights.recordZones(s.tokenId, s.zones);
        if (provesScope && (s.status === 'succeeded' || s.status === 'empty')) insights.recordScopes(s.tokenId, [provesScope]);
      }
    } catch (e) {
      if (!(e instanceof ApiError && e.kind === 'aborted')) throw e;
    } finally {
      if (controller === ctrl) { running.value = false; controller = null; }
    }
  }

  function reset() {
    controller?.abort();
    controller = null;
    running.value = false;
    states.value = [];
    checkedKey.value = null;
  }

  /** The tokens whose answer held data: offered as "Re-run with <label>". */
  const succeeded = computed(() => states.value.filter((s) => s.status === 'succeeded').map((s) => ({ id: s.tokenId, label: s.label })));
  const pending = computed(() => states.value.filter((s) => s.status === 'waiting' || s.status === 'running'));

  watch(() => opts.current.value?.id, (now, before) => { if (now !== before) reset(); });
  if (getCurrentScope()) onScopeDispose(() => controller?.abort());

  return { candidates, states, running, checkedKey, succeeded, pending, check, reset };
}

/** A zone or scope failure that no stored token is known to get past offers "Check my other tokens". */
export function offersOtherTokensCheck(f: FailureView | null): boolean {
  return !!f && (f.apiKind === 'zone-denied' || f.apiKind === 'missing-scope') && !f.actions.some((a) => a.kind === 'rerun-with');
}
