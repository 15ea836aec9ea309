/**
 * The client with a fake fetch: requests it sends, retries, deadline, abort, redirects and body validation.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createDynatraceClient } from '../../../lib/dynatrace';
import {
  API,
  ENV,
  envelope,
  fakeFetch,
  json,
  makeToken,
  METRIC_DATA,
  rejection,
  redirect,
  SECRET,
  testClient,
  text,
  TOKEN,
  TOKEN_ID,
} from './fake-fetch';

afterEach(() => {
  vi.useRealTimers();
});

const QUERY = { metricSelector: 'builtin:host.cpu.usage:splitBy("dt.entity.host")', from: 'now-2h', resolution: '1m' };

describe('requests', () => {
  it('sends the token only in the Authorization header, JSON accepted, never in the URL', async () => {
    const { fetch, requests } = fakeFetch(json(200, METRIC_DATA));
    const { client } = testClient(fetch);
    const data = await client.metrics.query(QUERY);
    expect(data.result[0]?.data[0]?.values).toEqual([19, null, 21]);
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.method).toBe('GET');
    expect(req?.headers.get('authorization')).toBe(`Api-Token ${TOKEN}`);
    expect(req?.headers.get('accept')).toBe('application/json');
    expect(req?.redirect).toBe('manual');
    expect(req?.url).toBe(
      `${API}/metrics/query?metricSelector=builtin%3Ahost.cpu.usage%3AsplitBy(%22dt.entity.host%22)&from=now-2h&resolution=1m`,
    );
    expect(req?.url).not.toContain(SECRET);
  });

  it('asks getToken for every request and never caches it', async () => {
    const tokens = [makeToken(1), makeToken(2)];
    let i = 0;
    const getToken = vi.fn(async () => tokens[i++ % 2] as string);
    const { fetch, requests } = fakeFetch(() => json(200, METRIC_DATA));
    const { client } = testClient(fetch, { getToken });
    await client.metrics.query(QUERY);
    await client.metrics.query(QUERY);
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual(tokens.map((t) => `Api-Token ${t}`));
  });

  it('refuses to send a malformed token (token-invalid/malformed-token, no request)', async () => {
    const { fetch, requests } = fakeFetch(json(200, METRIC_DATA));
    const { client } = testClient(fetch, { getToken: () => `${TOKEN}\r\nX-Injected: 1` });
    const err = (await rejection(client.metrics.query(QUERY))) as ApiError;
    expect(err).toMatchObject({ kind: 'token-invalid', reason: 'malformed-token' });
    expect(requests).toHaveLength(0);
  });

  it('encodes fields=+scopes as %2B and drops undefined parameters', async () => {
    const { fetch, requests } = fakeFetch(json(200, { totalCount: 0, apiTokens: [], nextPageKey: null }));
    const { client } = testClient(fetch);
    await client.tokens.list({ fields: '+expirationDate,+scopes', apiTokenSelector: undefined, pageSize: 100 });
    expect(requests[0]?.url).toBe(`${API}/apiTokens?fields=%2BexpirationDate%2C%2Bscopes&pageSize=100`);
  });

  it('token operations: lookup POSTs the secret in the body; get/update/delete use the id even when given a token', async () => {
    const meta = { id: TOKEN_ID, name: 'mine', personalAccessToken: true, scopes: ['metrics.read'] };
    const { fetch, requests } = fakeFetch(
      json(200, meta),
      json(200, meta),
      new Response(null, { status: 204 }),
      new Response(null, { status: 204 }),
    );
    const { client } = testClient(fetch);
    expect(await client.tokens.lookup(TOKEN)).toEqual(meta);
    expect(await client.tokens.get(TOKEN)).toEqual(meta);
    await expect(client.tokens.update(TOKEN, { enabled: false })).resolves.toBeUndefined();
    await expect(client.tokens.delete(TOKEN_ID)).resolves.toBeUndefined();
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${API}/apiTokens/lookup`,
      `GET ${API}/apiTokens/${TOKEN_ID}`,
      `PUT ${API}/apiTokens/${TOKEN_ID}`,
      `DELETE ${API}/apiTokens/${TOKEN_ID}`,
    ]);
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ token: TOKEN });
    expect(requests[0]?.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(requests[2]?.body ?? '')).toEqual({ enabled: false });
    for (const r of requests) expect(r.url).not.toContain(SECRET);
  });

  it('tokens.create returns the new secret (201)', async () => {
    const created = { id: makeToken(7).slice(0, 31), token: makeToken(7), expirationDate: '2026-02-01T00:00:00.000Z' };
    const { fetch, requests } = fakeFetch(json(201, created));
    const { client } = testClient(fetch);
    await expect(client.tokens.create({ name: 'new', scopes: ['metrics.read'], personalAccessToken: true })).resolves.toEqual(created);
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ name: 'new', scopes: ['metrics.read'], personalAccessToken: true });
  });

  it('metrics ingest sends text/plain lines and accepts a 202 with or without a body', async () => {
    const { fetch, requests } = fakeFetch(json(202, { linesOk: 2, linesInvalid: 0, error: null, warnings: null }), new Response(null, { status: 202 }));
    const { client } = testClient(fetch);
    await expect(client.metrics.ingest(['cpu.temp,host="a" 42', 'cpu.temp,host="b" 43'])).resolves.toEqual({ linesOk: 2, linesInvalid: 0, error: null, warnings: null });
    await expect(client.metrics.ingest('cpu.temp 1')).resolves.toBeUndefined();
    expect(requests[0]?.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(requests[0]?.body).toBe('cpu.temp,host="a" 42\ncpu.temp,host="b" 43');
  });

  it('puts metric keys, entity ids and types into the path, encoded but with readable colons', async () => {
    const { fetch, requests } = fakeFetch(
      json(200, { metricId: 'builtin:host.disk.avail:names' }),
      json(200, { entityId: 'HOST-82F576674F19AC16' }),
      json(200, { type: 'HOST' }),
      json(200, { problemId: '-1719139739592062093_1623004451641V2' }),
      json(200, { totalCount: 0, pageSize: 50, items: [], nextPageKey: null }),
    );
    const { client } = testClient(fetch);
    await client.metrics.get('builtin:host.disk.avail:names');
    await client.entities.get('HOST-82F576674F19AC16', { fields: '+properties' });
    await client.entities.type('HOST');
    await client.problems.get('-1719139739592062093_1623004451641V2');
    await client.settings.objects.list({ schemaIds: 'builtin:tokens.token-settings' });
    expect(requests.map((r) => r.url)).toEqual([
      `${API}/metrics/builtin:host.disk.avail:names`,
      `${API}/entities/HOST-82F576674F19AC16?fields=%2Bproperties`,
      `${API}/entityTypes/HOST`,
      `${API}/problems/-1719139739592062093_1623004451641V2`,
      `${API}/settings/objects?schemaIds=builtin%3Atokens.token-settings`,
    ]);
  });

  it('uses the Managed base path', async () => {
    const { fetch, requests } = fakeFetch(json(200, { totalCount: 0, entities: [], nextPageKey: null }));
    const client = createDynatraceClient({ environmentUrl: 'https://dt.example.com/e/prod/api/v2', getToken: () => TOKEN, fetch });
    await client.entities.list({ entitySelector: 'type("HOST")' });
    expect(requests[0]?.url).toBe('https://dt.example.com/e/prod/api/v2/entities?entitySelector=type(%22HOST%22)');
  });

  it('refuses an unacceptable environment URL at construction', () => {
    expect(() => createDynatraceClient({ environmentUrl: 'https://abc12345.apps.dynatrace.com', getToken: () => TOKEN })).toThrow(
      /https:\/\/abc12345\.live\.dynatrace\.com/,
    );
    expect(() => createDynatraceClient({ environmentUrl: 'http://dynatrace.example.com', getToken: () => TOKEN })).toThrow(TypeError);
  });
});

describe('response validation', () => {
  it('a non-JSON body on a JSON endpoint -> bad-response/not-json', async () => {
    const { fetch } = fakeFetch(text(200, '<html>Login</html>', { 'content-type': 'text/html' }));
    const { client } = testClient(fetch);
    const err = (await rejection(client.metrics.query(QUERY))) as ApiError;
    expect(err).toMatchObject({ kind: 'bad-response', reason: 'not-json', status: 200 });
    expect(err.body).toBe('<html>Login</html>');
  });

  it('an empty body on a JSON endpoint -> bad-response/empty-body', async () => {
    const { fetch } = fakeFetch(new Response('', { status: 200 }));
    const { client } = testClient(fetch);
    expect(await rejection(client.entities.get('HOST-1'))).toMatchObject({ kind: 'bad-response', reason: 'empty-body' });
  });

  it.each([
    ['MetricData without result', () => fakeFetch(json(200, { totalCount: 0, resolution: '1m' })), 'metrics'],
    ['MetricData values not numbers', () => fakeFetch(json(200, { ...METRIC_DATA, result: [{ metricId: 'm', data: [{ timestamps: [1], values: ['x'] }] }] })), 'metrics'],
    ['MetricData timestamps/values length mismatch', () => fakeFetch(json(200, { ...METRIC_DATA, result: [{ metricId: 'm', data: [{ timestamps: [1, 2], values: [1] }] }] })), 'metrics'],
    ['EntitiesList without entities', () => fakeFetch(json(200, { totalCount: 0 })), 'entities'],
    ['EntitiesList with a numeric nextPageKey', () => fakeFetch(json(200, { totalCount: 0, entities: [], nextPageKey: 5 })), 'entities'],
    ['a JSON array instead of an object', () => fakeFetch(json(200, [])), 'entities'],
  ])('%s -> bad-response/schema', async (_label, make, which) => {
    const { fetch } = make();
    const { client } = testClient(fetch);
    const call = which === 'metrics' ? client.metrics.query(QUERY) : client.entities.list({ entitySelector: 'type(HOST)' });
    const err = (await rejection(call)) as ApiError;
    expect(err).toMatchObject({ kind: 'bad-response', reason: 'schema' });
    expect(err.detail).toBeTruthy();
  });

  it('accepts null nextPageKey and null metric values (spec corrections)', async () => {
    const { fetch } = fakeFetch(json(200, METRIC_DATA));
    const { client } = testClient(fetch);
    await expect(client.metrics.query(QUERY)).resolves.toEqual(METRIC_DATA);
  });

  it('tokens.create with an answer lacking a well-formed token -> bad-response', async () => {
    const { fetch } = fakeFetch(json(201, { id: TOKEN_ID, token: 'nope' }));
    const { client } = testClient(fetch);
    expect(await rejection(client.tokens.create({ name: 'x', scopes: [] }))).toMatchObject({ kind: 'bad-response', reason: 'schema' });
  });
});

describe('retries', () => {
  it('429, 429, 200 on GET -> exactly three requests and success, waiting Retry-After', async () => {
    const { fetch, requests } = fakeFetch(
      envelope(429, 'Too many requests', {}, { 'retry-after': '2' }),
      envelope(429, 'Too many requests', {}, { 'retry-after': '1' }),
      json(200, METRIC_DATA),
    );
    const { client, delays, logLines } = testClient(fetch);
    await expect(client.metrics.query(QUERY)).resolves.toEqual(METRIC_DATA);
    expect(requests).toHaveLength(3);
    expect(delays).toEqual([2000, 1000]);
    expect(logLines.filter((l) => l.startsWith('warn'))).toHaveLength(2);
  });

  it('429, 429, 200 under fake timers with the real sleep', async () => {
    vi.useFakeTimers();
    const { fetch, requests } = fakeFetch(
      envelope(429, 'Too many requests', {}, { 'retry-after': '3' }),
      envelope(429, 'Too many requests', {}, { 'retry-after': '3' }),
      json(200, METRIC_DATA),
    );
    const client = createDynatraceClient({ environmentUrl: ENV, getToken: () => TOKEN, fetch, logger: silent() });
    const result = client.metrics.query(QUERY);
    await vi.advanceTimersByTimeAsync(2999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3000);
    await expect(result).resolves.toEqual(METRIC_DATA);
    expect(requests).toHaveLength(3);
  });

  it('gives up after 3 retries (4 requests) with the last error', async () => {
    const { fetch, requests } = fakeFetch(() => envelope(503, 'Service Unavailable'));
    const { client, delays } = testClient(fetch);
    expect(await rejection(client.metrics.query(QUERY))).toMatchObject({ kind: 'server', status: 503 });
    expect(requests).toHaveLength(4);
    // Full jitter with random() = 0.5: half of 500, 1000, 2000.
    expect(delays).toEqual([250, 500, 1000]);
  });

  it.each([502, 503, 504])('retries %i on GET', async (status) => {
    const { fetch, requests } = fakeFetch(envelope(status, 'gateway'), json(200, METRIC_DATA));
    const { client } = testClient(fetch);
    await expect(client.metrics.query(QUERY)).resolves.toBeDefined();
    expect(requests).toHaveLength(2);
  });

  it('retries network errors on GET', async () => {
    const { fetch, requests } = fakeFetch(new TypeError('fetch failed'), json(200, METRIC_DATA));
    const { client } = testClient(fetch);
    await expect(client.metrics.query(QUERY)).resolves.toBeDefined();
    expect(requests).toHaveLength(2);
  });

  it('a persistent network error -> network after 4 attempts', async () => {
    const { fetch, requests } = fakeFetch(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }));
    const { client } = testClient(fetch);
    const err = (await rejection(client.metrics.query(QUERY))) as ApiError;
    expect(err).toMatchObject({ kind: 'network', detail: 'fetch failed (connect ECONNREFUSED 127.0.0.1:1)' });
    expect(err.status).toBeUndefined();
    expect(requests).toHaveLength(4);
  });

  it('503 on POST -> exactly one request and an error', async () => {
    const { fetch, requests } = fakeFetch(() => envelope(503, 'Service Unavailable'));
    const { client, delays } = testClient(fetch);
    expect(await rejection(client.tokens.create({ name: 'x', scopes: ['metrics.read'] }))).toMatchObject({ kind: 'server', status: 503, method: 'POST' });
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('network error on DELETE and 429 on PUT are not retried', async () => {
    const del = fakeFetch(new TypeError('fetch failed'));
    expect(await rejection(testClient(del.fetch).client.tokens.delete(TOKEN_ID))).toMatchObject({ kind: 'network' });
    expect(del.requests).toHaveLength(1);
    const put = fakeFetch(() => envelope(429, 'Too many requests', {}, { 'retry-after': '1' }));
    expect(await rejection(testClient(put.fetch).client.tokens.update(TOKEN_ID, { name: 'y' }))).toMatchObject({ kind: 'rate-limited' });
    expect(put.requests).toHaveLength(1);
  });

  it.each([400, 401, 403, 404])('%i is never retried', async (status) => {
    const { fetch, requests } = fakeFetch(() => envelope(status, 'nope'));
    const { client } = testClient(fetch);
    await rejection(client.metrics.query(QUERY));
    expect(requests).toHaveLength(1);
  });

  it('honours an HTTP-date Retry-After and the deprecated X-RateLimit-Reset (µs, ms, s)', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const { fetch } = fakeFetch(
      envelope(429, 'Too many requests', {}, { 'retry-after': new Date(now + 4000).toUTCString() }),
      envelope(429, 'Too many requests', {}, { 'x-ratelimit-reset': String((now + 1500) * 1000) }),
      envelope(429, 'Too many requests', {}, { 'x-ratelimit-reset': String(now + 2500) }),
      json(200, METRIC_DATA),
    );
    const { client, delays } = testClient(fetch);
    await client.metrics.query(QUERY);
    expect(delays).toEqual([4000, 1500, 2500]);
    const secs = fakeFetch(envelope(429, 'Too many requests', {}, { 'x-ratelimit-reset': String(now / 1000 + 6) }), json(200, METRIC_DATA));
    const second = testClient(secs.fetch);
    await second.client.metrics.query(QUERY);
    expect(second.delays).toEqual([6000]);
  });

  it('does not sit out a Retry-After longer than maxRetryAfterMs: rate-limited with the wait', async () => {
    const { fetch, requests } = fakeFetch(envelope(429, 'Too many requests', {}, { 'retry-after': '120' }));
    const { client } = testClient(fetch);
    expect(await rejection(client.metrics.query(QUERY))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 120_000 });
    expect(requests).toHaveLength(1);
  });

  it('retry: false disables retries', async () => {
    const { fetch, requests } = fakeFetch(() => envelope(503, 'x'));
    const { client } = testClient(fetch, { retry: false });
    await rejection(client.metrics.query(QUERY));
    expect(requests).toHaveLength(1);
  });
});

describe('deadline', () => {
  it('a server that never answers -> timeout after the default 10 s', async () => {
    vi.useFakeTimers();
    const { fetch } = fakeFetch(() => new Promise<Response>(() => undefined));
    const client = createDynatraceClient({ environmentUrl: ENV, getToken: () => TOKEN, fetch, logger: silent() });
    const result = rejection(client.metrics.query(QUERY));
    await vi.advanceTimersByTimeAsync(9_999);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({ kind: 'timeout', timeoutMs: 10_000 });
  });

  it('the deadline covers the body: headers arrive, the body never ends -> timeout', async () => {
    const { fetch, requests } = fakeFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"totalCount":'));
            },
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    );
    const { client } = testClient(fetch, { timeoutMs: 50 });
    expect(await rejection(client.metrics.query(QUERY))).toMatchObject({ kind: 'timeout', timeoutMs: 50 });
    // A timed-out attempt is not retried (the user would wait 4 deadlines), and its fetch was aborted.
    expect(requests).toHaveLength(1);
    expect(requests[0]?.signal?.aborted).toBe(true);
  });

  it('a per-call timeoutMs overrides the client default', async () => {
    const { fetch } = fakeFetch(() => new Promise<Response>(() => undefined));
    const { client } = testClient(fetch);
    expect(await rejection(client.metrics.query(QUERY, { timeoutMs: 20 }))).toMatchObject({ kind: 'timeout', timeoutMs: 20 });
  });
});

describe('abort', () => {
  it('aborting in flight rejects with aborted and the late answer is dropped', async () => {
    let answer: (r: Response) => void = () => undefined;
    const { fetch, requests } = fakeFetch(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { client } = testClient(fetch);
    const controller = new AbortController();
    const onResult = vi.fn();
    const pending = client.metrics.query(QUERY, { signal: controller.signal }).then(onResult, (e: unknown) => e);
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'aborted' });
    expect(requests[0]?.signal?.aborted).toBe(true);
    answer(json(200, METRIC_DATA));
    await new Promise((r) => setTimeout(r, 10));
    expect(onResult).not.toHaveBeenCalled();
  });

  it('an already aborted signal sends nothing', async () => {
    const { fetch, requests } = fakeFetch(json(200, METRIC_DATA));
    const { client } = testClient(fetch);
    expect(await rejection(client.metrics.query(QUERY, { signal: AbortSignal.abort() }))).toMatchObject({ kind: 'aborted' });
    expect(requests).toHaveLength(0);
  });

  it('aborting during the backoff sleep stops the retries', async () => {
    const { fetch, requests } = fakeFetch(() => envelope(503, 'x'));
    const controller = new AbortController();
    // A sleep that never ends on its own and ignores the signal: the client must still stop.
    const sleep = vi.fn(() => {
      queueMicrotask(() => controller.abort());
      return new Promise<void>(() => undefined);
    });
    const { client } = testClient(fetch, { retry: { sleep } });
    expect(await rejection(client.metrics.query(QUERY, { signal: controller.signal }))).toMatchObject({ kind: 'aborted' });
    expect(requests).toHaveLength(1);
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('aborting during the default sleep (fake timers) stops the retries', async () => {
    vi.useFakeTimers();
    const { fetch, requests } = fakeFetch(() => envelope(503, 'x', {}, { 'retry-after': '5' }));
    const client = createDynatraceClient({ environmentUrl: ENV, getToken: () => TOKEN, fetch, logger: silent() });
    const controller = new AbortController();
    const result = rejection(client.metrics.query(QUERY, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    expect(await result).toMatchObject({ kind: 'aborted' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(requests).toHaveLength(1);
  });
});

describe('origin pinning', () => {
  it('a redirect to another host is not followed and the token goes nowhere else', async () => {
    const { fetch, requests } = fakeFetch(redirect(302, 'https://sso.example.net/login?next=/api/v2/metrics'));
    const { client } = testClient(fetch);
    const err = (await rejection(client.metrics.query(QUERY))) as ApiError;
    expect(err).toMatchObject({ kind: 'redirect', reason: 'cross-origin', status: 302, redirectOrigin: 'https://sso.example.net' });
    expect(requests).toHaveLength(1);
    expect(requests.every((r) => new URL(r.url).origin === ENV)).toBe(true);
  });

  it('a redirect to the same host but another port or scheme counts as another origin', async () => {
    for (const target of ['https://abc12345.live.dynatrace.com:8443/api/v2/metrics/query', 'http://abc12345.live.dynatrace.com/api/v2/metrics/query']) {
      const { fetch, requests } = fakeFetch(redirect(307, target));
      const { client } = testClient(fetch);
      expect(await rejection(client.metrics.query(QUERY))).toMatchObject({ kind: 'redirect', reason: 'cross-origin' });
      expect(requests).toHaveLength(1);
    }
  });

  it('a same-origin redirect is followed, with the token', async () => {
    const { fetch, requests } = fakeFetch(redirect(301, '/api/v2/metrics/query?metricSelector=x'), json(200, METRIC_DATA));
    const { client } = testClient(fetch);
    await expect(client.metrics.query(QUERY)).resolves.toEqual(METRIC_DATA);
    expect(requests.map((r) => r.url)).toEqual([expect.stringContaining(`${API}/metrics/query?`), `${API}/metrics/query?metricSelector=x`]);
    expect(requests[1]?.headers.get('authorization')).toBe(`Api-Token ${TOKEN}`);
  });

  it('a same-origin 307 on POST keeps method and body', async () => {
    const meta = { id: TOKEN_ID };
    const { fetch, requests } = fakeFetch(redirect(307, `${API}/apiTokens/lookup/`), json(200, meta));
    const { client } = testClient(fetch);
    await expect(client.tokens.lookup(TOKEN)).resolves.toEqual(meta);
    expect(requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(requests[1]?.body).toBe(JSON.stringify({ token: TOKEN }));
  });

  it('a browser opaque redirect (target hidden) is reported, not followed', async () => {
    const opaque = new Response(null, { status: 200 });
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    Object.defineProperty(opaque, 'status', { value: 0 });
    const { fetch, requests } = fakeFetch(() => opaque);
    const { client } = testClient(fetch);
    expect(await rejection(client.metrics.query(QUERY))).toMatchObject({ kind: 'redirect', reason: 'opaque' });
    expect(requests).toHaveLength(1);
  });

  it('a fetch that followed a redirect elsewhere anyway: the answer is not used', async () => {
    const followed = json(200, METRIC_DATA);
    Object.defineProperty(followed, 'url', { value: 'https://evil.example.org/api/v2/metrics/query' });
    Object.defineProperty(followed, 'redirected', { value: true });
    const { fetch } = fakeFetch(() => followed);
    const { client } = testClient(fetch);
    expect(await rejection(client.metrics.query(QUERY))).toMatchObject({ kind: 'redirect', reason: 'cross-origin', redirectOrigin: 'https://evil.example.org' });
  });

  it('a redirect loop stops', async () => {
    const { fetch, requests } = fakeFetch(() => redirect(302, '/api/v2/metrics/query'));
    const { client } = testClient(fetch);
    expect(await rejection(client.metrics.query(QUERY))).toMatchObject({ kind: 'redirect', reason: 'too-many' });
    expect(requests).toHaveLength(6);
  });
});

function silent() {
  const noop = (): void => undefined;
  return { scope: 'silent', debug: noop, info: noop, warn: noop, error: noop, child: silent };
}

describe('path parameters', () => {
  it.each(['..', '.'])('refuses the id %j, which URL parsing would resolve to another endpoint', async (id) => {
    const { fetch, requests } = fakeFetch(json(200, { entityId: 'x' }));
    const { client } = testClient(fetch);
    expect(await rejection(client.entities.get(id))).toMatchObject({ kind: 'validation', detail: 'a path parameter is not a valid id' });
    expect(requests).toHaveLength(0);
  });

  it('escapes slashes, question marks, hashes and percent signs in ids', async () => {
    const { fetch, requests } = fakeFetch(() => json(200, { entityId: 'x' }));
    const { client } = testClient(fetch);
    await client.entities.get('a/../b?c#d');
    await client.entities.get('%2e%2e');
    expect(requests.map((r) => r.url)).toEqual([`${API}/entities/a%2F..%2Fb%3Fc%23d`, `${API}/entities/%252e%252e`]);
  });
});
