import { computed, type Ref } from 'vue';
import { ApiError } from '../lib/dynatrace';
import { alternativesFor, zonesBeyondKnown, type TokenCapability } from '../lib/permissions/alternatives';
import { isExpired } from '../lib/tokens/rules';
import type { StoredToken } from '../platform/storage';
import { useInsightsStore } from '../stores/insights';

/**
 * A stored token's capabilities as far as they are known: scopes from lookup (and those a successful request proved,
 * `learnedScopes`), zones from inspection and from answers.
 */
export function capabilityOf(t: StoredToken, zones: { zones: string[]; allZones: boolean } | undefined, now = Date.now(), learnedScopes: readonly string[] = []): TokenCapability {
  return {
    id: t.id, label: t.label, environmentUrl: t.environmentUrl, owner: t.owner, personal: t.personal,
    scopes: learnedScopes.length ? [...new Set([...t.scopes, ...learnedScopes])] : t.scopes,
    expired: t.expiresAt !== null && t.expiresAt <= now, zones: zones?.zones ?? null, allZones: zones?.allZones ?? false,
  };
}

/** Every zone any stored token of `environmentUrl` was seen to reach. */
export function environmentZones(insights: Pick<ReturnType<typeof useInsightsStore>, 'zonesOf'>, tokens: readonly StoredToken[], environmentUrl: string): string[] {
  return [...new Set(tokens.filter((t) => t.environmentUrl === environmentUrl).flatMap((t) => insights.zonesOf(t.id)?.zones ?? []))].sort();
}

/** The other usable stored tokens of `current`'s environment: the ones a comparison or a check can run under. */
export function otherTokensOf(tokens: readonly StoredToken[], current: StoredToken | null, now = Date.now()): StoredToken[] {
  if (!current) return [];
  return tokens.filter((t) => t.id !== current.id && t.environmentUrl === current.environmentUrl && !isExpired(t, now));
}

/**
 * Orders tokens by how much they are known to see: most known zones first, unknown last, then by label. The first is
 * the default reference token of "Explain access" and the default second token of a comparison.
 */
export function widestFirst(tokens: readonly StoredToken[], zonesOf: (id: string) => { zones: string[] } | undefined): StoredToken[] {
  const width = (t: StoredToken) => zonesOf(t.id)?.zones.length ?? -1;
  return [...tokens].sort((a, b) => width(b) - width(a) || a.label.localeCompare(b.label));
}

/**
 * For a query panel: the other stored tokens that would succeed where this one failed, and the zones a
 * query names that this token is not known to reach (warned about before sending).
 */
export function useAlternatives(tokens: Ref<readonly StoredToken[]>, current: Ref<StoredToken | null>, error: Ref<Error | null>) {
  const insights = useInsightsStore();
  const cap = (t: StoredToken) => {
    const z = insights.zonesOf(t.id);
    // "Every zone" recorded before another token showed a zone this one was not seen in no longer holds.
    const stale = z?.allZones && !environmentZones(insights, tokens.value, t.environmentUrl).every((x) => z.zones.includes(x));
    return capabilityOf(t, stale ? { ...z, allZones: false } : z, Date.now(), insights.scopesOf(t.id));
  };
  const alternatives = computed(() => {
    const e = error.value;
    const cur = current.value;
    if (!(e instanceof ApiError) || !cur) return [];
    return alternativesFor({ kind: e.kind, scopes: e.scopes, zone: e.zone }, cap(cur), tokens.value.map(cap))
      .map((c) => ({ id: c.id, label: c.label }));
  });
  function zoneWarning(query: { entitySelector?: string; mzSelector?: string }): string[] {
    const cur = current.value;
    if (!cur) return [];
    return zonesBeyondKnown(query, cap(cur));
  }
  return { alternatives, zoneWarning };
}
