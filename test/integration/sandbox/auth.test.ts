import { beforeEach, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, T0, type TestSandbox } from '../../helpers/sandbox';

const READ = ['entities.read', 'metrics.read', 'apiTokens.read'];
const HOSTS = '/api/v2/entities?entitySelector=type(HOST)';

describe('sandbox authentication and authorisation (docs/sandbox-behaviour.md, decided responses)', () => {
  let sb: TestSandbox;
  let analyst: string;
  beforeEach(async () => {
    sb = createTestSandbox();
    analyst = await sb.mintPat(DEMO.analyst, READ);
  });

  it('answers a request without a token with 401 "Missing authorization parameter."', async () => {
    const res = await sb.request(HOSTS);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 401, message: 'Missing authorization parameter.' } });
  });

  it('gives malformed, unknown and wrong-secret tokens one byte-identical 401 body', async () => {
    const [prefix, pub, secret] = analyst.split('.') as [string, string, string];
    const wrongSecret = `${prefix}.${pub}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const unknownId = `${prefix}.${'Z'.repeat(24)}.${secret}`;
    const bodies = [];
    for (const t of ['garbage', 'dt0c01.SHORT.SECRET', unknownId, wrongSecret, '']) {
      const res = await sb.request(HOSTS, { token: t });
      expect(res.status).toBe(401);
      bodies.push(await res.text());
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toBe('{"error":{"code":401,"message":"Token Authentication failed"}}');
  });

  it('accepts the documented api-token query parameter as well as the header', async () => {
    const res = await sb.request(`${HOSTS}&api-token=${analyst}`);
    expect(res.status).toBe(200);
  });

  it('tells a holder of the real secret that the token expired or is disabled', async () => {
    const expiring = await sb.mintPat(DEMO.support, READ, { expirationDate: new Date(T0 + 60_000).toISOString() });
    expect((await sb.request(HOSTS, { token: expiring })).status).toBe(200);
    sb.setNow(T0 + 61_000);
    const expired = await sb.request(HOSTS, { token: expiring });
    expect(expired.status).toBe(401);
    expect((await json<{ error: { message: string } }>(expired)).error.message).toMatch(/expired/);

    const admin = await sb.mintPat(DEMO.admin, ['apiTokens.read', 'apiTokens.write']);
    const id = analyst.split('.').slice(0, 2).join('.');
    const classic = await sb.mintClassic(['apiTokens.write']);
    expect((await sb.request(`/api/v2/apiTokens/${id}`, { token: classic, method: 'PUT', body: { enabled: false } })).status).toBe(204);
    const disabled = await sb.request(HOSTS, { token: analyst });
    expect(disabled.status).toBe(401);
    expect((await json<{ error: { message: string } }>(disabled)).error.message).toMatch(/disabled/);
    expect(admin).toBeTruthy();
  });

  it('stops every PAT while patEnabled is false, and lets classic tokens work on', async () => {
    const classic = await sb.mintClassic(['entities.read']);
    await sb.admin('/settings', 'PUT', { patEnabled: false });
    const res = await sb.request(HOSTS, { token: analyst });
    expect(res.status).toBe(401);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/personal access tokens are disabled/);
    expect((await sb.request(HOSTS, { token: classic })).status).toBe(200);
    const mint = await sb.admin(`/users/${DEMO.analyst}/tokens`, 'POST', { name: 'x', scopes: ['entities.read'] });
    expect(mint.status).toBe(400);
    await sb.admin('/settings', 'PUT', { patEnabled: true });
    expect((await sb.request(HOSTS, { token: analyst })).status).toBe(200);
  });

  it('names the missing scope and its title in a 403', async () => {
    const res = await sb.request('/api/v2/settings/objects?schemaIds=builtin:management-zones', { token: analyst });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 403, message: 'Token is missing required scope. Use one of: settings.read (Read settings)' } });
  });

  it('refuses a PAT on API v1 and the Configuration API v1 with 403', async () => {
    for (const path of ['/api/v1/entity/infrastructure/hosts', '/api/config/v1/managementZones']) {
      const res = await sb.request(path, { token: analyst });
      expect(res.status).toBe(403);
      expect((await json<{ error: { message: string } }>(res)).error.message).toBe('Personal access tokens can only be used with API v2');
    }
  });

  it("checks the owner's permission and names the user", async () => {
    const viewer = await sb.mintPat(DEMO.support, ['settings.write']);
    const res = await sb.request('/api/v2/settings/objects', { token: viewer, method: 'POST', body: [{ schemaId: 'builtin:tokens.token-settings', scope: 'environment', value: { patEnabled: false } }] });
    expect(res.status).toBe(403);
    expect((await json<{ error: { message: string } }>(res)).error.message).toBe("User 'support@example.com' lacks the permission 'operator' required for this request");
    const none = await sb.mintPat(DEMO.nogrants, ['entities.read']);
    const r2 = await sb.request(HOSTS, { token: none });
    expect(r2.status).toBe(403);
    expect((await json<{ error: { message: string } }>(r2)).error.message).toMatch(/nogrants@example.com.*viewer/);
  });

  it('applies a removed grant and a deleted user on the very next request', async () => {
    const before = await json<{ totalCount: number }>(await sb.request(HOSTS, { token: analyst }));
    expect(before.totalCount).toBeGreaterThan(0);
    expect((await sb.admin(`/users/${DEMO.analyst}`, 'PATCH', { grants: [{ role: 'viewer', zones: ['Staging'] }] })).status).toBe(204);
    const after = await json<{ entities: { entityId: string }[] }>(await sb.request(`${HOSTS}&fields=%2BmanagementZones`, { token: analyst }));
    expect(after.entities.every((e) => (e as unknown as { managementZones: { name: string }[] }).managementZones.some((z) => z.name === 'Staging'))).toBe(true);
    expect((await sb.admin(`/users/${DEMO.analyst}`, 'DELETE')).status).toBe(204);
    const gone = await sb.request(HOSTS, { token: analyst });
    expect(gone.status).toBe(401);
    expect(await gone.text()).toBe('{"error":{"code":401,"message":"Token Authentication failed"}}');
  });

  it('records lastUsedDate and the IP at most once a minute', async () => {
    const lookup = async () => json<{ lastUsedDate?: string }>(await sb.request('/api/v2/apiTokens/lookup', { token: analyst, method: 'POST', body: { token: analyst } }));
    expect((await lookup()).lastUsedDate).toBe(new Date(T0).toISOString());
    sb.setNow(T0 + 30_000);
    expect((await lookup()).lastUsedDate).toBe(new Date(T0).toISOString());
    sb.setNow(T0 + 61_000);
    expect((await lookup()).lastUsedDate).toBe(new Date(T0 + 61_000).toISOString());
  });

  it('rate-limits with 429 and a Retry-After header', async () => {
    await sb.admin('/faults', 'PUT', { rateLimitPerMinute: 2 });
    expect((await sb.request(HOSTS, { token: analyst })).status).toBe(200);
    expect((await sb.request(HOSTS, { token: analyst })).status).toBe(200);
    const limited = await sb.request(HOSTS, { token: analyst });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ error: { code: 429, message: 'Too many requests' } });
    sb.setNow(T0 + 60_000);
    expect((await sb.request(HOSTS, { token: analyst })).status).toBe(200);
  });

  it('rate-limits failed authentication by the peer address, however many token ids it makes up', async () => {
    await sb.admin('/faults', 'PUT', { rateLimitPerMinute: 3 });
    const madeUp = (i: number) => `dt0c01.${String(i).padStart(24, 'A')}.${'B'.repeat(64)}`;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await sb.request(HOSTS, { token: madeUp(i), peer: '10.0.0.1' })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await sb.request(HOSTS, { peer: '10.0.0.1' })).status).toBe(429); // no token at all counts as a failure too
    // Another peer has its own window, and a valid token is counted apart from failures.
    expect((await sb.request(HOSTS, { token: madeUp(9), peer: '10.0.0.2' })).status).toBe(401);
    expect((await sb.request(HOSTS, { token: analyst, peer: '10.0.0.1' })).status).toBe(200);
    sb.setNow(T0 + 60_000);
    expect((await sb.request(HOSTS, { token: madeUp(0), peer: '10.0.0.1' })).status).toBe(401);
  });

  it('rate-limits a valid token by its id, from any peer, with one window per token', async () => {
    await sb.admin('/faults', 'PUT', { rateLimitPerMinute: 2 });
    const other = await sb.mintPat(DEMO.support, READ);
    expect((await sb.request(HOSTS, { token: analyst, peer: '10.0.0.1' })).status).toBe(200);
    expect((await sb.request(HOSTS, { token: analyst, peer: '10.0.0.2' })).status).toBe(200);
    expect((await sb.request(HOSTS, { token: analyst, peer: '10.0.0.3' })).status).toBe(429);
    expect((await sb.request(HOSTS, { token: other, peer: '10.0.0.1' })).status).toBe(200);
  });

  it('keeps one rate window per token or failing peer, not one per presented id', async () => {
    await sb.admin('/faults', 'PUT', { rateLimitPerMinute: 1_000_000 });
    for (let i = 0; i < 200; i++) await sb.request(HOSTS, { token: `dt0c01.${String(i).padStart(24, 'A')}.${'B'.repeat(64)}`, peer: '10.0.0.1' });
    await sb.request(HOSTS, { token: analyst, peer: '10.0.0.1' });
    expect(sb.deps.rateLimiter.size).toBe(2);
  });

  it('rejects the admin API without the right key', async () => {
    expect((await sb.request('/sandbox/admin/users')).status).toBe(401);
    expect((await sb.request('/sandbox/admin/users', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await sb.admin('/users')).status).toBe(200);
  });

  it('answers unknown v2 routes with 404 and v1 routes for classic tokens with 501, in the error envelope', async () => {
    const classic = await sb.mintClassic(['entities.read']);
    const r404 = await sb.request('/api/v2/nothing-here', { token: classic });
    expect(r404.status).toBe(404);
    expect(await r404.json()).toEqual({ error: { code: 404, message: 'HTTP 404 Not Found' } });
    const r501 = await sb.request('/api/v1/entity/infrastructure/hosts', { token: classic });
    expect(r501.status).toBe(501);
    expect((await json<{ error: { code: number } }>(r501)).error.code).toBe(501);
  });
});
