import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange } from './recorded';

/** A request the replay server received. */
export interface Received {
  method: string;
  path: string;
  query: [string, string][];
  /** The Authorization header's scheme (`Api-Token`), never the token. */
  scheme: string | null;
  /** The exchange that answered it, or null (then it got a 404 naming what was asked). */
  answeredBy: string | null;
}

export interface ReplayServer {
  url: string;
  /** Replaces what the server answers; two exchanges for one request are an error. */
  serve(exchanges: readonly Exchange[]): void;
  received: Received[];
  /** Requests no exchange matched. */
  misses(): Received[];
  close(): Promise<void>;
}

/** The match key: method, decoded path and the query as a sorted multiset. */
export function requestKey(method: string, path: string, query: readonly (readonly [string, string])[]): string {
  const q = [...query].map(([k, v]) => `${k}=${v}`).sort();
  return `${method} ${path}?${q.join('&')}`;
}

/**
 * Serves recorded exchanges on 127.0.0.1: status, headers and body exactly as the exchange holds them, matched by
 * method, path and query. Anything else is a 404 in Dynatrace's envelope saying no answer was recorded for it, and
 * is listed by `misses()`, so a test sees every request it did not expect.
 */
export async function startReplayServer(initial: readonly Exchange[] = []): Promise<ReplayServer> {
  let byKey = new Map<string, Exchange>();
  const received: Received[] = [];
  const serve = (exchanges: readonly Exchange[]) => {
    const next = new Map<string, Exchange>();
    for (const e of exchanges) {
      const key = requestKey(e.method, e.path, e.query);
      const other = next.get(key);
      if (other) throw new Error(`${e.name} and ${other.name} answer the same request ${key}: serve one at a time`);
      next.set(key, e);
    }
    byKey = next;
  };
  serve(initial);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // The body is read (and dropped) before answering, as a server would, so clients never see a reset.
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname);
      const query = [...url.searchParams.entries()];
      const method = req.method ?? 'GET';
      const e = byKey.get(requestKey(method, path, query));
      const auth = req.headers.authorization;
      received.push({ method, path, query, scheme: auth ? auth.split(' ')[0]! : null, answeredBy: e?.name ?? null });
      if (!e) {
        const message = `No recorded answer for ${requestKey(method, path, query)}`;
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: { code: 404, message } }));
        return;
      }
      res.writeHead(e.status, e.headers).end(e.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve,
    received,
    misses: () => received.filter((r) => r.answeredBy === null),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
