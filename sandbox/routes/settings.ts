/**
 * Settings API v2, the two schemas the sandbox emulates: `builtin:tokens.token-settings` (one object, written by
 * admins) and `builtin:management-zones` (one object per zone of the world, read-only: zones come from the seed).
 * Objects are listed, read, updated and deleted by id with the documented read-modify-write rule: an `updateToken`
 * from a read makes the write fail with 409 when the object changed since (docs/sandbox-behaviour.md).
 */
import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { visibleZoneIds } from '../context';
import { badParameter, errors, SandboxError } from '../errors';
import { hasRole } from '../identity';
import { readJsonBody, rejectUnknownFields } from '../json-body';
import { nextPageKeyFor, pageKeyField, parsePageSize, readPageRequest } from '../paging';
import { getSettings, pageKeySecret, putSettings, resetTokenSettings, tokenSettingsMeta } from '../settings';

export const TOKEN_SETTINGS = 'builtin:tokens.token-settings';
export const MANAGEMENT_ZONES = 'builtin:management-zones';
const SCHEMAS = [
  { schemaId: TOKEN_SETTINGS, displayName: 'Access tokens', latestSchemaVersion: '1.2' },
  { schemaId: MANAGEMENT_ZONES, displayName: 'Management zones', latestSchemaVersion: '1.0.6' },
];
/** `builtin:management-zones`, `app:my.app:schema`: word characters, dots, dashes and colons, bounded. */
const SCHEMA_ID = /^[\w.:-]{1,200}$/;
/** The fields of a settings object (the spec's, and `searchSummary`, which real objects carry too). */
const FIELDS = ['objectId', 'value', 'schemaId', 'schemaVersion', 'scope', 'created', 'modified', 'author', 'updateToken', 'externalId', 'summary', 'searchSummary'];
const DEFAULT_FIELDS = ['objectId', 'value'];
const DAY = 86_400_000;

const objectIdOf = (schemaId: string, key: string) => Buffer.from(`${schemaId}\u0000environment\u0000${key}`).toString('base64url');
const TOKEN_SETTINGS_ID = objectIdOf(TOKEN_SETTINGS, 'singleton');
/** Opaque to clients; names the object and its version, so any later write makes it stale. */
const updateTokenOf = (objectId: string, version: number) => Buffer.from(`${objectId}\u0000v${version}`).toString('base64url');

interface SettingsObject {
  objectId: string; schemaId: string; schemaVersion: string; scope: string; created: number; modified: number; author: string;
  updateToken: string; summary: string; searchSummary: string; value: Record<string, unknown>;
}

function tokenSettingsObject(deps: SandboxDeps): SettingsObject {
  const s = getSettings(deps.db);
  const m = tokenSettingsMeta(deps.db);
  const created = deps.world.anchor - 120 * DAY;
  const summary = s.patEnabled ? 'Personal access tokens enabled' : 'Personal access tokens disabled';
  return {
    objectId: TOKEN_SETTINGS_ID, schemaId: TOKEN_SETTINGS, schemaVersion: '1.2', scope: 'environment', created, modified: m.modified ?? created,
    author: m.author ?? 'admin@example.com', updateToken: updateTokenOf(TOKEN_SETTINGS_ID, m.version), summary, searchSummary: summary,
    value: { newDynatraceTokenFormatEnabled: true, patEnabled: s.patEnabled },
  };
}

function objectsFor(deps: SandboxDeps, caller: Caller, schemaId: string): SettingsObject[] {
  if (schemaId === TOKEN_SETTINGS) return [tokenSettingsObject(deps)];
  // Zone definitions: a zone-restricted user sees only its own zones.
  const visible = visibleZoneIds(caller);
  const created = deps.world.anchor - 120 * DAY;
  return deps.world.zones
    .filter((z) => !visible || visible.has(z.id))
    .map((z) => {
      const objectId = objectIdOf(schemaId, z.id);
      return {
        objectId, schemaId, schemaVersion: '1.0.6', scope: 'environment', created, modified: created, author: 'admin@example.com',
        updateToken: updateTokenOf(objectId, 0), summary: z.name, searchSummary: z.name, value: { name: z.name, description: '', rules: [] },
      };
    });
}

/** The object of the path among the caller's objects; others answer like a missing one (as zones do elsewhere). */
function objectById(c: Ctx, deps: SandboxDeps, caller: Caller): SettingsObject {
  const id = c.req.param('objectId')!;
  const found = SCHEMAS.flatMap((s) => objectsFor(deps, caller, s.schemaId)).find((o) => o.objectId === id);
  if (!found) throw new SandboxError(404, `Settings object with ID ${id.slice(0, 200)} not found`);
  return found;
}

function pickFields(o: SettingsObject, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => fields.includes(k)));
}

function list(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const req = readPageRequest(c, pageKeySecret(deps.db), 'settings', caller.token.id, ['schemaIds', 'fields', 'pageSize']);
  const raw = req.query.schemaIds;
  if (!raw) throw badParameter('schemaIds', 'schemaIds or scopes is required on the first page');
  // Each schema once: an empty entry is an error, not a second copy of some default schema.
  const ids = [...new Set(raw.split(',').map((s) => s.trim()))];
  const malformed = ids.find((s) => !SCHEMA_ID.test(s));
  if (malformed !== undefined) {
    throw badParameter('schemaIds', `schemaIds must be a comma-separated list of schema ids such as ${MANAGEMENT_ZONES}; ${JSON.stringify(malformed.slice(0, 60))} is not one`);
  }
  const unknown = ids.find((s) => !SCHEMAS.some((x) => x.schemaId === s));
  if (unknown !== undefined) throw new SandboxError(404, `Schema ${unknown} not found (the sandbox emulates ${SCHEMAS.map((x) => x.schemaId).join(', ')})`);
  const fields = (req.query.fields ?? DEFAULT_FIELDS.join(',')).split(',').map((f) => f.trim()).filter(Boolean);
  const bad = fields.find((f) => !FIELDS.includes(f));
  if (bad !== undefined) throw badParameter('fields', `unknown field ${bad.slice(0, 60)}`);
  const pageSize = parsePageSize(req.query.pageSize, 100, 1, 500);
  const all = ids.flatMap((s) => objectsFor(deps, caller, s));
  const next = nextPageKeyFor(req, 'settings', caller.token.id, pageSize, all.length);
  return c.json({ items: all.slice(req.offset, req.offset + pageSize).map((o) => pickFields(o, fields)), totalCount: all.length, pageSize, ...pageKeyField(next) });
}

function get(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  return c.json(pickFields(objectById(c, deps, caller), FIELDS));
}

function requireAdmin(caller: Caller): void {
  if (caller.access && !hasRole(caller.access, 'admin')) throw errors.ownerLacks(caller.access.user.email, 'admin');
}

function applyTokenSettings(deps: SandboxDeps, caller: Caller, value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) throw badParameter(path, 'value must be an object', 'PAYLOAD_BODY');
  const { patEnabled, newDynatraceTokenFormatEnabled, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length) throw badParameter(`${path}.${Object.keys(rest)[0]}`, 'unknown property', 'PAYLOAD_BODY');
  if (typeof patEnabled !== 'boolean') throw badParameter(`${path}.patEnabled`, 'patEnabled is required and must be a boolean', 'PAYLOAD_BODY');
  if (newDynatraceTokenFormatEnabled !== undefined && newDynatraceTokenFormatEnabled !== true) {
    throw badParameter(`${path}.newDynatraceTokenFormatEnabled`, 'the sandbox only issues the new token format', 'PAYLOAD_BODY');
  }
  putSettings(deps.db, { patEnabled }, { now: deps.clock(), author: caller.access?.user.email ?? caller.token.id });
}

async function create(c: Ctx, deps: SandboxDeps, caller: Caller): Promise<Response> {
  requireAdmin(caller);
  const validateOnly = c.req.query('validateOnly');
  if (validateOnly !== undefined && validateOnly !== 'true' && validateOnly !== 'false') throw badParameter('validateOnly', 'validateOnly must be true or false');
  const body = await readJsonBody(c, true);
  if (!Array.isArray(body) || body.length === 0) throw badParameter('body', 'the body must be a non-empty list of settings objects', 'PAYLOAD_BODY');
  return c.json(body.map((o: unknown, i) => {
    const { schemaId, scope, value } = (o ?? {}) as Record<string, unknown>;
    if (schemaId !== TOKEN_SETTINGS) throw badParameter(`[${i}].schemaId`, `only ${TOKEN_SETTINGS} can be written in the sandbox`, 'PAYLOAD_BODY');
    if (scope !== 'environment') throw badParameter(`[${i}].scope`, 'scope must be "environment"', 'PAYLOAD_BODY');
    if (validateOnly !== 'true') applyTokenSettings(deps, caller, value, `[${i}].value`);
    return { code: 200, objectId: TOKEN_SETTINGS_ID };
  }));
}

/** The object to write, checked: admins only, zone objects read-only, a stale updateToken a 409. */
function writable(c: Ctx, deps: SandboxDeps, caller: Caller, updateToken: unknown): SettingsObject {
  requireAdmin(caller);
  const o = objectById(c, deps, caller);
  if (o.schemaId !== TOKEN_SETTINGS) {
    throw badParameter('objectId', `objects of ${o.schemaId} are read-only in the sandbox: its zones come from the world's seed`, 'PATH');
  }
  if (updateToken !== undefined && updateToken !== o.updateToken) {
    throw new SandboxError(409, 'The settings object was modified since the updateToken was issued: read it again and retry');
  }
  return o;
}

async function update(c: Ctx, deps: SandboxDeps, caller: Caller): Promise<Response> {
  const body = (await readJsonBody(c)) as Record<string, unknown>;
  rejectUnknownFields(body, ['value', 'updateToken', 'schemaVersion', 'insertBefore', 'insertAfter']);
  if (body.updateToken !== undefined && typeof body.updateToken !== 'string') throw badParameter('updateToken', 'updateToken must be a string', 'PAYLOAD_BODY');
  const o = writable(c, deps, caller, body.updateToken);
  applyTokenSettings(deps, caller, body.value, 'value');
  return c.json({ code: 200, objectId: o.objectId });
}

function remove(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  writable(c, deps, caller, c.req.query('updateToken'));
  // A singleton goes back to its defaults.
  resetTokenSettings(deps.db, { now: deps.clock(), author: caller.access?.user.email ?? caller.token.id });
  return c.body(null, 204);
}

function schemas(c: Ctx): Response {
  return c.json({ items: SCHEMAS, totalCount: SCHEMAS.length });
}

export const settingsRoutes: RouteSpec[] = [
  { method: 'GET', path: '/api/v2/settings/objects', scope: 'settings.read', permission: 'viewer', zones: 'list', handler: list },
  { method: 'POST', path: '/api/v2/settings/objects', scope: 'settings.write', permission: 'operator', zones: 'none', handler: create },
  { method: 'GET', path: '/api/v2/settings/objects/:objectId', scope: 'settings.read', permission: 'viewer', zones: 'by-id', handler: get },
  { method: 'PUT', path: '/api/v2/settings/objects/:objectId', scope: 'settings.write', permission: 'operator', zones: 'none', handler: update },
  { method: 'DELETE', path: '/api/v2/settings/objects/:objectId', scope: 'settings.write', permission: 'operator', zones: 'none', handler: remove },
  { method: 'GET', path: '/api/v2/settings/schemas', scope: 'settings.read', permission: 'viewer', zones: 'none', handler: schemas },
];
