import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { visibleZoneIds } from '../context';
import { badParameter, errors, SandboxError } from '../errors';
import { hasRole } from '../identity';
import { readJsonBody } from '../json-body';
import { getSettings, putSettings } from '../settings';

export const TOKEN_SETTINGS = 'builtin:tokens.token-settings';
export const MANAGEMENT_ZONES = 'builtin:management-zones';
const SCHEMAS = [TOKEN_SETTINGS, MANAGEMENT_ZONES];
/** `builtin:management-zones`, `app:my.app:schema`: word characters, dots, dashes and colons, bounded. */
const SCHEMA_ID = /^[\w.:-]{1,200}$/;
const FIELDS = ['objectId', 'value', 'schemaId', 'schemaVersion', 'scope', 'modified', 'author', 'updateToken', 'externalId'];

const objectIdOf = (schemaId: string, key: string) => Buffer.from(`${schemaId}\u0000environment\u0000${key}`).toString('base64url');
const TOKEN_SETTINGS_ID = objectIdOf(TOKEN_SETTINGS, 'singleton');

interface SettingsObject { objectId: string; schemaId: string; schemaVersion: string; scope: string; value: Record<string, unknown> }

function objectsFor(deps: SandboxDeps, caller: Caller, schemaId: string): SettingsObject[] {
  if (schemaId === TOKEN_SETTINGS) {
    const s = getSettings(deps.db);
    return [{ objectId: TOKEN_SETTINGS_ID, schemaId, schemaVersion: '1.2', scope: 'environment', value: { newDynatraceTokenFormatEnabled: true, patEnabled: s.patEnabled } }];
  }
  // Zone definitions: a zone-restricted user sees only its own zones.
  const visible = visibleZoneIds(caller);
  return deps.world.zones
    .filter((z) => !visible || visible.has(z.id))
    .map((z) => ({ objectId: objectIdOf(schemaId, z.id), schemaId, schemaVersion: '1.0.6', scope: 'environment', value: { name: z.name, description: '', rules: [] } }));
}

function list(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const raw = c.req.query('schemaIds');
  if (c.req.query('nextPageKey') !== undefined) throw badParameter('nextPageKey', 'The nextPageKey is invalid or has expired');
  if (!raw) throw badParameter('schemaIds', 'schemaIds or scopes is required on the first page');
  // Each schema once: an empty entry is an error, not a second copy of some default schema.
  const ids = [...new Set(raw.split(',').map((s) => s.trim()))];
  const malformed = ids.find((s) => !SCHEMA_ID.test(s));
  if (malformed !== undefined) {
    throw badParameter('schemaIds', `schemaIds must be a comma-separated list of schema ids such as ${MANAGEMENT_ZONES}; ${JSON.stringify(malformed.slice(0, 60))} is not one`);
  }
  const unknown = ids.find((s) => !SCHEMAS.includes(s));
  if (unknown !== undefined) throw new SandboxError(404, `Schema ${unknown} not found (the sandbox emulates ${SCHEMAS.join(', ')})`);
  const fields = (c.req.query('fields') ?? 'objectId,value').split(',').map((f) => f.trim()).filter(Boolean);
  const bad = fields.find((f) => !FIELDS.includes(f));
  if (bad !== undefined) throw badParameter('fields', `unknown field ${bad.slice(0, 60)}`);
  const items = ids.flatMap((s) => objectsFor(deps, caller, s))
    .map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => fields.includes(k))));
  return c.json({ items, totalCount: items.length, pageSize: 500 });
}

function requireAdmin(caller: Caller): void {
  if (caller.access && !hasRole(caller.access, 'admin')) throw errors.ownerLacks(caller.access.user.email, 'admin');
}

function applyTokenSettings(deps: SandboxDeps, value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) throw badParameter(path, 'value must be an object', 'PAYLOAD_BODY');
  const { patEnabled, newDynatraceTokenFormatEnabled, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length) throw badParameter(`${path}.${Object.keys(rest)[0]}`, 'unknown property', 'PAYLOAD_BODY');
  if (typeof patEnabled !== 'boolean') throw badParameter(`${path}.patEnabled`, 'patEnabled is required and must be a boolean', 'PAYLOAD_BODY');
  if (newDynatraceTokenFormatEnabled !== undefined && newDynatraceTokenFormatEnabled !== true) {
    throw badParameter(`${path}.newDynatraceTokenFormatEnabled`, 'the sandbox only issues the new token format', 'PAYLOAD_BODY');
  }
  putSettings(deps.db, { patEnabled });
}

async function create(c: Ctx, deps: SandboxDeps, caller: Caller): Promise<Response> {
  requireAdmin(caller);
  const body = await readJsonBody(c, true);
  if (!Array.isArray(body) || body.length === 0) throw badParameter('body', 'the body must be a non-empty list of settings objects', 'PAYLOAD_BODY');
  return c.json(body.map((o: unknown, i) => {
    const { schemaId, scope, value } = (o ?? {}) as Record<string, unknown>;
    if (schemaId !== TOKEN_SETTINGS) throw badParameter(`[${i}].schemaId`, `only ${TOKEN_SETTINGS} can be written in the sandbox`, 'PAYLOAD_BODY');
    if (scope !== 'environment') throw badParameter(`[${i}].scope`, 'scope must be "environment"', 'PAYLOAD_BODY');
    applyTokenSettings(deps, value, `[${i}].value`);
    return { code: 200, objectId: TOKEN_SETTINGS_ID };
  }));
}

async function update(c: Ctx, deps: SandboxDeps, caller: Caller): Promise<Response> {
  requireAdmin(caller);
  if (c.req.param('objectId') !== TOKEN_SETTINGS_ID) throw new SandboxError(404, `Settings object ${c.req.param('objectId')} not found`);
  const body = (await readJsonBody(c)) as Record<string, unknown>;
  applyTokenSettings(deps, body.value, 'value');
  return c.json({ code: 200, objectId: TOKEN_SETTINGS_ID });
}

export const settingsRoutes: RouteSpec[] = [
  { method: 'GET', path: '/api/v2/settings/objects', scope: 'settings.read', permission: 'viewer', zones: 'list', handler: list },
  { method: 'POST', path: '/api/v2/settings/objects', scope: 'settings.write', permission: 'operator', zones: 'none', handler: create },
  { method: 'PUT', path: '/api/v2/settings/objects/:objectId', scope: 'settings.write', permission: 'operator', zones: 'none', handler: update },
];
