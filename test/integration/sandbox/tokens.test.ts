import { beforeEach, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, T0, type TestSandbox } from '../../helpers/sandbox';

type Tok = Record<string, unknown> & { id: string };
const WRITE = ['apiTokens.read', 'apiTokens.write'];

describe('sandbox token API (docs/dynatrace-api-notes.md §3)', () => {
  let sb: TestSandbox;
  let analyst: string;
  beforeEach(async () => {
    sb = createTestSandbox();
    analyst = await sb.mintPat(DEMO.analyst, WRITE);
  });

  const create = (token: string, body: unknown) => sb.request('/api/v2/apiTokens', { token, method: 'POST', body });

  it('creates a PAT owned by the caller, returns the secret once and never again', async () => {
    const res = await create(analyst, { name: 'metrics', scopes: ['metrics.read'], personalAccessToken: true, expirationDate: 'now+14d' });
    expect(res.status).toBe(201);
    const created = await json<{ id: string; token: string; expirationDate: string }>(res);
    expect(created.token).toMatch(/^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$/);
    expect(created.token.startsWith(`${created.id}.`)).toBe(true);
    expect(created.expirationDate).toBe(new Date(T0 + 14 * 86_400_000).toISOString());
    const got = await sb.request(`/api/v2/apiTokens/${created.id}`, { token: analyst });
    const text = await got.text();
    expect(text).not.toContain(created.token.split('.')[2]);
    const tok = JSON.parse(text) as Tok;
    expect(tok).toMatchObject({ id: created.id, owner: DEMO.analyst, personalAccessToken: true, scopes: ['metrics.read'], enabled: true });
  });

  it('refuses a sixth PAT of a user with a 400 naming the limit', async () => {
    for (let i = 0; i < 4; i++) expect((await create(analyst, { name: `t${i}`, scopes: ['metrics.read'], personalAccessToken: true })).status).toBe(201);
    const sixth = await create(analyst, { name: 'six', scopes: ['metrics.read'], personalAccessToken: true });
    expect(sixth.status).toBe(400);
    expect((await json<{ error: { message: string } }>(sixth)).error.message).toBe("The maximum of five personal access tokens for user 'analyst@example.com' is reached");
    // the same rule for minting "as the web UI would"
    expect((await sb.admin(`/users/${DEMO.analyst}/tokens`, 'POST', { name: 'x', scopes: ['metrics.read'] })).status).toBe(400);
  });

  it.each([
    ['an owner field', { name: 'x', scopes: ['metrics.read'], personalAccessToken: true, owner: 'admin@example.com' }, 'owner'],
    ['a userId field', { name: 'x', scopes: ['metrics.read'], personalAccessToken: true, userId: 1 }, 'userId'],
    ['an unknown scope', { name: 'x', scopes: ['metrics.readAll'], personalAccessToken: true }, 'scopes'],
    ['metrics.ingest on a PAT', { name: 'x', scopes: ['metrics.ingest'], personalAccessToken: true }, 'scopes'],
    ['a past expirationDate', { name: 'x', scopes: ['metrics.read'], personalAccessToken: true, expirationDate: '2020-01-01T00:00:00Z' }, 'expirationDate'],
    ['no name', { scopes: ['metrics.read'], personalAccessToken: true }, 'name'],
    ['no scopes', { name: 'x', personalAccessToken: true }, 'scopes'],
    ['a string flag', { name: 'x', scopes: ['metrics.read'], personalAccessToken: 'true' }, 'personalAccessToken'],
  ])('rejects a create body with %s (400 naming %s)', async (_what, body, path) => {
    const res = await create(analyst, body);
    expect(res.status).toBe(400);
    const err = await json<{ error: { code: number; constraintViolations: { path: string }[] } }>(res);
    expect(err.error.code).toBe(400);
    expect(err.error.constraintViolations[0]!.path).toBe(path);
  });

  it.each([
    ['a non-object root', '[1,2]'],
    ['a __proto__ key', '{"name":"x","scopes":["metrics.read"],"__proto__":{"polluted":true}}'],
    ['a duplicate key', '{"name":"x","name":"y","scopes":["metrics.read"]}'],
    ['1,000-deep nesting', `{"name":${'['.repeat(1000)}${']'.repeat(1000)}}`],
    ['malformed JSON', '{"name":'],
  ])('rejects a hostile body (%s) with 400 and leaves Object.prototype alone', async (_what, body) => {
    const res = await create(analyst, body);
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a body over 1 MB with 413', async () => {
    const res = await create(analyst, JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), scopes: ['metrics.read'] }));
    expect(res.status).toBe(413);
    expect((await json<{ error: { code: number } }>(res)).error.code).toBe(413);
  });

  it("lets a PAT see and delete only its owner's tokens; another user's id answers 404", async () => {
    const support = await sb.mintPat(DEMO.support, WRITE);
    const supportId = support.split('.').slice(0, 2).join('.');
    const mine = await json<{ id: string }>(await create(analyst, { name: 'mine', scopes: ['metrics.read'], personalAccessToken: true }));
    const list = await json<{ apiTokens: Tok[]; totalCount: number }>(await sb.request('/api/v2/apiTokens', { token: analyst }));
    expect(list.apiTokens.every((t) => t.owner === DEMO.analyst)).toBe(true);
    expect(list.totalCount).toBe(2);
    expect((await sb.request(`/api/v2/apiTokens/${supportId}`, { token: analyst })).status).toBe(404);
    expect((await sb.request(`/api/v2/apiTokens/${supportId}`, { token: analyst, method: 'DELETE' })).status).toBe(404);
    expect((await sb.request(`/api/v2/apiTokens/${mine.id}`, { token: analyst, method: 'DELETE' })).status).toBe(204);
    expect((await sb.request(`/api/v2/apiTokens/${mine.id}`, { token: analyst })).status).toBe(404);
  });

  it('refuses to delete or disable the calling token', async () => {
    const id = analyst.split('.').slice(0, 2).join('.');
    const del = await sb.request(`/api/v2/apiTokens/${id}`, { token: analyst, method: 'DELETE' });
    expect(del.status).toBe(400);
    expect((await sb.request(`/api/v2/apiTokens/${id}`, { token: analyst, method: 'PUT', body: { enabled: false } })).status).toBe(400);
  });

  it('deletes a token by its full secret too', async () => {
    const other = await json<{ id: string; token: string }>(await create(analyst, { name: 'o', scopes: ['metrics.read'], personalAccessToken: true }));
    expect((await sb.request(`/api/v2/apiTokens/${other.token}`, { token: analyst, method: 'DELETE' })).status).toBe(204);
    expect((await sb.request(`/api/v2/apiTokens/${other.id}`, { token: analyst })).status).toBe(404);
  });

  it('updates name and scopes (modifiedDate set), and enabled without touching modifiedDate', async () => {
    const other = await json<{ id: string }>(await create(analyst, { name: 'o', scopes: ['metrics.read'], personalAccessToken: true }));
    sb.setNow(T0 + 5000);
    expect((await sb.request(`/api/v2/apiTokens/${other.id}`, { token: analyst, method: 'PUT', body: { enabled: false } })).status).toBe(204);
    let tok = await json<Tok>(await sb.request(`/api/v2/apiTokens/${other.id}`, { token: analyst }));
    expect(tok.enabled).toBe(false);
    expect(tok.modifiedDate).toBeUndefined();
    expect((await sb.request(`/api/v2/apiTokens/${other.id}`, { token: analyst, method: 'PUT', body: { name: 'renamed', scopes: ['entities.read'] } })).status).toBe(204);
    tok = await json<Tok>(await sb.request(`/api/v2/apiTokens/${other.id}`, { token: analyst }));
    expect(tok).toMatchObject({ name: 'renamed', scopes: ['entities.read'], modifiedDate: new Date(T0 + 5000).toISOString() });
    expect((await sb.request(`/api/v2/apiTokens/${other.id}`, { token: analyst, method: 'PUT', body: { scopes: ['metrics.ingest'] } })).status).toBe(400);
  });

  it('needs the owner\'s viewer permission to update a token, as to create one; revoking needs none', async () => {
    const caller = await sb.mintPat(DEMO.nogrants, WRITE);
    const target = await sb.mintPat(DEMO.nogrants, ['metrics.read']);
    const targetId = target.split('.').slice(0, 2).join('.');
    const denied = { error: { code: 403, message: "User 'nogrants@example.com' lacks the permission 'viewer' required for this request" } };
    const created = await create(caller, { name: 'x', scopes: ['metrics.read'], personalAccessToken: true });
    expect([created.status, await created.json()]).toEqual([403, denied]);
    for (const body of [{ scopes: ['metrics.read', 'entities.read'] }, { enabled: true }, { name: 'renamed' }]) {
      const res = await sb.request(`/api/v2/apiTokens/${targetId}`, { token: caller, method: 'PUT', body });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(await res.json()).toEqual(denied);
    }
    // Revocation only takes access away: a user who lost every grant can still revoke a token.
    expect((await sb.request(`/api/v2/apiTokens/${targetId}`, { token: caller, method: 'DELETE' })).status).toBe(204);
    const viewer = await sb.mintPat(DEMO.analyst, ['metrics.read']);
    const renamed = await sb.request(`/api/v2/apiTokens/${viewer.split('.').slice(0, 2).join('.')}`, { token: analyst, method: 'PUT', body: { name: 'renamed' } });
    expect(renamed.status).toBe(204);
  });

  it('looks a token up with a token of any scope, and 404s an unknown one', async () => {
    const narrow = await sb.mintPat(DEMO.support, ['slo.read']);
    const res = await sb.request('/api/v2/apiTokens/lookup', { token: narrow, method: 'POST', body: { token: narrow } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ owner: DEMO.support, personalAccessToken: true, scopes: ['slo.read'] });
    const unknown = narrow.replace(/.$/, narrow.endsWith('A') ? 'B' : 'A');
    expect((await sb.request('/api/v2/apiTokens/lookup', { token: narrow, method: 'POST', body: { token: unknown } })).status).toBe(404);
  });

  it('lists with apiTokenSelector, fields (+ forms and bare lists), sort and paging by nextPageKey alone', async () => {
    const classic = await sb.mintClassic(WRITE);
    for (let i = 0; i < 3; i++) {
      sb.setNow(T0 + i * 1000);
      await sb.mintPat(DEMO.support, ['metrics.read']);
      await sb.mintPat(DEMO.admin, ['entities.read']);
    }
    const page1 = await json<{ apiTokens: Tok[]; nextPageKey: string | null; totalCount: number; pageSize: number }>(
      await sb.request('/api/v2/apiTokens?pageSize=100&apiTokenSelector=personalAccessToken(true),scope("metrics.read","entities.read")&fields=%2BexpirationDate,%2Bscopes,-creationDate&sort=-creationDate', { token: classic }));
    expect(page1.totalCount).toBe(6);
    expect(page1.pageSize).toBe(100);
    // A last page has no key at all, like the recorded real one (docs/sandbox-behaviour.md, "Real answers").
    expect(page1).not.toHaveProperty('nextPageKey');
    expect(Object.keys(page1.apiTokens[0]!).sort()).toEqual(['enabled', 'id', 'name', 'owner', 'scopes']);
    const bare = await json<{ apiTokens: Tok[] }>(await sb.request('/api/v2/apiTokens?fields=owner&apiTokenSelector=owner("admin@example.com"),personalAccessToken(true)', { token: classic }));
    expect(bare.apiTokens.length).toBe(3);
    expect(bare.apiTokens.every((t) => Object.keys(t).sort().join() === 'id,owner')).toBe(true);
    expect((await sb.request('/api/v2/apiTokens?pageSize=99', { token: classic })).status).toBe(400);

    for (let i = 0; i < 100; i++) await sb.mintClassic(['slo.read'], { owner: 'automation' });
    const first = await json<{ apiTokens: Tok[]; nextPageKey: string; totalCount: number }>(await sb.request('/api/v2/apiTokens?pageSize=100&apiTokenSelector=owner("automation")', { token: classic }));
    expect(first.totalCount).toBe(100 + 0);
    expect(first).not.toHaveProperty('nextPageKey');
    const all = await json<{ apiTokens: Tok[]; nextPageKey: string; totalCount: number }>(await sb.request('/api/v2/apiTokens?pageSize=100', { token: classic }));
    expect(all.totalCount).toBe(108);
    expect(all.apiTokens).toHaveLength(100);
    const key = encodeURIComponent(all.nextPageKey);
    const rest = await json<{ apiTokens: Tok[]; nextPageKey: string | null }>(await sb.request(`/api/v2/apiTokens?nextPageKey=${key}`, { token: classic }));
    expect(rest.apiTokens).toHaveLength(8);
    expect(rest).not.toHaveProperty('nextPageKey');
    expect(new Set([...all.apiTokens, ...rest.apiTokens].map((t) => t.id)).size).toBe(108);
    expect((await sb.request(`/api/v2/apiTokens?nextPageKey=${key}&pageSize=100`, { token: classic })).status).toBe(400);
    const other = await sb.mintClassic(['apiTokens.read']);
    expect((await sb.request(`/api/v2/apiTokens?nextPageKey=${key}`, { token: other })).status).toBe(400);
    const tampered = all.nextPageKey.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await sb.request(`/api/v2/apiTokens?nextPageKey=${encodeURIComponent(tampered)}`, { token: classic })).status).toBe(400);
    expect((await sb.request('/api/v2/apiTokens?fields=secret', { token: classic })).status).toBe(400);
    expect((await sb.request('/api/v2/apiTokens?apiTokenSelector=owner(', { token: classic })).status).toBe(400);
  });

  it('parses apiTokenSelector values quoted with ~ escapes, and refuses malformed selectors with a 400 naming the parameter', async () => {
    const classic = await sb.mintClassic(WRITE);
    await sb.mintClassic(['slo.read'], { owner: 'odd "name"~' });
    const list = (selector: string) => sb.request(`/api/v2/apiTokens?apiTokenSelector=${encodeURIComponent(selector)}&fields=owner`, { token: classic });
    const odd = await json<{ apiTokens: Tok[] }>(await list('owner("odd ~"name~"~~")'));
    expect(odd.apiTokens.map((t) => t.owner)).toEqual(['odd "name"~']);
    expect((await json<{ totalCount: number }>(await list(' owner( "odd ~"name~"~~" ) , personalAccessToken(false) '))).totalCount).toBe(1);
    for (const bad of ['owner()', 'owner("a"', 'owner("a")owner("b")', 'name("x")', 'personalAccessToken(maybe)', 'personalAccessToken(true,false)', 'owner(a b)', 'owner("a",)']) {
      const res = await list(bad);
      expect(res.status, bad).toBe(400);
      const body = await json<{ error: { constraintViolations: { path: string }[] } }>(res);
      expect(body.error.constraintViolations[0]!.path, bad).toBe('apiTokenSelector');
    }
  });

  it('answers a backtracking-prone apiTokenSelector at once', async () => {
    const classic = await sb.mintClassic(WRITE);
    // A nested-quantifier pattern takes seconds on 13 repetitions, twice as long with each more;
    // a linear parser takes microseconds.
    const started = performance.now();
    const res = await sb.request(`/api/v2/apiTokens?apiTokenSelector=${encodeURIComponent(`owner(${'a '.repeat(13)}`)}`, { token: classic });
    const ms = performance.now() - started;
    expect(res.status).toBe(400);
    expect(ms).toBeLessThan(200);
  });

  it('creates a classic token only for an owner with admin permission', async () => {
    const res = await create(analyst, { name: 'classic', scopes: ['metrics.read'] });
    expect(res.status).toBe(403);
    const admin = await sb.mintPat(DEMO.admin, WRITE);
    expect((await create(admin, { name: 'classic', scopes: ['metrics.ingest'] })).status).toBe(201);
  });
});
