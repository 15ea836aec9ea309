import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/server';
import { ApiError, createDynatraceClient, describeApiError } from '../../../lib/dynatrace';
import { adminFetch } from '../../helpers/spawn-sandbox';

const KEY = 'client-it-key';

/** The real client against a real sandbox on a loopback port: every decoded failure, faults and zones. */
describe('Dynatrace client against the sandbox', () => {
  let sb: RunningSandbox;
  const tokens: Record<string, string> = {};
  const mint = async (email: string, scopes: string[], extra: Record<string, unknown> = {}) => {
    const res = await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'it', scopes, ...extra });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  const client = (token: string, extra: Partial<Parameters<typeof createDynatraceClient>[0]> = {}) =>
    createDynatraceClient({ environmentUrl: sb.url, getToken: () => token, retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...extra });
  const failure = async (p: Promise<unknown>): Promise<ApiError> => {
    try { await p; } catch (e) { if (e instanceof ApiError) return e; throw e; }
    throw new Error('expected the call to fail');
  };

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, db: ':memory:', adminKey: KEY });
    tokens.analyst = await mint('analyst@example.com', ['entities.read', 'problems.read', 'apiTokens.read', 'apiTokens.write']);
    tokens.support = await mint('support@example.com', ['entities.read', 'settings.read']);
  });
  afterAll(async () => { await sb?.close(); });
  beforeEach(async () => {
    await adminFetch(sb.url, KEY, '/faults', 'DELETE');
    await adminFetch(sb.url, KEY, '/settings', 'PUT', { patEnabled: true, zoneDenials: 'reject' });
  });

  it('looks up its own token and lists entities within the owner zones, paging through them', async () => {
    const c = client(tokens.analyst!);
    const me = await c.tokens.lookup(tokens.analyst!);
    expect(me).toMatchObject({ owner: 'analyst@example.com', personalAccessToken: true });
    const ids: string[] = [];
    for await (const e of c.entities.listAll({ entitySelector: 'type(SERVICE)', pageSize: 2, fields: '+managementZones' })) {
      ids.push(e.entityId!);
      expect(e.managementZones!.map((z) => z.name)).toContain('Production EU');
    }
    expect(ids.length).toBeGreaterThan(2);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ['missing-scope', () => client(tokens.analyst!).settings.objects.list({ schemaIds: 'builtin:management-zones' }), (e: ApiError) => expect(e.scopes?.[0]?.name).toBe('settings.read')],
    ['zone-denied', () => client(tokens.analyst!).entities.list({ entitySelector: 'type(HOST),mzName("Production US")' }), (e: ApiError) => expect(e.zone).toBe('Production US')],
    ['not-found', () => client(tokens.analyst!).entities.get('HOST-0000000000000000'), () => {}],
    ['validation', () => client(tokens.analyst!).entities.list({ entitySelector: 'type(HOST' }), (e: ApiError) => expect(e.violations?.[0]?.path).toBe('entitySelector')],
    ['token-invalid', () => client(`dt0c01.${'A'.repeat(24)}.${'B'.repeat(64)}`).entities.list({ entitySelector: 'type(HOST)' }), () => {}],
  ])('decodes %s', async (kind, call, more) => {
    const err = await failure(call());
    expect(err.kind).toBe(kind);
    more(err);
    expect(describeApiError(err).length).toBeGreaterThan(10);
  });

  it('decodes owner-permission, token-expired and pat-disabled', async () => {
    const nogrants = await mint('nogrants@example.com', ['entities.read']);
    expect((await failure(client(nogrants).entities.list({ entitySelector: 'type(HOST)' }))).kind).toBe('owner-permission');
    const expiring = await mint('operator@example.com', ['entities.read'], { expirationDate: new Date(Date.now() - 1000).toISOString() });
    expect((await failure(client(expiring).entities.list({ entitySelector: 'type(HOST)' }))).kind).toBe('token-expired');
    await adminFetch(sb.url, KEY, '/settings', 'PUT', { patEnabled: false });
    expect((await failure(client(tokens.support!).entities.list({ entitySelector: 'type(HOST)' }))).kind).toBe('pat-disabled');
  });

  it('decodes the sixth PAT as a token-limit validation error', async () => {
    const c = client(tokens.analyst!);
    const made: string[] = [];
    let err: ApiError | null = null;
    for (let i = 0; i < 6 && !err; i++) {
      try { made.push((await c.tokens.create({ name: `n${i}`, scopes: ['metrics.read'], personalAccessToken: true })).id!); } catch (e) { err = e as ApiError; }
    }
    expect(err?.kind).toBe('validation');
    expect(err?.reason).toBe('token-limit');
    for (const id of made) await c.tokens.delete(id);
  });

  it('retries a GET through a rate limit and injected 503s, and never retries a POST', async () => {
    await adminFetch(sb.url, KEY, '/faults', 'PUT', { errorRate: 0.5 });
    let okCount = 0;
    for (let i = 0; i < 10; i++) {
      try { await client(tokens.analyst!).entities.list({ entitySelector: 'type(HOST)' }); okCount++; } catch (e) { expect((e as ApiError).kind).toBe('server'); }
    }
    expect(okCount).toBeGreaterThanOrEqual(7); // P(4 failures in a row) = 1/16 per call
    await adminFetch(sb.url, KEY, '/faults', 'PUT', { errorRate: 1 });
    let requests = 0;
    const counting: typeof fetch = (input, init) => { requests++; return fetch(input, init); };
    const err = await failure(client(tokens.analyst!, { fetch: counting }).tokens.create({ name: 'x', scopes: ['metrics.read'], personalAccessToken: true }));
    expect(err.kind).toBe('server');
    expect(requests).toBe(1);
    await adminFetch(sb.url, KEY, '/faults', 'PUT', { errorRate: 0, rateLimitPerMinute: 1 });
    await client(tokens.support!).entities.list({ entitySelector: 'type(HOST)' });
    const limited = await failure(client(tokens.support!, { retry: { retries: 0 } }).entities.list({ entitySelector: 'type(HOST)' }));
    expect(limited.kind).toBe('rate-limited');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });

  it('times out against injected latency and aborts on demand', async () => {
    await adminFetch(sb.url, KEY, '/faults', 'PUT', { latencyMs: 400 });
    const slow = await failure(client(tokens.analyst!, { timeoutMs: 100, retry: false }).entities.list({ entitySelector: 'type(HOST)' }));
    expect(slow.kind).toBe('timeout');
    const ctrl = new AbortController();
    const p = client(tokens.analyst!).entities.list({ entitySelector: 'type(HOST)' }, { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 50);
    expect((await failure(p)).kind).toBe('aborted');
  });

  it('gets an empty list for a foreign zone in filter mode', async () => {
    await adminFetch(sb.url, KEY, '/settings', 'PUT', { zoneDenials: 'filter' });
    const res = await client(tokens.analyst!).entities.list({ entitySelector: 'type(HOST),mzName("Production US")' });
    expect(res.totalCount).toBe(0);
  });
});
