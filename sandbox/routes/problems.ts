import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { visibleZoneIds } from '../context';
import { badParameter, SandboxError } from '../errors';
import { nextPageKeyFor, pageKeyField, parsePageSize, readPageRequest } from '../paging';
import { pageKeySecret } from '../settings';
import { assertExplicitZones } from '../zones';
import { parseCriteria } from '../criteria';
import { evaluateEntitySelector, isVisible } from '../query/entities';
import { entitySelectorParam } from './entities';
import type { ProblemRecord } from '../world/records';
import type { World } from '../world/world';
import { hashString } from '../world/rng';
import { BUILTIN_BY_ID } from '../metrics/builtin';
import { resolveTimeframe } from '../../lib/time/timeframe';

const CRITERIA = ['status', 'severityLevel', 'impactLevel', 'rootCauseEntity', 'managementZoneIds', 'managementZones', 'impactedEntities',
  'affectedEntities', 'affectedEntityTypes', 'problemId', 'displayId', 'entityTags', 'text', 'underMaintenance'] as const;
type CriterionName = (typeof CRITERIA)[number];
const EXTRA_FIELDS = ['evidenceDetails', 'impactAnalysis', 'recentComments'];
/** How many comments `recentComments` holds. */
const RECENT_COMMENTS = 5;

/** `problemSelector`: criteria AND-ed, values OR-ed, values quoted with `~` escapes. */
export function parseProblemSelector(input: string): { name: CriterionName; values: string[] }[] {
  const criteria = parseCriteria(input, 'problemSelector', CRITERIA) as { name: CriterionName; values: string[] }[];
  for (const { name, values } of criteria) {
    if (name === 'status' && (values.length !== 1 || !/^(open|closed)$/i.test(values[0]!))) throw badParameter('problemSelector', 'status takes "open" or "closed"');
    if (name === 'text' && values[0]!.length > 30) throw badParameter('problemSelector', 'text(...) takes at most 30 characters');
  }
  return criteria;
}

function stub(world: World, id: string) {
  const e = world.byId.get(id);
  return { entityId: { id, type: e?.type ?? id.split('-')[0] }, name: e?.displayName ?? id };
}

/**
 * What of a problem the caller can see. A problem spanning zones is listed for a user of any of
 * them, but its filters match only through the visible entities and zones: otherwise
 * `affectedEntities("<foreign id>")` would confirm what a visible problem involves elsewhere.
 */
interface View { entity: (id: string) => boolean; zone: (id: string) => boolean }

function viewOf(world: World, visible: Set<string> | null): View {
  if (visible === null) return { entity: () => true, zone: () => true };
  return { entity: (id) => { const e = world.byId.get(id); return !!e && isVisible(e, visible); }, zone: (z) => visible.has(z) };
}

function matches(p: ProblemRecord, world: World, view: View, c: { name: CriterionName; values: string[] }): boolean {
  const v = c.values;
  const affected = () => p.affected.filter(view.entity);
  const zones = () => p.zoneIds.filter(view.zone);
  switch (c.name) {
    case 'status': return (p.endTime === -1) === (v[0]!.toLowerCase() === 'open');
    case 'severityLevel': return v.includes(p.severityLevel);
    case 'impactLevel': return v.includes(p.impactLevel);
    case 'rootCauseEntity': return p.rootCause !== null && view.entity(p.rootCause) && v.includes(p.rootCause);
    case 'managementZoneIds': return zones().some((z) => v.includes(z));
    case 'managementZones': return zones().some((z) => v.some((n) => (world.zoneById.get(z)?.name ?? '').toLowerCase().includes(n.toLowerCase())));
    case 'impactedEntities': return p.impacted.filter(view.entity).some((id) => v.includes(id));
    case 'affectedEntities': return affected().some((id) => v.includes(id));
    case 'affectedEntityTypes': return affected().some((id) => v.includes(world.byId.get(id)?.type ?? ''));
    case 'problemId': return v.includes(p.problemId);
    case 'displayId': return v.includes(p.displayId);
    case 'entityTags': return affected().some((id) => world.byId.get(id)?.tags.some((t) => v.some((f) => f === t.stringRepresentation || f === t.key)));
    case 'text': {
      const q = v[0]!.toLowerCase();
      return p.title.toLowerCase().includes(q) || p.displayId.toLowerCase().includes(q) || affected().some((id) => id.toLowerCase().includes(q));
    }
    case 'underMaintenance': return v[0] !== 'true';
  }
}

/** An event id as real ones look: a signed 64-bit number and the event's start (`9131945073144134871_1622807580000`). */
function eventIdOf(problemId: string, index: number, startTime: number): string {
  const hi = BigInt(hashString(`${problemId}|${index}|hi`));
  const lo = BigInt(hashString(`${problemId}|${index}|lo`));
  return `${BigInt.asIntN(64, (hi << 32n) | lo)}_${startTime}`;
}

/** The aggregation a metric evidence was evaluated with: the metric's default (recorded evidence names one). */
function evidenceAggregation(metricId: string | undefined): { type: string } {
  const kind = (metricId === undefined ? undefined : BUILTIN_BY_ID.get(metricId)?.defaultAggregation.kind) ?? 'avg';
  return { type: kind };
}

/** The `Problem` representation, narrowed to what the caller may drill into. */
function toProblemJson(p: ProblemRecord, world: World, visible: Set<string> | null, fields: Set<string>): Record<string, unknown> {
  const seen = (id: string) => { const e = world.byId.get(id); return !!e && isVisible(e, visible); };
  const out: Record<string, unknown> = {
    problemId: p.problemId, displayId: p.displayId, title: p.title, impactLevel: p.impactLevel, severityLevel: p.severityLevel,
    status: p.endTime === -1 ? 'OPEN' : 'CLOSED',
    affectedEntities: p.affected.filter(seen).map((id) => stub(world, id)),
    impactedEntities: p.impacted.filter(seen).map((id) => stub(world, id)),
    rootCauseEntity: p.rootCause && seen(p.rootCause) ? stub(world, p.rootCause) : null,
    managementZones: p.zoneIds.filter((z) => !visible || visible.has(z)).map((z) => ({ id: z, name: world.zoneById.get(z)?.name ?? z })),
    entityTags: p.affected.filter(seen).flatMap((id) => world.byId.get(id)!.tags),
    problemFilters: [{ id: 'c48a68f0-7cab-4c00-8822-9486b98c5e4d', name: 'Default' }],
    startTime: p.startTime, endTime: p.endTime,
  };
  if (fields.has('evidenceDetails')) {
    // Every recorded evidence names a grouping entity; this world has no process groups, so an entity groups itself.
    const details = p.evidence.map((e, i) => ({ e, i })).filter(({ e }) => seen(e.entityId)).map(({ e, i }) => ({
      evidenceType: e.evidenceType, displayName: e.displayName, entity: stub(world, e.entityId), groupingEntity: stub(world, e.entityId),
      rootCauseRelevant: e.rootCauseRelevant, startTime: e.startTime,
      ...(e.evidenceType === 'EVENT' ? { eventId: eventIdOf(p.problemId, i, e.startTime), eventType: e.eventType, endTime: e.endTime } : {}),
      ...(e.evidenceType === 'METRIC' ? {
        metricId: e.metricId, unit: e.unit, aggregationType: evidenceAggregation(e.metricId),
        valueBeforeChangePoint: e.before, valueAfterChangePoint: e.after, endTime: e.endTime,
      } : {}),
    }));
    out.evidenceDetails = { totalCount: details.length, details };
  }
  if (fields.has('impactAnalysis')) {
    out.impactAnalysis = {
      impacts: p.impacted.filter(seen).filter((id) => ['SERVICE', 'APPLICATION'].includes(world.byId.get(id)!.type)).map((id) => ({
        impactType: world.byId.get(id)!.type, impactedEntity: stub(world, id), estimatedAffectedUsers: (id.charCodeAt(id.length - 1) % 50) + 1,
      })),
    };
  }
  // As recorded: the newest comments and how many there are, no paging fields (the comments route pages).
  if (fields.has('recentComments')) {
    const all = p.comments ?? [];
    out.recentComments = { totalCount: all.length, comments: all.slice(0, RECENT_COMMENTS) };
  }
  return out;
}

function parseFields(raw: string | undefined): Set<string> {
  const set = new Set<string>();
  for (const f of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const name = f.replace(/^\+/, '');
    if (!EXTRA_FIELDS.includes(name)) throw badParameter('fields', `unknown field ${name}: use ${EXTRA_FIELDS.join(', ')}`);
    set.add(name);
  }
  return set;
}

const LIST_PARAMS = ['problemSelector', 'entitySelector', 'from', 'to', 'sort', 'pageSize'];

function list(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  // Problems is the exception: fields may (and must) accompany the key.
  const req = readPageRequest(c, pageKeySecret(deps.db), 'problems', caller.token.id, LIST_PARAMS, ['fields']);
  const { query, offset } = req;
  const fields = parseFields(c.req.query('fields'));
  const pageSize = parsePageSize(query.pageSize, 50, 1, 500);
  const now = deps.clock();
  const tf = resolveTimeframe(query.from, query.to, now, 'now-2h');
  if (!tf.ok) throw badParameter(tf.parameter, tf.error);
  const criteria = query.problemSelector ? parseProblemSelector(query.problemSelector) : [];
  const world = deps.world;
  const names = criteria.filter((x) => x.name === 'managementZones').flatMap((x) => x.values)
    .filter((n) => !caller.access || ![...caller.access.zoneNames].some((z) => z.toLowerCase().includes(n.toLowerCase())));
  assertExplicitZones(deps, caller, names, criteria.filter((x) => x.name === 'managementZoneIds').flatMap((x) => x.values));
  const visible = visibleZoneIds(caller);
  let entityIds: Set<string> | null = null;
  if (query.entitySelector) {
    const sel = entitySelectorParam(deps, caller, query.entitySelector);
    entityIds = new Set(evaluateEntitySelector(sel, { world, now, visibleZones: visible }).map((e) => e.entityId));
  }
  const sort = query.sort ?? '-startTime';
  const keys = sort.split(',').map((s) => s.trim());
  for (const k of keys) if (!/^[+-]?(status|startTime|relevance)$/.test(k)) throw badParameter('sort', 'sort takes status, startTime or relevance, optionally prefixed with + or -');
  const view = viewOf(world, visible);
  let all = world.problems.filter((p) =>
    (!visible || p.zoneIds.some((z) => visible.has(z)))
    && p.startTime <= tf.value.to && (p.endTime === -1 || p.endTime >= tf.value.from)
    && criteria.every((x) => matches(p, world, view, x))
    && (!entityIds || p.affected.some((id) => entityIds!.has(id))));
  all = [...all].sort((a, b) => {
    for (const k of keys) {
      const dir = k.startsWith('-') ? -1 : 1;
      const name = k.replace(/^[+-]/, '');
      const d = name === 'status' ? (a.endTime === -1 ? 0 : 1) - (b.endTime === -1 ? 0 : 1) : name === 'startTime' ? a.startTime - b.startTime : 0;
      if (d !== 0) return d * dir;
    }
    return a.problemId < b.problemId ? -1 : 1;
  });
  const page = all.slice(offset, offset + pageSize);
  const nextPageKey = nextPageKeyFor(req, 'problems', caller.token.id, pageSize, all.length);
  return c.json({ totalCount: all.length, pageSize, ...pageKeyField(nextPageKey), problems: page.map((p) => toProblemJson(p, world, visible, fields)) });
}

/** The problem of the path, if the caller may see it: outside its zones answers like a missing one. */
function visibleProblem(c: Ctx, deps: SandboxDeps, caller: Caller): ProblemRecord {
  const id = c.req.param('problemId')!;
  const p = deps.world.problemById.get(id);
  const visible = visibleZoneIds(caller);
  if (!p || (visible && !p.zoneIds.some((z) => visible.has(z)))) throw new SandboxError(404, `Problem with ID ${id} not found`);
  return p;
}

function get(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const p = visibleProblem(c, deps, caller);
  return c.json(toProblemJson(p, deps.world, visibleZoneIds(caller), new Set(c.req.query('fields') ? parseFields(c.req.query('fields')) : EXTRA_FIELDS)));
}

/**
 * `GET /problems/{id}/comments`: newest first, 10 a page (at most 500), paged by a key bound to this problem and
 * the asking token. The zone rule is the problem's: a problem the caller cannot see has no comments to show.
 */
function comments(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const p = visibleProblem(c, deps, caller);
  const route = `comments/${p.problemId}`;
  const req = readPageRequest(c, pageKeySecret(deps.db), route, caller.token.id, ['pageSize']);
  const pageSize = parsePageSize(req.query.pageSize, 10, 1, 500);
  const all = p.comments ?? [];
  const next = nextPageKeyFor(req, route, caller.token.id, pageSize, all.length);
  return c.json({ totalCount: all.length, pageSize, ...pageKeyField(next), comments: all.slice(req.offset, req.offset + pageSize) });
}

function comment(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const p = visibleProblem(c, deps, caller);
  const id = c.req.param('commentId')!;
  const found = (p.comments ?? []).find((x) => x.id === id);
  if (!found) throw new SandboxError(404, `Comment with ID ${id} not found`);
  return c.json(found);
}

export const problemRoutes: RouteSpec[] = [
  { method: 'GET', path: '/api/v2/problems', scope: 'problems.read', permission: 'viewer', zones: 'list', handler: list },
  { method: 'GET', path: '/api/v2/problems/:problemId', scope: 'problems.read', permission: 'viewer', zones: 'by-id', handler: get },
  { method: 'GET', path: '/api/v2/problems/:problemId/comments', scope: 'problems.read', permission: 'viewer', zones: 'by-id', handler: comments },
  { method: 'GET', path: '/api/v2/problems/:problemId/comments/:commentId', scope: 'problems.read', permission: 'viewer', zones: 'by-id', handler: comment },
];
