import { createApp } from '../../sandbox/app';
import { prepareDatabase } from '../../sandbox/server';
import { clearWorld, loadOrSeedWorld } from '../../sandbox/world/store';
import { seedDemoUsers } from '../../sandbox/demo';
import type { WorldKind } from '../../sandbox/world/generate';

export const ADMIN_KEY = 'test-admin-key';
/** A fixed clock: 2026-11-20 12:00 UTC. */
export const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

export interface TestSandbox {
  /** `peer`: the remote address the request comes from (default: none, which the app reads as 127.0.0.1). */
  request(path: string, init?: { token?: string; method?: string; body?: unknown; headers?: Record<string, string>; peer?: string }): Promise<Response>;
  admin(path: string, method?: string, body?: unknown): Promise<Response>;
  /** Mints a PAT for a user through the admin API, as the web UI would. */
  mintPat(email: string, scopes: string[], extra?: Record<string, unknown>): Promise<string>;
  mintClassic(scopes: string[], extra?: Record<string, unknown>): Promise<string>;
  setNow(ms: number): void;
  now(): number;
  deps: ReturnType<typeof createApp>['deps'];
  logs: string[];
}

/** An in-process sandbox on `:memory:` SQLite with a fixed, settable clock. */
export function createTestSandbox(opts: { seed?: number; world?: WorldKind; random?: () => number; cors?: boolean; corsOrigins?: string[] } = {}): TestSandbox {
  let now = T0;
  const seed = opts.seed ?? 7;
  const kind = opts.world ?? 'demo';
  const { db, world } = prepareDatabase(':memory:', { seed, world: kind, now });
  const logs: string[] = [];
  const { app, deps } = createApp({
    db, world, clock: () => now, adminKey: ADMIN_KEY, random: opts.random, log: (l) => logs.push(l), cors: opts.cors, corsOrigins: opts.corsOrigins,
    reset: () => { clearWorld(db); const w = loadOrSeedWorld(db, { seed, kind, now }); seedDemoUsers(db, now); return w; },
  });
  const request: TestSandbox['request'] = (path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.token !== undefined) headers.authorization = `Api-Token ${init.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    // The node server hands the app its incoming message; the peer address is read from its socket.
    const env = init.peer === undefined ? undefined : { incoming: { socket: { remoteAddress: init.peer } } };
    return Promise.resolve(app.request(path, { method: init.method ?? 'GET', headers, body }, env));
  };
  const admin: TestSandbox['admin'] = (path, method = 'GET', body) => request(`/sandbox/admin${path}`, {
    method, body, headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  return {
    request, admin, deps, logs,
    setNow: (ms) => { now = ms; },
    now: () => now,
    async mintPat(email, scopes, extra = {}) {
      const res = await admin(`/users/${encodeURIComponent(email)}/tokens`, 'POST', { name: `test ${scopes.join(' ')}`, scopes, ...extra });
      if (res.status !== 201) throw new Error(`minting a PAT for ${email} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async mintClassic(scopes, extra = {}) {
      const res = await admin('/api-tokens', 'POST', { name: 'classic', scopes, ...extra });
      if (res.status !== 201) throw new Error(`minting a classic token failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
  };
}

export const DEMO = {
  admin: 'admin@example.com',
  analyst: 'analyst@example.com',
  support: 'support@example.com',
  operator: 'operator@example.com',
  nogrants: 'nogrants@example.com',
} as const;

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
