import { computed, type Ref } from 'vue';
import { ApiError } from '../lib/dynatrace';
import { alternativesFor, zonesBeyondKnown, type TokenCapability } from '../lib/permissions/alternatives';
import type { StoredToken } from '../platform/storage';
import { useInsightsStore } from '../stores/insights';

/** A stored token's capabilities as far as they are known: scopes from lookup, zones from inspection. */
export function capabilityOf(t: StoredToken, zones: { zones: string[]; allZones: boolean } | undefined, now = Date.now()): TokenCapability {
  return {
    id: t.id, label: t.label, environmentUrl: t.environmentUrl, owner: t.owner, personal: t.personal, scopes: t.scopes,
    expired: t.expiresAt !== null && t.expiresAt <= now, zones: zones?.zones ?? null, allZones: zones?.allZones ?? false,
  };
}

/**
 * For a query panel: the other stored tokens that would succeed where this one failed, and the zones a
 * query names that this token is not known to reach (warned about before sending).
 */
export function useAlternatives(tokens: Ref<readonly StoredToken[]>, current: Ref<StoredToken | null>, error: Ref<Error | null>) {
  const insights = useInsightsStore();
  const alternatives = computed(() => {
    const e = error.value;
    const cur = current.value;
    if (!(e instanceof ApiError) || !cur) return [];
    const caps = tokens.value.map((t) => capabilityOf(t, insights.zonesOf(t.id)));
    return alternativesFor({ kind: e.kind, scopes: e.scopes, zone: e.zone }, capabilityOf(cur, insights.zonesOf(cur.id)), caps)
      .map((c) => ({ id: c.id, label: c.label }));
  });
  function zoneWarning(query: { entitySelector?: string; mzSelector?: string }): string[] {
    const cur = current.value;
    if (!cur) return [];
    return zonesBeyondKnown(query, capabilityOf(cur, insights.zonesOf(cur.id)));
  }
  return { alternatives, zoneWarning };
}
