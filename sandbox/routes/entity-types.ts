import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { badParameter, SandboxError } from '../errors';
import { decodePageKey, encodePageKey, parsePageSize } from '../paging';
import { pageKeySecret } from '../settings';
import { dimensionKeyOf, ENTITY_TYPES, type World } from '../world/world';

const DISPLAY: Record<string, string> = { HOST: 'Host', DISK: 'Disk', PROCESS_GROUP_INSTANCE: 'Process', SERVICE: 'Service', APPLICATION: 'Web application' };

function propertyType(v: unknown): string {
  if (Array.isArray(v)) return 'List';
  if (typeof v === 'number') return 'Number';
  if (typeof v === 'boolean') return 'Boolean';
  return typeof v === 'string' && /^[A-Z_]+$/.test(v) ? 'Enum' : 'String';
}

/** Entity type descriptors derived from the world itself, so they always match what the entities carry. */
export function describeEntityType(world: World, type: string): Record<string, unknown> {
  const entities = world.byType.get(type as never) ?? [];
  const props = new Map<string, string>();
  const from = new Map<string, Set<string>>();
  const to = new Map<string, Set<string>>();
  for (const e of entities) {
    for (const [k, v] of Object.entries(e.properties)) if (!props.has(k)) props.set(k, propertyType(v));
    for (const [rel, ids] of Object.entries(e.fromRelationships)) for (const id of ids) (from.get(rel) ?? from.set(rel, new Set()).get(rel)!).add(world.byId.get(id)?.type ?? '');
    for (const [rel, ids] of Object.entries(e.toRelationships)) for (const id of ids) (to.get(rel) ?? to.set(rel, new Set()).get(rel)!).add(world.byId.get(id)?.type ?? '');
  }
  return {
    type, displayName: DISPLAY[type] ?? type, dimensionKey: dimensionKeyOf(type), entityLimitExceeded: false,
    properties: [...props].map(([id, t]) => ({ id, displayName: id.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()), type: t })),
    fromRelationships: [...from].map(([id, types]) => ({ id, toTypes: [...types].filter(Boolean) })),
    toRelationships: [...to].map(([id, types]) => ({ id, fromTypes: [...types].filter(Boolean) })),
    tags: 'List', managementZones: 'List',
  };
}

function list(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const secret = pageKeySecret(deps.db);
  const key = c.req.query('nextPageKey');
  let offset = 0;
  let query: Record<string, string> = {};
  if (key !== undefined) {
    const others = Object.keys(c.req.queries()).filter((k) => k !== 'nextPageKey');
    if (others.length) throw badParameter(others[0]!, 'nextPageKey must be the only query parameter on follow-up pages');
    const state = decodePageKey(secret, key, 'entityTypes', caller.token.id);
    offset = state.offset;
    query = state.query;
  } else if (c.req.query('pageSize') !== undefined) {
    query = { pageSize: c.req.query('pageSize')! };
  }
  const pageSize = parsePageSize(query.pageSize, 50, 1, 500);
  const types = ENTITY_TYPES.map((t) => describeEntityType(deps.world, t));
  const page = types.slice(offset, offset + pageSize);
  const nextPageKey = offset + pageSize < types.length ? encodePageKey(secret, { route: 'entityTypes', query, offset: offset + pageSize, tokenId: caller.token.id }) : null;
  return c.json({ totalCount: types.length, pageSize, nextPageKey, types: page });
}

function get(c: Ctx, deps: SandboxDeps): Response {
  const type = c.req.param('type')!;
  if (!(ENTITY_TYPES as readonly string[]).includes(type)) throw new SandboxError(400, `Entity type ${type} is unknown or not exportable`);
  return c.json(describeEntityType(deps.world, type));
}

export const entityTypeRoutes: RouteSpec[] = [
  { method: 'GET', path: '/api/v2/entityTypes', scope: 'entities.read', permission: 'viewer', zones: 'none', handler: list },
  { method: 'GET', path: '/api/v2/entityTypes/:type', scope: 'entities.read', permission: 'viewer', zones: 'none', handler: (c, d) => get(c, d) },
];
