import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { visibleZoneIds } from '../context';
import { badParameter, SandboxError } from '../errors';
import { nextPageKeyFor, pageKeyField, parsePageSize, readPageRequest } from '../paging';
import { pageKeySecret } from '../settings';
import { assertExplicitZones } from '../zones';
import { evaluateEntitySelector, explicitZones, isVisible, selectorType } from '../query/entities';
import { resolveFields } from './api-tokens';
import type { EntityRecord, World } from '../world/world';
import { parseEntitySelector } from '../../lib/selectors';
import type { EntitySelector } from '../../lib/selectors/entity-ast';
import { resolveTimeframe } from '../../lib/time/timeframe';

const BASE_FIELDS = ['entityId', 'displayName', 'type'];
const OPTIONAL = ['properties', 'tags', 'managementZones', 'fromRelationships', 'toRelationships', 'lastSeenTms', 'firstSeenTms', 'icon'];
const ALL = [...BASE_FIELDS, ...OPTIONAL];
const ICONS: Record<string, string> = { HOST: 'linux', DISK: 'disk', PROCESS_GROUP_INSTANCE: 'process', SERVICE: 'service', APPLICATION: 'application' };

/** Field names may address sub-keys: `properties.osType`, `fromRelationships.calls`. */
function entityFields(raw: string | undefined, full: boolean): Set<string> {
  if (raw === undefined && full) return new Set(ALL);
  const sub = new Set<string>();
  const plain = (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const m = /^([+-]?)(properties|fromRelationships|toRelationships)\.(\w+)$/.exec(p);
    if (m) { sub.add(`${m[2]}.${m[3]}`); return `${m[1]}${m[2]}`; }
    const whole = /^\+?(properties|fromRelationships|toRelationships)$/.exec(p);
    if (whole) sub.add(`${whole[1]}!all`);
    return p;
  });
  const set = resolveFields(plain.join(',') || undefined, full ? ALL : BASE_FIELDS, ALL, ['entityId', 'displayName']);
  for (const s of sub) set.add(s);
  return set;
}

export function toEntityJson(e: EntityRecord, fields: Set<string>, world: World, visible: Set<string> | null, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = { entityId: e.entityId };
  if (fields.has('type')) out.type = e.type;
  out.displayName = e.displayName;
  if (fields.has('firstSeenTms')) out.firstSeenTms = e.firstSeenTms;
  if (fields.has('lastSeenTms')) out.lastSeenTms = e.lastSeenTms ?? now;
  const pick = (group: string, value: Record<string, unknown>) => {
    const subs = [...fields].filter((f) => f.startsWith(`${group}.`)).map((f) => f.slice(group.length + 1));
    return subs.length && !fields.has(`${group}!all`) ? Object.fromEntries(Object.entries(value).filter(([k]) => subs.includes(k))) : value;
  };
  if (fields.has('properties')) out.properties = pick('properties', e.properties);
  if (fields.has('tags')) out.tags = e.tags;
  // Only zones the caller may see are listed: the names of other zones are not disclosed.
  if (fields.has('managementZones')) {
    out.managementZones = e.zoneIds.filter((z) => !visible || visible.has(z)).map((z) => ({ id: z, name: world.zoneById.get(z)?.name ?? z }));
  }
  if (fields.has('icon')) out.icon = { primaryIconType: ICONS[e.type] ?? 'entity' };
  for (const dir of ['fromRelationships', 'toRelationships'] as const) {
    if (!fields.has(dir)) continue;
    const rels: Record<string, { id: string; type: string }[]> = {};
    for (const [rel, ids] of Object.entries(e[dir])) {
      const list = ids.map((id) => world.byId.get(id)).filter((t): t is EntityRecord => !!t && isVisible(t, visible)).map((t) => ({ id: t.entityId, type: t.type }));
      if (list.length) rels[rel] = list;
    }
    out[dir] = pick(dir, rels);
  }
  return out;
}

/** Parses and authorises an entity selector parameter: syntax 400s, explicit foreign zones 403. */
export function entitySelectorParam(deps: SandboxDeps, caller: Caller, raw: string, param = 'entitySelector', requireType = true): EntitySelector {
  const parsed = parseEntitySelector(raw);
  if (!parsed.ok) throw badParameter(param, `${parsed.error.message} (at position ${parsed.error.offset + 1})`);
  if (requireType && !selectorType(parsed.value)) throw badParameter(param, 'The entity selector must contain a type(...) or entityId(...) criterion');
  const zones = explicitZones(parsed.value);
  assertExplicitZones(deps, caller, zones.names, zones.ids);
  return parsed.value;
}

const LIST_PARAMS = ['entitySelector', 'from', 'to', 'fields', 'sort', 'pageSize'];

function list(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const req = readPageRequest(c, pageKeySecret(deps.db), 'entities', caller.token.id, LIST_PARAMS);
  const { query, offset } = req;
  if (offset === 0 && !query.entitySelector) throw badParameter('entitySelector', 'entitySelector is required on the first page');
  const pageSize = parsePageSize(query.pageSize, 50, 1, 4000);
  const fields = entityFields(query.fields, false);
  const now = deps.clock();
  const tf = resolveTimeframe(query.from, query.to, now, 'now-3d');
  if (!tf.ok) throw badParameter(tf.parameter, tf.error);
  const sel = entitySelectorParam(deps, caller, query.entitySelector!);
  const sort = query.sort;
  if (sort !== undefined && !/^[+-]?name$/.test(sort)) throw badParameter('sort', 'entities can only be sorted by name (name, +name or -name)');
  const visible = visibleZoneIds(caller);
  let all = evaluateEntitySelector(sel, { world: deps.world, now, visibleZones: visible })
    .filter((e) => e.firstSeenTms <= tf.value.to && (e.lastSeenTms === null || e.lastSeenTms >= tf.value.from));
  if (sort) {
    const dir = sort.startsWith('-') ? -1 : 1;
    all = [...all].sort((a, b) => dir * a.displayName.localeCompare(b.displayName) || a.entityId.localeCompare(b.entityId));
  }
  const page = all.slice(offset, offset + pageSize);
  const nextPageKey = nextPageKeyFor(req, 'entities', caller.token.id, pageSize, all.length);
  return c.json({
    totalCount: all.length, pageSize, ...pageKeyField(nextPageKey),
    entities: page.map((e) => toEntityJson(e, fields, deps.world, visible, now)),
  });
}

function get(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const id = c.req.param('entityId')!;
  const e = deps.world.byId.get(id);
  const visible = visibleZoneIds(caller);
  // Outside the caller's zones answers exactly like a missing entity.
  if (!e || !isVisible(e, visible)) throw new SandboxError(404, `Entity with ID ${id} not found`);
  const fields = entityFields(c.req.query('fields'), true);
  return c.json(toEntityJson(e, fields, deps.world, visible, deps.clock()));
}

export const entityRoutes: RouteSpec[] = [
  { method: 'GET', path: '/api/v2/entities', scope: 'entities.read', permission: 'viewer', zones: 'list', handler: list },
  { method: 'GET', path: '/api/v2/entities/:entityId', scope: 'entities.read', permission: 'viewer', zones: 'by-id', handler: get },
];
