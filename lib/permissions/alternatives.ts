import type { ApiErrorKind } from '../dynatrace/errors';
import { parseEntitySelector } from '../selectors';
import type { EntityCriterion } from '../selectors';

/** What the dashboard knows about a stored token without its secret: scopes from lookup, zones from inspection. */
export interface TokenCapability {
  id: string;
  label: string;
  environmentUrl: string;
  owner: string;
  personal: boolean;
  scopes: readonly string[];
  expired: boolean;
  /** Zone names the token was seen to reach (entities' managementZones); null when not inspected yet. */
  zones: readonly string[] | null;
  /** True when inspection found the token unrestricted (environment-wide). */
  allZones?: boolean;
}

export interface FailureFacts {
  kind: ApiErrorKind;
  scopes?: readonly { name: string }[];
  zone?: string;
}

/**
 * Other stored tokens of the same environment that would plausibly succeed where `current` failed:
 * one holding the missing scope, one that reaches the zone, a classic token when PATs are switched off.
 * Only facts known from lookup and inspection count; an uninspected token is never offered for a zone.
 */
export function alternativesFor(failure: FailureFacts, current: TokenCapability, others: readonly TokenCapability[]): TokenCapability[] {
  const pool = others.filter((t) => t.id !== current.id && t.environmentUrl === current.environmentUrl && !t.expired);
  const hasScopes = (t: TokenCapability, needed: readonly string[]) => needed.every((s) => t.scopes.includes(s));
  const reaches = (t: TokenCapability, zone: string) => t.allZones === true || (t.zones?.includes(zone) ?? false);
  switch (failure.kind) {
    case 'missing-scope': {
      const names = (failure.scopes ?? []).map((s) => s.name);
      // "Use one of": any single listed scope suffices.
      return pool.filter((t) => names.some((n) => t.scopes.includes(n)));
    }
    case 'zone-denied':
      return failure.zone ? pool.filter((t) => reaches(t, failure.zone!) && hasScopes(t, intersect(current.scopes, t.scopes))) : [];
    case 'owner-permission':
      return pool.filter((t) => t.owner !== current.owner);
    case 'pat-disabled':
    case 'pat-v1-only':
      return pool.filter((t) => !t.personal);
    case 'token-expired':
    case 'token-invalid':
      return pool.filter((t) => t.owner === current.owner);
    default:
      return [];
  }
}

function intersect(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((s) => b.includes(s));
}

/** Zone names a query names explicitly: `mzName(...)` in an entity selector and in an `mzSelector`. */
export function zonesNamedIn(query: { entitySelector?: string; mzSelector?: string }): string[] {
  const names = new Set<string>();
  const walk = (c: EntityCriterion) => {
    if (c.kind === 'mzName') c.names.forEach((n) => names.add(n));
    else if (c.kind === 'not') walk(c.criterion);
    else if (c.kind === 'relationship') c.selector.criteria.forEach(walk);
  };
  for (const sel of [query.entitySelector, query.mzSelector]) {
    if (!sel) continue;
    const parsed = parseEntitySelector(sel);
    if (parsed.ok) parsed.value.criteria.forEach(walk);
    else for (const m of sel.matchAll(/mzName\(([^)]*)\)/g)) for (const v of m[1]!.matchAll(/"((?:[^"~]|~.)*)"/g)) names.add(v[1]!.replace(/~(.)/g, '$1'));
  }
  return [...names];
}

/**
 * The zones a query names that the token is not known to reach. The real API filters such zones
 * silently (an empty chart, no error), so the dashboard warns before sending.
 */
export function zonesBeyondKnown(query: { entitySelector?: string; mzSelector?: string }, token: Pick<TokenCapability, 'zones' | 'allZones'>): string[] {
  if (token.allZones || token.zones === null) return [];
  return zonesNamedIn(query).filter((z) => !token.zones!.includes(z));
}
