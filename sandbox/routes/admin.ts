import { Hono } from 'hono';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Env, SandboxDeps } from '../context';
import { badParameter, SandboxError } from '../errors';
import { createUser, deleteUser, findUser, listUsers, listZones, replaceGrants } from '../identity';
import { asRecord, readJsonBody, rejectUnknownFields } from '../json-body';
import { getSettings, putSettings } from '../settings';
import { mintToken, validateNameAndScopes } from '../tokens';
import type { World } from '../world/world';
import { parseTimeValue } from '../../lib/time/timeframe';

interface AdminOptions {
  deps: SandboxDeps;
  adminKey: string;
  reset?: () => World;
}

function sameKey(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

function expiry(deps: SandboxDeps, raw: unknown): number | null {
  if (raw === undefined || raw === null) return null;
  const r = typeof raw === 'string' ? parseTimeValue(raw, deps.clock()) : { ok: false as const, error: 'expirationDate must be a string' };
  if (!r.ok) throw badParameter('expirationDate', r.error, 'PAYLOAD_BODY');
  // The admin API may mint already-expired tokens on purpose, to test the expiry paths.
  return r.value;
}

/** `/sandbox/admin/*`: sandbox-only administration, `Authorization: Bearer <admin key>`. */
export function adminRouter({ deps, adminKey, reset }: AdminOptions) {
  const r = new Hono<Env>();
  r.use('*', async (c, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!m || !sameKey(m[1]!, adminKey)) throw new SandboxError(401, 'Missing or wrong sandbox admin key');
    await next();
  });
  const db = deps.db;

  r.get('/users', (c) => c.json({ users: listUsers(db) }));
  r.post('/users', async (c) => {
    const body = asRecord(await readJsonBody(c));
    rejectUnknownFields(body, ['email', 'name', 'grants']);
    const u = createUser(db, deps.clock(), body as { email: unknown });
    return c.json({ email: u.email, name: u.name }, 201);
  });
  r.patch('/users/:email', async (c) => {
    const body = asRecord(await readJsonBody(c));
    rejectUnknownFields(body, ['grants']);
    replaceGrants(db, c.req.param('email'), body.grants);
    return c.body(null, 204);
  });
  r.delete('/users/:email', (c) => {
    deleteUser(db, c.req.param('email'));
    return c.body(null, 204);
  });
  r.post('/users/:email/tokens', async (c) => {
    const user = findUser(db, c.req.param('email'));
    if (!user) throw new SandboxError(404, `User '${c.req.param('email')}' not found`);
    const body = asRecord(await readJsonBody(c));
    rejectUnknownFields(body, ['name', 'scopes', 'expirationDate']);
    const { name, scopes } = validateNameAndScopes(body, true, true);
    const minted = mintToken(db, deps.clock(), { name: name!, scopes: scopes!, personal: true, userId: user.id, owner: user.email, expiresAt: expiry(deps, body.expirationDate) });
    return c.json({ id: minted.id, token: minted.token }, 201);
  });
  r.post('/api-tokens', async (c) => {
    const body = asRecord(await readJsonBody(c));
    rejectUnknownFields(body, ['name', 'scopes', 'expirationDate', 'owner']);
    const { name, scopes } = validateNameAndScopes(body, false, true);
    const owner = typeof body.owner === 'string' ? body.owner : 'admin@example.com';
    const minted = mintToken(db, deps.clock(), { name: name!, scopes: scopes!, personal: false, userId: null, owner, expiresAt: expiry(deps, body.expirationDate) });
    return c.json({ id: minted.id, token: minted.token }, 201);
  });
  r.get('/zones', (c) => c.json({ zones: listZones(db) }));
  r.get('/settings', (c) => c.json(getSettings(db)));
  r.put('/settings', async (c) => {
    const body = asRecord(await readJsonBody(c));
    rejectUnknownFields(body, ['patEnabled', 'zoneDenials']);
    if (body.patEnabled !== undefined && typeof body.patEnabled !== 'boolean') throw badParameter('patEnabled', 'patEnabled must be a boolean', 'PAYLOAD_BODY');
    if (body.zoneDenials !== undefined && body.zoneDenials !== 'reject' && body.zoneDenials !== 'filter') throw badParameter('zoneDenials', 'zoneDenials must be "reject" or "filter"', 'PAYLOAD_BODY');
    return c.json(putSettings(db, body as { patEnabled?: boolean; zoneDenials?: 'reject' | 'filter' }, { now: deps.clock(), author: 'sandbox admin API' }));
  });
  r.put('/faults', async (c) => {
    const body = asRecord(await readJsonBody(c));
    rejectUnknownFields(body, ['latencyMs', 'errorRate', 'rateLimitPerMinute', 'errorMethods']);
    const num = (k: string, min: number, max: number) => {
      const v = body[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw badParameter(k, `${k} must be a number from ${min} to ${max}`, 'PAYLOAD_BODY');
      return v;
    };
    const latencyMs = num('latencyMs', 0, 60_000);
    const errorRate = num('errorRate', 0, 1);
    const rate = body.rateLimitPerMinute === null ? null : num('rateLimitPerMinute', 1, 1_000_000);
    const methods = body.errorMethods;
    if (methods !== undefined && methods !== null && !(Array.isArray(methods) && methods.length > 0 && methods.every((m) => typeof m === 'string' && ['GET', 'POST', 'PUT', 'DELETE'].includes(m)))) {
      throw badParameter('errorMethods', 'errorMethods must be null or a non-empty list of GET, POST, PUT, DELETE', 'PAYLOAD_BODY');
    }
    if (methods !== undefined) deps.faults.errorMethods = methods as string[] | null;
    if (latencyMs !== undefined) deps.faults.latencyMs = latencyMs;
    if (errorRate !== undefined) deps.faults.errorRate = errorRate;
    if (rate !== undefined) { deps.faults.rateLimitPerMinute = rate; deps.rateLimiter.clear(); }
    return c.json(deps.faults);
  });
  r.delete('/faults', (c) => {
    Object.assign(deps.faults, { latencyMs: 0, errorRate: 0, rateLimitPerMinute: null, errorMethods: null });
    deps.rateLimiter.clear();
    return c.body(null, 204);
  });
  r.post('/reset', (c) => {
    if (!reset) throw new SandboxError(501, 'Reset is not available in this app instance');
    deps.world = reset();
    Object.assign(deps.faults, { latencyMs: 0, errorRate: 0, rateLimitPerMinute: null, errorMethods: null });
    deps.rateLimiter.clear();
    return c.body(null, 204);
  });
  return r;
}
