import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { openDatabase, type Db } from './db/database';
import { mintStartupTokens, seedDemoUsers } from './demo';
import { putSettings, readMeta } from './settings';
import type { WorldKind } from './world/generate';
import { clearWorld, loadOrSeedWorld } from './world/store';
import type { SandboxDeps } from './context';

export interface SandboxOptions {
  port?: number;
  /** Database file, or `:memory:`. */
  db?: string;
  adminKey?: string;
  seed?: number;
  world?: WorldKind;
  zoneDenials?: 'reject' | 'filter';
  cors?: boolean;
  /** Origins CORS answers besides extension pages (`--cors-origin`). */
  corsOrigins?: string[];
  clock?: () => number;
  log?: (line: string) => void;
  /** Mint one fresh PAT per demo user (what `npm start` prints). */
  mintDemoTokens?: boolean;
}

export interface RunningSandbox {
  url: string;
  port: number;
  adminKey: string;
  db: Db;
  deps: SandboxDeps;
  demoTokens: ReturnType<typeof mintStartupTokens>;
  close(): Promise<void>;
}

/**
 * Request line and headers may take 1 MiB, like a body: Node's default (16 KiB) would answer a long
 * selector with a bare 431 before the app sees it, so the parameter checks (and their error
 * envelope) would never run on long input.
 */
const MAX_HEADER_BYTES = 1024 * 1024;

/** Seeds (or reopens) a database, ready for `createApp`. Shared by the server and in-process tests. */
export function prepareDatabase(file: string, opts: { seed: number; world: WorldKind; now: number }) {
  const db = openDatabase(file);
  const world = loadOrSeedWorld(db, { seed: opts.seed, kind: opts.world, now: opts.now });
  seedDemoUsers(db, opts.now);
  return { db, world };
}

/** Starts the sandbox on 127.0.0.1 (never another interface). Port 0 picks a free port. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const clock = opts.clock ?? Date.now;
  const seed = opts.seed ?? 42;
  const kind = opts.world ?? 'demo';
  const file = opts.db ?? '.sandbox/sandbox.db';
  const { db, world } = prepareDatabase(file, { seed, world: kind, now: clock() });
  const stored = readMeta(db, 'world');
  if (stored && (JSON.parse(stored) as { kind: string }).kind !== kind) {
    opts.log?.(`note: the database holds a ${(JSON.parse(stored) as { kind: string }).kind} world; --world ${kind} applies to new databases only`);
  }
  if (opts.zoneDenials) putSettings(db, { zoneDenials: opts.zoneDenials });
  const adminKey = opts.adminKey ?? randomBytes(18).toString('base64url');
  const { app, deps } = createApp({
    db, world, clock, adminKey, cors: opts.cors, corsOrigins: opts.corsOrigins, log: opts.log,
    reset: () => {
      clearWorld(db);
      const fresh = loadOrSeedWorld(db, { seed, kind, now: clock() });
      seedDemoUsers(db, clock());
      return fresh;
    },
  });
  const demoTokens = opts.mintDemoTokens ? mintStartupTokens(db, clock()) : [];
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 8787, hostname: '127.0.0.1', serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, adminKey, db, deps, demoTokens,
    close: () => new Promise<void>((resolve) => {
      server.close(() => { db.close(); resolve(); });
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}
