import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { SandboxError } from '../errors';
import { nextPageKeyFor, pageKeyField, parsePageSize, readPageRequest } from '../paging';
import { pageKeySecret } from '../settings';
import { dimensionKeyOf, ENTITY_TYPES, type World } from '../world/world';

const DISPLAY: Record<string, string> = { HOST: 'Host', DISK: 'Disk', PROCESS_GROUP_INSTANCE: 'Process', SERVICE: 'Service', APPLICATION: 'Web application' };

function propertyType(v: unknown): string {
  if (Array.isArray(v)) return 'List';
  if (typeof v === 'number') return 'Number';
  if (typeof v === 'boolean') return 'Boolean';
  return typeof v === 'string' && /^[A-Z_]+$/.test(v) ? 'Enum' : 'String';
}

const described = new WeakMap<World, Map<string, Record<string, unknown>>>();

/**
 * Entity type descriptors derived from the world itself, so they always match what the entities carry.
 * A world never changes once loaded (a reset loads a new one), so each type is described once: on
 * the large world a description walks 54,000 entities.
 */
export function describeEntityType(world: World, type: string): Record<string, unknown> {
  let cache = described.get(world);
  if (!cache) { cache = new Map(); described.set(world, cache); }
  let d = cache.get(type);
  if (!d) { d = describe(world, type); cache.set(type, d); }
  return d;
}

function describe(world: World, type: string): Record<string, unknown> {
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
  const req = readPageRequest(c, pageKeySecret(deps.db), 'entityTypes', caller.token.id, ['pageSize']);
  const { query, offset } = req;
  const pageSize = parsePageSize(query.pageSize, 50, 1, 500);
  const types = ENTITY_TYPES.map((t) => describeEntityType(deps.world, t));
  const page = types.slice(offset, offset + pageSize);
  const nextPageKey = nextPageKeyFor(req, 'entityTypes', caller.token.id, pageSize, types.length);
  return c.json({ totalCount: types.length, pageSize, ...pageKeyField(nextPageKey), types: page });
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
