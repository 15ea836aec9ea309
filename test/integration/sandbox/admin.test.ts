import { describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json } from '../../helpers/sandbox';

describe('sandbox admin API', () => {
  it('resets to the seeded world: demo users only, no tokens, no ingested metrics, default settings', async () => {
    const sb = createTestSandbox();
    const before = await json<{ zones: { id: string; name: string }[] }>(await sb.admin('/zones'));
    expect((await sb.admin('/users', 'POST', { email: 'extra@example.com', grants: [{ role: 'viewer', zones: ['Staging'] }] })).status).toBe(201);
    const pat = await sb.mintPat(DEMO.analyst, ['entities.read']);
    const ingest = await sb.mintClassic(['metrics.ingest', 'metrics.read']);
    const ing = await sb.request('/api/v2/metrics/ingest', { token: ingest, method: 'POST', body: 'custom.reset.probe,dt.entity.host=HOST-0000000000000001 5', headers: { 'content-type': 'text/plain' } });
    expect(ing.status).toBe(202);
    expect((await sb.request('/api/v2/metrics/custom.reset.probe', { token: ingest })).status).toBe(200);
    await sb.admin('/settings', 'PUT', { patEnabled: false, zoneDenials: 'filter' });

    expect((await sb.admin('/reset', 'POST')).status).toBe(204);

    const users = await json<{ users: { email: string; personalTokens: number }[] }>(await sb.admin('/users'));
    expect(users.users.map((u) => u.email).sort()).toEqual(Object.values(DEMO).sort());
    expect(users.users.every((u) => u.personalTokens === 0)).toBe(true);
    expect((await sb.request('/api/v2/entities?entitySelector=type(HOST)', { token: pat })).status).toBe(401);
    expect(await json(await sb.admin('/settings'))).toEqual({ patEnabled: true, zoneDenials: 'reject' });
    expect(await json(await sb.admin('/zones'))).toEqual(before);
    const reader = await sb.mintClassic(['metrics.read']);
    expect((await sb.request('/api/v2/metrics/custom.reset.probe', { token: reader })).status).toBe(404);
  });

  it('validates what it is given, naming the field', async () => {
    const sb = createTestSandbox();
    const bad = await sb.admin('/users', 'POST', { email: 'x@example.com', grants: [{ role: 'viewer', zones: ['Nowhere'] }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('unknown management zone \\"Nowhere\\"');
    expect((await sb.admin('/faults', 'PUT', { errorRate: 2 })).status).toBe(400);
    expect((await sb.admin('/settings', 'PUT', { zoneDenials: 'maybe' })).status).toBe(400);
    expect((await sb.admin('/users', 'POST', { email: 'admin@example.com' })).status).toBe(409);
  });

  it('injects 503s for the named methods only: a DELETE fails while reads work, until the faults are cleared', async () => {
    const sb = createTestSandbox();
    const writer = await sb.mintPat(DEMO.admin, ['apiTokens.read', 'apiTokens.write']);
    const target = await sb.mintPat(DEMO.admin, ['metrics.read']);
    expect((await sb.admin('/faults', 'PUT', { errorRate: 1, errorMethods: ['DELETE'] })).status).toBe(200);
    const id = target.slice(0, target.lastIndexOf('.'));
    expect((await sb.request(`/api/v2/apiTokens/${id}`, { token: writer, method: 'DELETE' })).status).toBe(503);
    expect((await sb.request('/api/v2/apiTokens', { token: writer })).status).toBe(200);
    expect((await sb.admin('/faults', 'DELETE')).status).toBe(204);
    expect((await sb.request(`/api/v2/apiTokens/${id}`, { token: writer, method: 'DELETE' })).status).toBe(204);
    expect((await sb.admin('/faults', 'PUT', { errorMethods: ['PATCH'] })).status).toBe(400);
  });
});
