import { computed, type ComputedRef, type Ref } from 'vue';
import { useRoute, useRouter, type RouteLocationRaw } from 'vue-router';
import { describeFailure } from '../lib/failure/describe';
import type { FailureAction, FailureView } from '../lib/failure/failure';
import { useAlternatives } from './useAlternatives';
import { useDashboardIdentity } from './useDashboardIdentity';

/**
 * What every dashboard query panel shares: the identity it runs as, its state in the URL (read with `param`, written
 * with `saveParams`, both keeping a pinned tab's `?token=`), links to other pages that keep the pin, and a query's failure as people read it (`failureOf`), with
 * "Re-run with <label>" for each stored token known to succeed where this one failed.
 */
export function useQueryPanel() {
  const route = useRoute();
  const router = useRouter();
  const identity = useDashboardIdentity();
  const tokens = computed(() => identity.store.tokens);
  const { zoneWarning } = useAlternatives(tokens, identity.token, computed(() => null));

  /** The value of `key` in this page's URL, or `fallback`. */
  function param(key: string, fallback = ''): string {
    const v = route.query[key];
    return typeof v === 'string' ? v : fallback;
  }

  const pinnedQuery = (): Record<string, string> => (typeof route.query.token === 'string' ? { token: route.query.token } : {});

  /** Writes the panel's state to the URL (empty values are left out), keeping `?token=`. Never a secret. */
  async function saveParams(params: Record<string, string | undefined>): Promise<void> {
    const kept = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
    await router.replace({ path: route.path, query: { ...pinnedQuery(), ...kept } });
  }

  /** A link to another dashboard page with its own URL state, keeping `?token=`. */
  function linkTo(path: string, params: Record<string, string> = {}): RouteLocationRaw {
    return { path, query: { ...pinnedQuery(), ...params } };
  }

  /**
   * The failure of a query of the panel, with "Re-run with <label>" for the stored tokens known to succeed: from what is
   * known of them, and those `confirmed` by running the same query ("Check my other tokens").
   */
  function failureOf(error: Ref<Error | null>, confirmed?: Ref<readonly { id: string; label: string }[]>): ComputedRef<FailureView | null> {
    const { alternatives } = useAlternatives(tokens, identity.token, error);
    return computed(() => {
      if (error.value === null) return null;
      const known = alternatives.value;
      const extra = (confirmed?.value ?? []).filter((c) => !known.some((k) => k.id === c.id));
      return describeFailure(error.value, { operation: 'query', alternatives: [...known, ...extra] });
    });
  }

  /** Carries out a failure's action: re-running pins this tab to the other token (the query re-runs on the switch). */
  function onFailureAction(action: FailureAction): void {
    if (action.kind === 'rerun-with') void identity.pin(action.tokenId);
  }

  return { ...identity, param, saveParams, linkTo, failureOf, onFailureAction, zoneWarning };
}
