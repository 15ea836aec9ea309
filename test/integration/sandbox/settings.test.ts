import { beforeEach, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, type TestSandbox } from '../../helpers/sandbox';

describe('sandbox settings objects list', () => {
  let sb: TestSandbox;
  let admin: string;
  beforeEach(async () => {
    sb = createTestSandbox();
    admin = await sb.mintPat(DEMO.admin, ['settings.read']);
  });
  const list = (query: string) => sb.request(`/api/v2/settings/objects?${query}`, { token: admin });
  const schemaIdsOf = async (res: Response) => (await json<{ items: { schemaId: string }[] }>(res)).items.map((i) => i.schemaId);

  it('lists each requested schema once, whatever the spacing and repetition', async () => {
    const res = await list(`schemaIds=${encodeURIComponent(' builtin:tokens.token-settings , builtin:management-zones,builtin:tokens.token-settings')}&fields=schemaId`);
    expect(res.status).toBe(200);
    const ids = await schemaIdsOf(res);
    expect(ids.filter((s) => s === 'builtin:tokens.token-settings')).toHaveLength(1);
    expect(ids.filter((s) => s === 'builtin:management-zones')).toHaveLength(4);
  });

  it.each([
    ['an empty entry', 'builtin:management-zones,,builtin:tokens.token-settings'],
    ['only commas', ','.repeat(10_000)],
    ['a malformed schema id', `builtin:${'('.repeat(10_000)}`],
  ])('refuses %s in schemaIds with a 400', async (_name, schemaIds) => {
    const res = await list(`schemaIds=${encodeURIComponent(schemaIds)}`);
    expect(res.status).toBe(400);
    const body = await json<{ error: { constraintViolations: { path: string; message: string }[] } }>(res);
    expect(body.error.constraintViolations[0]!.path).toBe('schemaIds');
    expect(body.error.constraintViolations[0]!.message.length).toBeLessThan(300);
  });

  it('answers 404 for a well-formed schema the sandbox does not emulate, naming it', async () => {
    const res = await list('schemaIds=builtin:alerting.profile');
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).toContain('builtin:alerting.profile');
  });

  it('ignores empty entries in fields, like the other lists', async () => {
    const res = await list('schemaIds=builtin:tokens.token-settings&fields=,objectId,,schemaId,');
    expect(res.status).toBe(200);
    expect((await json<{ items: Record<string, unknown>[] }>(res)).items).toEqual([{ objectId: expect.any(String) as unknown, schemaId: 'builtin:tokens.token-settings' }]);
  });
});

describe('sandbox settings objects by id (read-modify-write with updateToken)', () => {
  let sb: TestSandbox;
  let admin: string;
  let analyst: string;
  const TOKEN_SETTINGS = Buffer.from('builtin:tokens.token-settings\u0000environment\u0000singleton').toString('base64url');
  beforeEach(async () => {
    sb = createTestSandbox();
    admin = await sb.mintPat(DEMO.admin, ['settings.read', 'settings.write']);
    analyst = await sb.mintPat(DEMO.analyst, ['settings.read', 'settings.write']);
  });
  interface Obj { objectId: string; updateToken: string; value: { patEnabled: boolean }; modified: number; author: string; summary: string; searchSummary: string }
  const read = async (token = admin) => json<Obj>(await sb.request(`/api/v2/settings/objects/${TOKEN_SETTINGS}`, { token }));
  const put = (body: unknown, token = admin) => sb.request(`/api/v2/settings/objects/${TOKEN_SETTINGS}`, { token, method: 'PUT', body });

  it('reads an object with every field, and the list hands out the same one', async () => {
    const o = await read();
    expect(Object.keys(o).sort()).toEqual(['author', 'created', 'modified', 'objectId', 'schemaId', 'schemaVersion', 'scope', 'searchSummary', 'summary', 'updateToken', 'value']);
    const listed = await json<{ items: Obj[] }>(await sb.request('/api/v2/settings/objects?schemaIds=builtin:tokens.token-settings&fields=objectId,updateToken,value', { token: admin }));
    expect(listed.items).toEqual([{ objectId: o.objectId, updateToken: o.updateToken, value: o.value }]);
  });

  it('writes with the current updateToken, refuses a stale one with 409, and without one overrides', async () => {
    // PATs stop working once patEnabled is false: a classic token reads the result.
    const classic = await sb.mintClassic(['settings.read', 'settings.write']);
    sb.setNow(sb.now() + 60_000);
    const before = await read();
    const ok = await put({ value: { patEnabled: false }, updateToken: before.updateToken });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ code: 200, objectId: TOKEN_SETTINGS });
    const after = await read(classic);
    expect(after.value.patEnabled).toBe(false);
    expect(after.updateToken).not.toBe(before.updateToken);
    expect(after.modified).toBe(sb.now());
    expect(after.author).toBe(DEMO.admin);
    // Another writer (here the admin API) changes the object: the token read before is stale.
    await sb.admin('/settings', 'PUT', { patEnabled: true });
    expect((await put({ value: { patEnabled: false }, updateToken: after.updateToken }, classic)).status).toBe(409);
    expect((await read(classic)).value.patEnabled).toBe(true);
    expect((await put({ value: { patEnabled: true } })).status).toBe(200);
    expect((await put({ value: { patEnabled: true }, unknown: 1 })).status).toBe(400);
  });

  it('deletes back to the defaults, with the same updateToken rule', async () => {
    await sb.admin('/settings', 'PUT', { patEnabled: false });
    const classic = await sb.mintClassic(['settings.read', 'settings.write']);
    const current = await read(classic);
    expect((await sb.request(`/api/v2/settings/objects/${TOKEN_SETTINGS}?updateToken=stale`, { token: classic, method: 'DELETE' })).status).toBe(409);
    const res = await sb.request(`/api/v2/settings/objects/${TOKEN_SETTINGS}?updateToken=${encodeURIComponent(current.updateToken)}`, { token: classic, method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await read(classic)).value.patEnabled).toBe(true);
  });

  it('keeps zone objects read-only and within the caller\'s zones; non-admins write nothing', async () => {
    const w = sb.deps.world;
    const id = (zone: string) => Buffer.from(`builtin:management-zones\u0000environment\u0000${w.zoneByName.get(zone)!.id}`).toString('base64url');
    expect((await sb.request(`/api/v2/settings/objects/${id('Production EU')}`, { token: analyst })).status).toBe(200);
    expect((await sb.request(`/api/v2/settings/objects/${id('Production US')}`, { token: analyst })).status).toBe(404);
    const write = await sb.request(`/api/v2/settings/objects/${id('Production EU')}`, { token: admin, method: 'PUT', body: { value: { name: 'x' } } });
    expect(write.status).toBe(400);
    expect((await sb.request(`/api/v2/settings/objects/${id('Production EU')}`, { token: admin, method: 'DELETE' })).status).toBe(400);
    expect((await put({ value: { patEnabled: false } }, analyst)).status).toBe(403);
    expect((await sb.request(`/api/v2/settings/objects/nope`, { token: admin })).status).toBe(404);
  });

  it('lists the emulated schemas, and pages objects by nextPageKey alone', async () => {
    const schemas = await json<{ items: { schemaId: string }[]; totalCount: number }>(await sb.request('/api/v2/settings/schemas', { token: admin }));
    expect(schemas.items.map((s) => s.schemaId)).toEqual(['builtin:tokens.token-settings', 'builtin:management-zones']);
    const first = await json<{ items: unknown[]; nextPageKey: string; totalCount: number }>(await sb.request('/api/v2/settings/objects?schemaIds=builtin:management-zones&pageSize=3', { token: admin }));
    expect([first.items.length, first.totalCount]).toEqual([3, 4]);
    const rest = await json<{ items: unknown[] }>(await sb.request(`/api/v2/settings/objects?nextPageKey=${encodeURIComponent(first.nextPageKey)}`, { token: admin }));
    expect(rest.items).toHaveLength(1);
    expect(rest).not.toHaveProperty('nextPageKey');
  });
});
