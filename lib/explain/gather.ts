/**
 * The requests behind "Explain access": the same read-only requests under the explained token and the reference
 * token, turned into the plain {@link Evidence} that `./verdict.ts` reasons about. Only GET endpoints are used
 * (entities, problems); the zones a token reaches come from inspection, which the caller supplies (`inspect`) and
 * which runs only when the verdict needs it and nothing is known yet.
 */
import { ApiError, type DynatraceClient, type Entity, type Problem } from '../dynatrace';
import { describeFailure } from '../failure/describe';
import { formatEntitySelector } from '../selectors';
import type { Inspection } from '../inspector/inspection';
import type { Subject } from './subject';
import type { Answer, Evidence, ObjectFacts, Read, ReadError, ZoneReach } from './verdict';

/** The entity types an entity name is looked up in (the types that carry management zones in practice). */
export const NAME_TYPES = ['HOST', 'SERVICE', 'PROCESS_GROUP_INSTANCE', 'APPLICATION'] as const;
/** Problems are looked up by display id over this timeframe. */
export const DISPLAY_ID_FROM = 'now-90d';
/** Pages of 500 entities read per token for a selector (10,000 entities). */
export const SELECTOR_MAX_PAGES = 20;

/** One token taking part in an explanation. */
export interface GatherSide {
  tokenId: string;
  label: string;
  owner: string;
  client: DynatraceClient;
  /** What is known of its zones (`stores/insights.ts`), or `null`. */
  reach: ZoneReach | null;
  /** Learns its zones when they are needed and unknown (an inspection); its requests are counted. */
  inspect?: (signal: AbortSignal) => Promise<{ reach: ZoneReach; requests: number }>;
}

export type GatherResult =
  | { kind: 'evidence'; evidence: Evidence }
  /** An entity name (or display id) matched several objects: the person chooses one. */
  | { kind: 'choose'; candidates: ObjectFacts[]; trail: string[]; requests: number };

export interface GatherOptions {
  signal?: AbortSignal;
  maxPages?: number;
  /** Zones known in the environment beyond the two tokens' own (other stored tokens' inspections). */
  environmentZones?: readonly string[];
}

/** A failure as plain data; an abort is rethrown (the caller drops the whole explanation). */
export function toReadError(e: unknown): ReadError {
  if (e instanceof ApiError && e.kind === 'aborted') throw e;
  const view = describeFailure(e, { operation: 'query' });
  if (e instanceof ApiError) {
    return {
      kind: e.kind, message: view.message,
      ...(e.status === undefined ? {} : { status: e.status }),
      ...(e.zone === undefined ? {} : { zone: e.zone }),
      ...(e.user === undefined ? {} : { user: e.user }),
      ...(e.permission === undefined ? {} : { permission: e.permission }),
      ...(e.scopes?.length ? { scopes: e.scopes.map((s) => s.name) } : {}),
    };
  }
  return { kind: 'other', message: view.message };
}

export function entityFacts(e: Entity): ObjectFacts {
  const id = e.entityId ?? '';
  return {
    id, kind: 'entity', name: e.displayName ?? id, type: e.type ?? id.split('-')[0],
    zones: (e.managementZones ?? []).map((z) => z.name).filter((n): n is string => !!n),
  };
}

export function problemFacts(p: Problem): ObjectFacts {
  return {
    id: p.problemId, kind: 'problem', name: `${p.displayId} "${p.title}"`,
    zones: (p.managementZones ?? []).map((z) => z.name).filter((n): n is string => !!n),
  };
}

const NOT_FOUND: ReadError = { kind: 'not-found', status: 404, message: 'Its answer lists nothing of that name.' };

/**
 * Gathers the evidence for one subject (see the file's header). Requests of the two tokens run in parallel; an abort
 * of `signal` rejects with the client's `aborted` error.
 */
export async function gatherEvidence(subject: Subject, explained: GatherSide, reference: GatherSide | null, opts: GatherOptions = {}): Promise<GatherResult> {
  const signal = opts.signal ?? new AbortController().signal;
  const trail: string[] = [];
  let requests = 0;
  const as = (s: GatherSide) => `as "${s.label}"`;
  async function read<T>(s: GatherSide, what: string, fn: () => Promise<T>, ok: (v: T) => string): Promise<Read<T>> {
    requests++;
    try {
      const value = await fn();
      trail.push(`${what} ${as(s)}: ${ok(value)}`);
      return { ok: true, value };
    } catch (e) {
      const error = toReadError(e);
      trail.push(`${what} ${as(s)}: ${error.status ?? 'failed'} (${error.kind})`);
      return { ok: false, error };
    }
  }
  const getEntity = (s: GatherSide, id: string) => read(s, `GET /api/v2/entities/${id}`, () => s.client.entities.get(id, undefined, { signal }), () => '200');
  const getProblem = (s: GatherSide, id: string) => read(s, `GET /api/v2/problems/${id}`, () => s.client.problems.get(id, undefined, { signal }), () => '200');
  const mapRead = <T, U>(r: Read<T>, f: (v: T) => U): Read<U> => (r.ok ? { ok: true, value: f(r.value) } : r);

  async function byId(kind: 'entity' | 'problem', id: string): Promise<{ explained: Answer; reference: Answer | null }> {
    const get = (s: GatherSide) => (kind === 'entity' ? getEntity(s, id).then((r) => mapRead(r, entityFacts)) : getProblem(s, id).then((r) => mapRead(r, problemFacts)));
    const [e, r] = await Promise.all([get(explained), reference ? get(reference) : Promise.resolve(null)]);
    return { explained: { kind: 'object', read: e }, reference: r ? { kind: 'object', read: r } : null };
  }

  /** Looks a name (or display id) up with one token: its matches, or why it could not. */
  async function lookUp(s: GatherSide): Promise<Read<ObjectFacts[]>> {
    if (subject.kind === 'problem-display-id') {
      const r = await read(s, `GET /api/v2/problems?problemSelector=displayId("${subject.displayId}")`,
        () => s.client.problems.list({ problemSelector: `displayId("${subject.displayId}")`, from: DISPLAY_ID_FROM, pageSize: 10 }, { signal }),
        (p) => `${p.problems?.length ?? 0} problems`);
      return mapRead(r, (p) => (p.problems ?? []).map(problemFacts));
    }
    const name = subject.kind === 'entity-name' ? subject.name : '';
    const reads = await Promise.all(NAME_TYPES.map((type) => {
      const entitySelector = formatEntitySelector({ criteria: [{ kind: 'type', value: type, entityType: type }, { kind: 'entityName', operator: 'equals', values: [name], caseSensitive: false }] });
      return read(s, `GET /api/v2/entities?entitySelector=${entitySelector}`,
        () => s.client.entities.list({ entitySelector, fields: '+managementZones', pageSize: 50 }, { signal }),
        (p) => `${p.entities?.length ?? 0} entities`);
    }));
    const failed = reads.find((r) => !r.ok);
    const found = reads.flatMap((r) => (r.ok ? (r.value.entities ?? []).map(entityFacts) : []));
    if (found.length === 0 && failed && !failed.ok) return failed;
    return { ok: true, value: found };
  }

  async function listAll(s: GatherSide, selector: string): Promise<Read<{ entities: ObjectFacts[]; truncated: boolean }>> {
    const maxPages = opts.maxPages ?? SELECTOR_MAX_PAGES;
    const entities: ObjectFacts[] = [];
    let pages = 0;
    let truncated = false;
    const first = await read(s, `GET /api/v2/entities?entitySelector=${selector}`,
      () => s.client.entities.list({ entitySelector: selector, fields: '+managementZones', pageSize: 500 }, { signal }),
      (p) => `${p.totalCount ?? p.entities?.length ?? 0} entities`);
    if (!first.ok) return first;
    let page = first.value;
    for (;;) {
      pages++;
      entities.push(...(page.entities ?? []).map(entityFacts));
      if (!page.nextPageKey) break;
      if (pages >= maxPages) { truncated = true; break; }
      const key = page.nextPageKey;
      const next = await read(s, 'GET /api/v2/entities?nextPageKey=…', () => s.client.entities.list({ nextPageKey: key }, { signal }), () => '200');
      if (!next.ok) return next;
      page = next.value;
    }
    return { ok: true, value: { entities, truncated } };
  }

  let answers: { explained: Answer; reference: Answer | null };
  let resolved: Subject = subject;
  switch (subject.kind) {
    case 'entity-id':
      answers = await byId('entity', subject.id);
      break;
    case 'problem-id':
      answers = await byId('problem', subject.id);
      break;
    case 'entity-name':
    case 'problem-display-id': {
      const refMatches = reference ? await lookUp(reference) : null;
      const refFound = refMatches?.ok ? refMatches.value : [];
      const exMatches = refFound.length ? null : await lookUp(explained);
      const candidates = refFound.length ? refFound : exMatches?.ok ? exMatches.value : [];
      if (candidates.length > 1) return { kind: 'choose', candidates, trail, requests };
      if (candidates.length === 1) {
        const c = candidates[0]!;
        resolved = c.kind === 'entity' ? { kind: 'entity-id', id: c.id, input: subject.input } : { kind: 'problem-id', id: c.id, input: subject.input };
        answers = await byId(c.kind, c.id);
        break;
      }
      // Nobody found it: both answers are "nothing of that name" (or the failure one of them got).
      const notFound = (r: Read<ObjectFacts[]> | null): Answer => ({ kind: 'object', read: r && !r.ok ? r : { ok: false, error: NOT_FOUND } });
      answers = { explained: notFound(exMatches), reference: reference ? notFound(refMatches) : null };
      break;
    }
    case 'selector': {
      const [e, r] = await Promise.all([listAll(explained, subject.selector), reference ? listAll(reference, subject.selector) : Promise.resolve(null)]);
      answers = { explained: { kind: 'list', read: e }, reference: r ? { kind: 'list', read: r } : null };
      break;
    }
  }

  // Zones, learned by inspection only when the verdict turns on them and nothing is known yet.
  const learn = async (s: GatherSide): Promise<{ reach: ZoneReach | null; reachError?: string }> => {
    if (s.reach || !s.inspect) return { reach: s.reach, ...(s.reach || s.inspect ? {} : { reachError: 'it was not inspected' }) };
    try {
      const { reach, requests: n } = await s.inspect(signal);
      requests += n;
      trail.push(`inspection ${as(s)}: ${n} requests, zones ${reach.allZones ? 'all' : reach.zones.join(', ') || 'none'}`);
      return { reach };
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'aborted') throw e;
      return { reach: null, reachError: `its inspection failed: ${toReadError(e).message}` };
    }
  };
  const exRead = answers.explained.read;
  const tokenRefused = !exRead.ok && ['missing-scope', 'owner-permission', 'pat-v1-only', 'pat-disabled', 'token-expired', 'token-invalid'].includes(exRead.error.kind);
  const exReach = tokenRefused ? { reach: explained.reach } : await learn(explained);
  const refRead = answers.reference?.read;
  const bothMissing = !exRead.ok && exRead.error.kind === 'not-found' && refRead !== undefined && !refRead.ok && refRead.error.kind === 'not-found';
  const refReach = reference ? (bothMissing ? await learn(reference) : { reach: reference.reach }) : null;
  const sideOf = (s: GatherSide, r: { reach: ZoneReach | null; reachError?: string }, answer: Answer) => ({
    tokenId: s.tokenId, label: s.label, owner: s.owner, reach: r.reach, ...(r.reachError ? { reachError: r.reachError } : {}), answer,
  });
  return {
    kind: 'evidence',
    evidence: {
      subject: resolved,
      explained: sideOf(explained, exReach, answers.explained),
      reference: reference && refReach && answers.reference ? sideOf(reference, refReach, answers.reference) : null,
      trail, requests,
      environmentZones: [...new Set([...(opts.environmentZones ?? []), ...(exReach.reach?.zones ?? []), ...(refReach?.reach?.zones ?? [])])].sort(),
    },
  };
}

/**
 * The zones an inspection saw a token reach. Unrestricted means it saw entities in every zone the environment lists,
 * which it can tell only with `settings.read`.
 */
export function zoneReachOf(i: Pick<Inspection, 'zones' | 'zonesNotSeen' | 'truncated' | 'inspectedAt'>): ZoneReach {
  const zones = i.zones.map((z) => z.zone).sort();
  return {
    zones, allZones: i.zonesNotSeen !== null && i.zonesNotSeen.length === 0 && zones.length > 0, complete: !i.truncated,
    checkedAt: Date.parse(i.inspectedAt),
  };
}
