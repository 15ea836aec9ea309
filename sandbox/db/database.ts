import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens the sandbox database with the settings that keep concurrent writers and crashes safe:
 * WAL, foreign keys, a 5 s busy timeout, and schema migrations keyed on `PRAGMA user_version`
 * (applied under `BEGIN IMMEDIATE`, so two processes starting at once migrate exactly once).
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  // Switching to WAL needs a moment of exclusive access and does not wait on the busy timeout: a second process
  // opening the same new file then gets SQLITE_BUSY at once. It is retried for up to the same 5 s.
  if (file !== ':memory:') retryWhileBusy(() => db.pragma('journal_mode = WAL'), 5_000);
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash may lose the last commits).
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

function retryWhileBusy<T>(fn: () => T, budgetMs: number): T {
  const until = Date.now() + budgetMs;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() > until) throw e;
      // A synchronous pause (the open is synchronous too); the other process needs milliseconds.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    }
  }
}

function migrate(db: Db): void {
  immediate(db, () => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  });
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a
 * check-then-write (the five-token limit) cannot interleave with another writer.
 */
export function immediate<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, cached per connection: better-sqlite3 parses SQL on every `prepare`, which
 * dominated the cost of a small authenticated read before this cache.
 */
export function prep(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) { cache = new Map(); statements.set(db, cache); }
  let s = cache.get(sql);
  if (!s) { s = db.prepare(sql); cache.set(sql, s); }
  return s;
}
