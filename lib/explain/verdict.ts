/**
 * The reasoning of "Explain access" (docs/support.md): from the answers two tokens got for one object (or one entity
 * selector), one verdict with one cause. Pure: the evidence is gathered elsewhere (`./gather.ts`), and every verdict
 * follows from what the API answered. Where the answers do not settle it (neither token sees the object, the
 * reference token failed, the known zones contradict the answer), the verdict is "cannot tell" with the reason.
 */
import type { ApiErrorKind } from '../dynatrace/errors';
import { subjectText, type Subject } from './subject';

/** An entity or problem as a token's answer showed it; `zones` are the zones that token may see of it. */
export interface ObjectFacts {
  id: string;
  kind: 'entity' | 'problem';
  name: string;
  type?: string;
  zones: string[];
}

/** A failed read, as plain data: the client's kind, what the server named, and the sentence people read. */
export interface ReadError {
  kind: ApiErrorKind | 'other';
  status?: number;
  zone?: string;
  user?: string;
  scopes?: string[];
  permission?: string;
  /** `describeFailure`'s sentence (secret-free). */
  message: string;
}

export type Read<T> = { ok: true; value: T } | { ok: false; error: ReadError };

/** The zones a token is known to reach (from inspection, `stores/insights.ts`). */
export interface ZoneReach {
  zones: string[];
  /**
   * Inspection saw it reach every zone its settings list. Settings list only the caller's own zones
   * (docs/sandbox-behaviour.md, Zones), so this is no proof on its own: the verdict also checks the zones known
   * in the environment.
   */
  allZones: boolean;
  /** The zones come from an inspection that counted every page; otherwise they are the zones it was seen in. */
  complete: boolean;
  checkedAt?: number;
}

/** One token's part of the evidence. */
export interface Side {
  tokenId: string;
  label: string;
  owner: string;
  /** `null` when the zones are not known (inspection failed: `reachError` says why). */
  reach: ZoneReach | null;
  reachError?: string;
}

export type Answer =
  | { kind: 'object'; read: Read<ObjectFacts> }
  | { kind: 'list'; read: Read<{ entities: ObjectFacts[]; truncated: boolean }> };

export interface Evidence {
  subject: Subject;
  explained: Side & { answer: Answer };
  reference: (Side & { answer: Answer }) | null;
  /** Each request and its answer, in words: "GET /api/v2/entities/HOST-… as EU analyst: 404". */
  trail: string[];
  requests: number;
  /** Every zone known in the environment: seen by any stored token, or listed by its settings. */
  environmentZones?: string[];
}

export const CAUSES = [
  'visible', 'outside-zones', 'missing-scope', 'owner-permission', 'pat-v1-only', 'pat-disabled', 'token-expired',
  'token-invalid', 'not-found-anywhere', 'cannot-tell',
] as const;
export type Cause = (typeof CAUSES)[number];

export interface ZoneCountEntry { zone: string; count: number }

export interface Verdict {
  cause: Cause;
  /** Whether the explained token sees it; `null` when the evidence cannot tell. */
  visible: boolean | null;
  /** The cause in one sentence. */
  sentence: string;
  /** For "cannot tell": why the answers do not settle it. */
  why?: string;
  subject: string;
  object: ObjectFacts | null;
  /** The object's zones, read through the reference token (or the explained one when only it sees the object). */
  objectZones: string[] | null;
  /** Who read `objectZones`. */
  zonesReadBy: string | null;
  explainedZones: string[] | null;
  /** The object's zones the explained token does not reach. */
  outsideZones: string[];
  missingScopes: string[];
  /** For a selector: what the reference token sees and the explained token does not. */
  difference: { entities: ObjectFacts[]; byZone: ZoneCountEntry[]; unexplained: ObjectFacts[]; truncated: boolean; explainedCount: number; referenceCount: number } | null;
  explained: { label: string; owner: string };
  reference: { label: string; owner: string } | null;
  trail: string[];
  requests: number;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/** "Production EU only", "every management zone", "Production EU and Staging (at least)". */
export function reachText(reach: ZoneReach | null): string {
  if (!reach) return 'zones that are not known';
  if (reach.zones.length === 0) return 'no management zone';
  return `${list(reach.zones)}${reach.complete ? ' only' : ' (at least: the zones it was seen in)'}`;
}

function tokenText(s: Pick<Side, 'label' | 'owner'>): string {
  return `${s.owner}'s token "${s.label}"`;
}

function objectText(o: ObjectFacts): string {
  if (o.kind === 'problem') return `Problem ${o.name && o.name !== o.id ? `${o.name} (${o.id})` : o.id}`;
  return o.name && o.name !== o.id ? `${o.id} (${o.name})` : o.id;
}

function what(subject: Subject): string {
  return subject.kind === 'problem-id' || subject.kind === 'problem-display-id' ? 'problems' : 'entities';
}

function zoneCounts(entities: readonly ObjectFacts[]): ZoneCountEntry[] {
  const counts = new Map<string, number>();
  for (const e of entities) for (const z of e.zones) counts.set(z, (counts.get(z) ?? 0) + 1);
  return [...counts].map(([zone, count]) => ({ zone, count })).sort((a, b) => b.count - a.count || a.zone.localeCompare(b.zone));
}

const TOKEN_CAUSES: Partial<Record<ApiErrorKind | 'other', Cause>> = {
  'missing-scope': 'missing-scope',
  'owner-permission': 'owner-permission',
  'pat-v1-only': 'pat-v1-only',
  'pat-disabled': 'pat-disabled',
  'token-expired': 'token-expired',
  'token-invalid': 'token-invalid',
};

/** Derives the one verdict the evidence supports (see the file's header). */
export function explainVerdict(ev: Evidence): Verdict {
  const ex = ev.explained;
  const ref = ev.reference;
  const base: Verdict = {
    cause: 'cannot-tell', visible: null, sentence: '', subject: subjectText(ev.subject), object: null, objectZones: null, zonesReadBy: null,
    explainedZones: ex.reach ? [...ex.reach.zones] : null, outsideZones: [], missingScopes: [], difference: null,
    explained: { label: ex.label, owner: ex.owner }, reference: ref ? { label: ref.label, owner: ref.owner } : null,
    trail: ev.trail, requests: ev.requests,
  };
  const cannotTell = (why: string, extra: Partial<Verdict> = {}): Verdict => ({
    ...base, ...extra, cause: 'cannot-tell', visible: null,
    sentence: `Cannot tell whether ${tokenText(ex)} can see ${base.subject}, or why not.`, why,
  });
  const exRead = ex.answer.read;

  // 1. What the explained token's own answer settles on its own: the token or its owner is refused.
  if (!exRead.ok) {
    const err = exRead.error;
    const tokenCause = TOKEN_CAUSES[err.kind];
    if (tokenCause) return tokenVerdict(base, tokenCause, err, ex, ev.subject);
    if (err.kind === 'zone-denied') {
      // reject mode: the API named the zone (and the user) itself.
      const zone = err.zone ?? '';
      const difference = ref && ref.answer.kind === 'list' && ref.answer.read.ok ? listDifference([], ref.answer.read.value, ex.reach) : null;
      return {
        ...base, cause: 'outside-zones', visible: false, outsideZones: zone ? [zone] : [], difference,
        objectZones: difference ? difference.byZone.map((z) => z.zone) : null, zonesReadBy: difference && ref ? ref.label : null,
        sentence: `${base.subject} names the management zone "${zone}", which is outside the zones of ${err.user ?? ex.owner}; ${tokenText(ex)} reaches ${reachText(ex.reach)}.`,
      };
    }
    if (err.kind !== 'not-found') return cannotTell(`Reading it as "${ex.label}" failed: ${err.message}`);
  }

  // 2. A selector: the difference set between the two answers.
  if (ex.answer.kind === 'list') {
    const mine = exRead.ok && ex.answer.kind === 'list' ? (exRead.value as { entities: ObjectFacts[]; truncated: boolean }) : { entities: [], truncated: false };
    if (!ref) return cannotTell(`"${ex.label}" sees ${mine.entities.length} of them; without a reference token of this environment there is nothing to compare with.`);
    const refRead = ref.answer.read;
    if (!refRead.ok || ref.answer.kind !== 'list') return cannotTell(`"${ex.label}" sees ${mine.entities.length} of them, but the reference token "${ref.label}" could not list them: ${refRead.ok ? 'its answer was not a list' : refRead.error.message}`);
    const d = listDifference(mine.entities, refRead.value as { entities: ObjectFacts[]; truncated: boolean }, ex.reach, mine.truncated);
    const withZones = { difference: d, objectZones: d.byZone.map((z) => z.zone), zonesReadBy: ref.label };
    if (d.entities.length === 0) {
      return {
        ...base, ...withZones, cause: 'visible', visible: true,
        sentence: `${tokenText(ex)} sees ${d.referenceCount === 1 ? 'the one entity' : `all ${d.referenceCount} entities`} matching ${ev.subject.input} that "${ref.label}" sees${d.truncated ? ' (as far as the lists went: one stopped at its page cap)' : ''}.`,
      };
    }
    if (!ex.reach) return cannotTell(`${d.entities.length} of them are visible only to "${ref.label}", but the zones "${ex.label}" reaches are not known: ${ex.reachError ?? 'it was not inspected'}.`, withZones);
    const explainedEntities = d.entities.filter((e) => !d.unexplained.includes(e));
    if (explainedEntities.length === 0) {
      return cannotTell(`${d.entities.length} of them are visible only to "${ref.label}", yet they are in zones "${ex.label}" is known to reach (${list(ex.reach.zones)}): its zones may have changed; inspect it again.`, withZones);
    }
    const zones = zoneCounts(explainedEntities);
    return {
      ...base, ...withZones, cause: 'outside-zones', visible: false, outsideZones: zones.map((z) => z.zone),
      sentence: `${d.entities.length} of the ${d.referenceCount} entities matching ${ev.subject.input} are visible only to "${ref.label}": they are in ${list(zones.map((z) => `${z.zone} (${z.count})`))}; ${tokenText(ex)} reaches ${reachText(ex.reach)}.`
        + (d.unexplained.length ? ` ${d.unexplained.length} of them are in zones it is known to reach: for those the answers do not tell why.` : ''),
    };
  }

  // 3. One object.
  if (exRead.ok) {
    const o = exRead.value as ObjectFacts;
    const refObj = ref && ref.answer.kind === 'object' && ref.answer.read.ok ? ref.answer.read.value : null;
    const zones = refObj && refObj.zones.length >= o.zones.length ? refObj.zones : o.zones;
    return {
      ...base, cause: 'visible', visible: true, object: o, objectZones: zones, zonesReadBy: refObj && zones === refObj.zones ? ref!.label : ex.label,
      sentence: `${tokenText(ex)} can see ${objectText(o)}${o.zones.length ? `, in ${list(o.zones)}` : ''}.`,
    };
  }
  // The explained token got 404: only the reference token can say where the object is.
  if (!ref) return cannotTell(`"${ex.label}" gets "not found" for it, and there is no reference token of this environment to look it up with.`);
  const refRead = ref.answer.read;
  if (!refRead.ok) {
    if (refRead.error.kind !== 'not-found') return cannotTell(`"${ex.label}" gets "not found", and the reference token "${ref.label}" could not read it either: ${refRead.error.message}`);
    // Settings list only the zones a restricted caller may see (docs/sandbox-behaviour.md, Zones), so "every zone" is
    // what its settings list and what any stored token of the environment was seen to reach.
    const known = [...new Set([...(ev.environmentZones ?? []), ...(ex.reach?.zones ?? []), ...(ref.reach?.zones ?? [])])].sort();
    if (ref.reach?.allZones && known.length > 0 && known.every((z) => ref.reach!.zones.includes(z))) {
      return {
        ...base, cause: 'not-found-anywhere', visible: false,
        sentence: `No such ${what(ev.subject) === 'problems' ? 'problem' : 'entity'} for either token: neither "${ex.label}" nor "${ref.label}", which reaches every management zone known in this environment (${list(known)}), finds ${base.subject}.`,
      };
    }
    return cannotTell(`Neither "${ex.label}" nor "${ref.label}" finds it: it may not exist, or it is in a zone neither token reaches ("${ref.label}" is known to reach ${reachText(ref.reach)}${known.length ? `; zones known in this environment: ${list(known)}` : ''}).`);
  }
  const o = refRead.value as ObjectFacts;
  const located = { object: o, objectZones: o.zones, zonesReadBy: ref.label };
  if (o.zones.length === 0) return cannotTell(`"${ref.label}" sees ${objectText(o)}, but no management zone of it, so the answers do not say which zone "${ex.label}" misses.`, located);
  if (ex.reach) {
    const overlap = o.zones.filter((z) => ex.reach!.zones.includes(z));
    if (overlap.length) {
      const when = ex.reach.checkedAt ? ` (inspected ${new Date(ex.reach.checkedAt).toISOString()})` : '';
      return cannotTell(`"${ex.label}" is known to reach ${list(overlap)}${when}, where "${ref.label}" sees it, yet the API answers "not found": the token's zones may have changed; inspect it again.`, located);
    }
  }
  const reach = ex.reach ? `reaches ${reachText(ex.reach)}` : `does not reach it (its zones are not known: ${ex.reachError ?? 'it was not inspected'})`;
  return {
    ...base, ...located, cause: 'outside-zones', visible: false, outsideZones: o.zones,
    sentence: `${objectText(o)} is in ${list(o.zones)}; ${tokenText(ex)} ${reach}.`,
  };
}

function listDifference(mine: readonly ObjectFacts[], theirs: { entities: ObjectFacts[]; truncated: boolean }, reach: ZoneReach | null, mineTruncated = false) {
  const seen = new Set(mine.map((e) => e.id));
  const entities = theirs.entities.filter((e) => !seen.has(e.id));
  const unexplained = reach ? entities.filter((e) => e.zones.length === 0 || e.zones.some((z) => reach.zones.includes(z))) : [];
  return {
    entities, unexplained, byZone: zoneCounts(entities), truncated: theirs.truncated || mineTruncated,
    explainedCount: mine.length, referenceCount: theirs.entities.length,
  };
}

function tokenVerdict(base: Verdict, cause: Cause, err: ReadError, ex: Side, subject: Subject): Verdict {
  const t = tokenText(ex);
  switch (cause) {
    case 'missing-scope': {
      const scopes = err.scopes ?? [];
      return {
        ...base, cause, visible: false, missingScopes: scopes,
        sentence: scopes.length ? `${t} lacks the scope ${orList(scopes)}, which reading ${what(subject)} needs.` : `${t} lacks a scope that reading ${what(subject)} needs.`,
      };
    }
    case 'owner-permission':
      return { ...base, cause, visible: false, sentence: `${err.user ?? ex.owner} lacks the permission${err.permission ? ` "${err.permission}"` : ''} needed to read ${what(subject)}, so ${t} is refused although it holds the scope.` };
    case 'pat-v1-only':
      return { ...base, cause, visible: false, sentence: `${t} is a personal access token, and the environment accepts those only on API v2 for this request.` };
    case 'pat-disabled':
      return { ...base, cause, visible: false, sentence: `Personal access tokens are disabled in this environment, so ${t} is refused for every request.` };
    case 'token-expired':
      return { ...base, cause, visible: false, sentence: `${t} has expired: the environment refuses it for every request.` };
    default:
      return { ...base, cause: 'token-invalid', visible: false, sentence: `The environment does not accept ${t}: it is unknown, revoked, or its owner no longer exists.` };
  }
}
