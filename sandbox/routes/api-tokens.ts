import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { parseCriteria } from '../criteria';
import { badParameter, SandboxError } from '../errors';
import { findUser, hasRole } from '../identity';
import { asRecord, readJsonBody, rejectUnknownFields } from '../json-body';
import { nextPageKeyFor, pageKeyField, parsePageSize, readPageRequest } from '../paging';
import { pageKeySecret } from '../settings';
import { deleteToken, findBySecret, getToken, listTokens, mintToken, toApiToken, updateToken, validateNameAndScopes, type TokenRow } from '../tokens';
import { parseTimeValue } from '../../lib/time/timeframe';

const DEFAULT_FIELDS = ['id', 'name', 'enabled', 'owner', 'creationDate'];
const ALL_FIELDS = ['id', 'name', 'enabled', 'owner', 'creationDate', 'personalAccessToken', 'expirationDate', 'lastUsedDate', 'lastUsedIpAddress', 'modifiedDate', 'scopes', 'additionalMetadata'];
const SORTS = ['name', 'lastUsedDate', 'creationDate', 'expirationDate', 'modifiedDate'] as const;

/**
 * A PAT sees only its owner's tokens; a classic token (an admin's) sees all.
 * TODO: an admin's PAT should see all tokens too (docs/sandbox-behaviour.md, "Token API").
 */
function visibleTo(caller: Caller, t: TokenRow): boolean {
  return !caller.token.personal || t.userId === caller.token.userId;
}

function notFound(id: string): SandboxError {
  return new SandboxError(404, `Token with ID ${id} not found`);
}

/** `fields`: `+a,-b` modifies the default set; a bare list replaces it; `id` is always returned. */
export function resolveFields(raw: string | undefined, defaults: string[], all: string[], always: string[]): Set<string> {
  if (raw === undefined || raw.trim() === '') return new Set(defaults);
  const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
  const modifying = parts.every((p) => p.startsWith('+') || p.startsWith('-'));
  if (!modifying && parts.some((p) => p.startsWith('+') || p.startsWith('-'))) {
    throw badParameter('fields', 'fields must either modify the default set (+a,-b) or list fields, not both');
  }
  const out = new Set(modifying ? defaults : always);
  for (const p of parts) {
    const name = modifying ? p.slice(1) : p;
    if (!all.includes(name)) throw badParameter('fields', `unknown field ${name}`);
    if (modifying && p.startsWith('-')) { if (!always.includes(name)) out.delete(name); } else out.add(name);
  }
  return out;
}

const CRITERIA = ['owner', 'personalAccessToken', 'scope'] as const;
interface Criterion { name: (typeof CRITERIA)[number]; values: string[] }

/** `apiTokenSelector`: `owner("a")`, `personalAccessToken(true)`, `scope("a","b")`, comma-separated, AND-ed. */
export function parseApiTokenSelector(input: string): Criterion[] {
  const criteria = parseCriteria(input, 'apiTokenSelector', CRITERIA) as Criterion[];
  for (const { name, values } of criteria) {
    if (name === 'personalAccessToken' && !(values.length === 1 && (values[0] === 'true' || values[0] === 'false'))) {
      throw badParameter('apiTokenSelector', 'personalAccessToken(...) takes true or false');
    }
  }
  return criteria;
}

function matches(t: TokenRow, criteria: Criterion[]): boolean {
  return criteria.every((c) => {
    if (c.name === 'owner') return c.values.includes(t.owner);
    if (c.name === 'personalAccessToken') return String(t.personal) === c.values[0];
    return c.values.some((s) => (t.scopes as string[]).includes(s));
  });
}

const LIST_PARAMS = ['apiTokenSelector', 'fields', 'from', 'to', 'sort', 'pageSize'];

function list(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const req = readPageRequest(c, pageKeySecret(deps.db), 'apiTokens', caller.token.id, LIST_PARAMS);
  const { query, offset } = req;
  const pageSize = parsePageSize(query.pageSize, 200, 100, 10000);
  const fields = resolveFields(query.fields, DEFAULT_FIELDS, ALL_FIELDS, ['id']);
  const criteria = query.apiTokenSelector ? parseApiTokenSelector(query.apiTokenSelector) : [];
  const now = deps.clock();
  const time = (p: 'from' | 'to') => {
    if (query[p] === undefined) return undefined;
    const r = parseTimeValue(query[p]!, now);
    if (!r.ok) throw badParameter(p, r.error);
    return r.value;
  };
  const from = time('from');
  const to = time('to');
  const sortRaw = query.sort ?? '-creationDate';
  const sm = /^([+-]?)(\w+)$/.exec(sortRaw);
  if (!sm || !(SORTS as readonly string[]).includes(sm[2]!)) throw badParameter('sort', `sort must be one of ${SORTS.join(', ')}, optionally prefixed with + or -`);
  const dir = sm[1] === '-' ? -1 : 1;
  const sortKey = sm[2] as (typeof SORTS)[number];
  const value = (t: TokenRow): string | number => ({
    name: t.name.toLowerCase(), lastUsedDate: t.lastUsedAt ?? 0, creationDate: t.createdAt, expirationDate: t.expiresAt ?? Number.MAX_SAFE_INTEGER, modifiedDate: t.modifiedAt ?? 0,
  })[sortKey];
  const all = listTokens(deps.db)
    .filter((t) => visibleTo(caller, t) && matches(t, criteria))
    .filter((t) => (from === undefined || (t.lastUsedAt ?? -1) >= from) && (to === undefined || (t.lastUsedAt ?? Infinity) <= to))
    .sort((a, b) => {
      const va = value(a); const vb = value(b);
      return (va < vb ? -1 : va > vb ? 1 : a.id < b.id ? -1 : 1) * dir;
    });
  const page = all.slice(offset, offset + pageSize);
  const next = nextPageKeyFor(req, 'apiTokens', caller.token.id, pageSize, all.length);
  const apiTokens = page.map((t) => {
    const full = toApiToken(t);
    return Object.fromEntries(Object.entries(full).filter(([k]) => fields.has(k)));
  });
  return c.json({ totalCount: all.length, pageSize, ...pageKeyField(next), apiTokens });
}

const CREATE_FIELDS = ['name', 'scopes', 'personalAccessToken', 'expirationDate'];

async function create(c: Ctx, deps: SandboxDeps, caller: Caller): Promise<Response> {
  const body = asRecord(await readJsonBody(c));
  rejectUnknownFields(body, CREATE_FIELDS);
  if (body.personalAccessToken !== undefined && typeof body.personalAccessToken !== 'boolean') {
    throw badParameter('personalAccessToken', 'personalAccessToken must be a boolean', 'PAYLOAD_BODY');
  }
  const personal = body.personalAccessToken === true;
  const { name, scopes } = validateNameAndScopes(body, personal, true);
  const now = deps.clock();
  let expiresAt: number | null = null;
  if (body.expirationDate !== undefined) {
    const r = typeof body.expirationDate === 'string' ? parseTimeValue(body.expirationDate, now) : { ok: false as const, error: 'expirationDate must be a string' };
    if (!r.ok) throw badParameter('expirationDate', r.error, 'PAYLOAD_BODY');
    if (r.value <= now) throw badParameter('expirationDate', 'expirationDate must be in the future', 'PAYLOAD_BODY');
    expiresAt = r.value;
  }
  // The new token's owner is always the caller's owner: never taken from the body.
  const owner = caller.token.owner;
  let userId: number | null = caller.token.userId;
  if (caller.access) {
    // Non-personal tokens need the owner's admin permission (the web UI's "manage settings").
    if (!personal && !hasRole(caller.access, 'admin')) {
      throw new SandboxError(403, `User '${caller.access.user.email}' lacks the permission 'admin' required for this request`);
    }
  } else if (personal) {
    userId = findUser(deps.db, owner)?.id ?? null;
    if (userId === null) throw new SandboxError(400, `The owner '${owner}' of this token is not a user: it cannot own personal access tokens`);
  }
  const minted = mintToken(deps.db, now, { name: name!, scopes: scopes!, personal, userId: personal ? userId : null, owner, expiresAt });
  deps.log(`created ${personal ? 'personal access token' : 'API token'} ${minted.id} for ${owner}`);
  return c.json({ id: minted.id, token: minted.token, ...(minted.expiresAt !== null ? { expirationDate: new Date(minted.expiresAt).toISOString() } : {}) }, 201);
}

/** `{id}` may be the token id or, for DELETE, the full secret (docs/dynatrace-api-notes.md §3.5). */
function resolveTarget(deps: SandboxDeps, caller: Caller, raw: string, allowSecret: boolean): TokenRow {
  const t = allowSecret && raw.split('.').length === 3 ? findBySecret(deps.db, raw) : getToken(deps.db, raw);
  // Another user's token answers exactly like a missing one.
  if (!t || !visibleTo(caller, t)) throw notFound(raw.split('.').slice(0, 2).join('.'));
  return t;
}

async function update(c: Ctx, deps: SandboxDeps, caller: Caller): Promise<Response> {
  const target = resolveTarget(deps, caller, c.req.param('id')!, false);
  const body = asRecord(await readJsonBody(c));
  rejectUnknownFields(body, ['name', 'enabled', 'scopes']);
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw badParameter('enabled', 'enabled must be a boolean', 'PAYLOAD_BODY');
  const patch = validateNameAndScopes(body, target.personal, false);
  if (body.enabled === false && target.id === caller.token.id) throw new SandboxError(400, "You can't disable the token you're using for this request");
  updateToken(deps.db, target.id, deps.clock(), { ...patch, ...(body.enabled !== undefined ? { enabled: body.enabled as boolean } : {}) });
  return c.body(null, 204);
}

function remove(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const target = resolveTarget(deps, caller, c.req.param('id')!, true);
  if (target.id === caller.token.id) throw new SandboxError(400, "You can't delete the token you're using for this request");
  deleteToken(deps.db, target.id);
  deps.log(`deleted token ${target.id}`);
  return c.body(null, 204);
}

async function lookup(c: Ctx, deps: SandboxDeps): Promise<Response> {
  const body = asRecord(await readJsonBody(c));
  rejectUnknownFields(body, ['token']);
  if (typeof body.token !== 'string' || body.token === '') throw badParameter('token', 'token must be the full token', 'PAYLOAD_BODY');
  const t = findBySecret(deps.db, body.token);
  if (!t) throw new SandboxError(404, 'The token was not found');
  return c.json(toApiToken(t));
}

export const tokenRoutes: RouteSpec[] = [
  { method: 'GET', path: '/api/v2/apiTokens', scope: 'apiTokens.read', permission: null, zones: 'none', handler: list },
  { method: 'POST', path: '/api/v2/apiTokens', scope: 'apiTokens.write', permission: 'viewer', zones: 'none', handler: create },
  { method: 'POST', path: '/api/v2/apiTokens/lookup', scope: null, permission: null, zones: 'none', handler: (c, d) => lookup(c, d) },
  { method: 'GET', path: '/api/v2/apiTokens/:id', scope: 'apiTokens.read', permission: null, zones: 'none', handler: (c, d, caller) => c.json(toApiToken(resolveTarget(d, caller, c.req.param('id')!, false))) },
  // Updating can widen a token's scopes or re-enable it, as much as creating one: the same permission.
  { method: 'PUT', path: '/api/v2/apiTokens/:id', scope: 'apiTokens.write', permission: 'viewer', zones: 'none', handler: update },
  // Revoking only takes access away, so it needs no permission: a user who lost every grant can still revoke.
  { method: 'DELETE', path: '/api/v2/apiTokens/:id', scope: 'apiTokens.write', permission: null, zones: 'none', handler: remove },
];
