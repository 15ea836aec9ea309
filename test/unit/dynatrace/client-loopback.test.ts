/**
 * The client with Node's real fetch (undici) against a tiny loopback HTTP server: checks the behaviour the fakes
 * assume (manual redirects expose the 3xx and its Location, the body read is under the deadline, abort reaches the
 * socket). Loopback only, no external network.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynatraceClient } from '../../../lib/dynatrace';
import { createLogger } from '../../../lib/log/logger';
import { METRIC_DATA, rejection, TOKEN } from './fake-fetch';

interface Seen {
  url: string;
  authorization: string | undefined;
  host: string | undefined;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

let env: { server: Server; origin: string };
let other: { server: Server; origin: string };
const seen: Seen[] = [];
const otherSeen: Seen[] = [];

beforeAll(async () => {
  other = await listen((req, res) => {
    otherSeen.push({ url: req.url ?? '', authorization: req.headers.authorization, host: req.headers.host });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(METRIC_DATA));
  });
  env = await listen((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, host: req.headers.host });
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/api/v2/metrics/query':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(METRIC_DATA));
        return;
      case '/api/v2/away':
        res.writeHead(302, { location: `${other.origin}/api/v2/metrics/query` }).end();
        return;
      case '/api/v2/here':
        res.writeHead(302, { location: '/api/v2/metrics/query' }).end();
        return;
      case '/api/v2/slow-body':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"totalCount":');
        return; // never ends
      case '/api/v2/hang':
        return; // never answers
      default:
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 404, message: 'HTTP 404 Not Found' } }));
    }
  });
});

afterAll(async () => {
  await close(env.server);
  await close(other.server);
});

const quiet = createLogger('loopback', () => undefined);

/** A client whose `metrics.get` hits `/api/v2/<path>` (metric keys go into the path). */
function client(timeoutMs = 2000) {
  return createDynatraceClient({ environmentUrl: env.origin, getToken: () => TOKEN, timeoutMs, logger: quiet, retry: false });
}

describe('real fetch on loopback', () => {
  it('queries with the token in the header', async () => {
    seen.length = 0;
    await expect(client().metrics.query({ metricSelector: 'builtin:host.cpu.usage' })).resolves.toEqual(METRIC_DATA);
    expect(seen[0]?.authorization).toBe(`Api-Token ${TOKEN}`);
  });

  it('does not follow a redirect to another origin: the other server never sees a request', async () => {
    otherSeen.length = 0;
    // `metrics.get('x')` is `/api/v2/metrics/x`; reach the redirecting route through a same-origin hop instead.
    const c = createDynatraceClient({ environmentUrl: `${env.origin}`, getToken: () => TOKEN, logger: quiet, retry: false, fetch: (input, init) => {
      const url = String(input).replace('/api/v2/entityTypes/AWAY', '/api/v2/away');
      return globalThis.fetch(url, init);
    } });
    const err = await rejection(c.entities.type('AWAY'));
    expect(err).toMatchObject({ kind: 'redirect', reason: 'cross-origin', status: 302, redirectOrigin: other.origin });
    expect(otherSeen).toHaveLength(0);
  });

  it('follows a same-origin redirect', async () => {
    const c = createDynatraceClient({ environmentUrl: env.origin, getToken: () => TOKEN, logger: quiet, retry: false, fetch: (input, init) =>
      globalThis.fetch(String(input).replace('/api/v2/entityTypes/HERE', '/api/v2/here'), init) });
    seen.length = 0;
    // The redirect target answers MetricData, which is not an EntityType: the point is that it was requested.
    await rejection(c.entities.type('HERE'));
    expect(seen.map((s) => s.url)).toEqual(['/api/v2/here', '/api/v2/metrics/query']);
    expect(seen[1]?.authorization).toBe(`Api-Token ${TOKEN}`);
  });

  it('times out on a body that never ends, and on a server that never answers', async () => {
    const c = (path: string) => createDynatraceClient({ environmentUrl: env.origin, getToken: () => TOKEN, timeoutMs: 100, logger: quiet, retry: false,
      fetch: (input, init) => globalThis.fetch(String(input).replace('/api/v2/entityTypes/X', path), init) });
    expect(await rejection(c('/api/v2/slow-body').entities.type('X'))).toMatchObject({ kind: 'timeout' });
    expect(await rejection(c('/api/v2/hang').entities.type('X'))).toMatchObject({ kind: 'timeout' });
  });

  it('a refused connection is a network error', async () => {
    const { server, origin } = await listen(() => undefined);
    await close(server);
    const c = createDynatraceClient({ environmentUrl: origin, getToken: () => TOKEN, logger: quiet, retry: false });
    expect(await rejection(c.metrics.query({ metricSelector: 'x' }))).toMatchObject({ kind: 'network' });
  });

  it('404 envelope', async () => {
    expect(await rejection(client().entities.type('NOPE'))).toMatchObject({ kind: 'not-found', status: 404, path: '/api/v2/entityTypes/NOPE' });
  });
});
