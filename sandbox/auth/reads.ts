/**
 * The reads that authenticate a request (the token by its public id, the environment settings, the owner's
 * grants and zones), remembered while the database is unchanged.
 *
 * "Unchanged" is exact, not a time window: `PRAGMA data_version` changes whenever another connection (a second
 * sandbox process on the same file) commits, and `total_changes()` whenever this connection inserts, updates or
 * deletes a row (upserts and whole-table deletes included). Both are read in one statement at the start of every
 * authentication, right before the remembered reads, so a revoked, disabled or deleted token, a deleted user, a
 * changed grant or switched-off PATs apply to the very next request as before (docs/sandbox-behaviour.md,
 * "Identity, tokens and PAT rules"). A write during the request (the last-used update) changes the
 * stamp, so the next request reads again. Digests are still compared with `timingSafeEqual` (sandbox/tokens.ts).
 */
import type { Db } from '../db/database';
import { prep } from '../db/database';
import { loadAccess, type UserAccess, type Zone } from '../identity';
import { getSettings, type EnvironmentSettings } from '../settings';
import { tokenRecord, type TokenRecord } from '../tokens';

const STAMP = 'SELECT (SELECT data_version FROM pragma_data_version) AS version, total_changes() AS changes';
/** Rows of tokens that exist, and users; unknown ids are never remembered, so made-up ids cannot grow it. */
const MAX_ENTRIES = 1000;

export class AuthReads {
  private version = -1;
  private changes = -1;
  private zones: readonly Zone[] | null = null;
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly access = new Map<number, UserAccess | null>();
  private settingsRead: EnvironmentSettings | null = null;

  constructor(private readonly db: Db) {}

  /** Forgets everything when the database changed since the last call (or the world's zones did). */
  begin(zones: readonly Zone[]): void {
    const s = prep(this.db, STAMP).get() as { version: number; changes: number };
    if (s.version === this.version && s.changes === this.changes && zones === this.zones) return;
    this.version = s.version;
    this.changes = s.changes;
    this.zones = zones;
    this.tokens.clear();
    this.access.clear();
    this.settingsRead = null;
  }

  token(id: string): TokenRecord | undefined {
    let rec = this.tokens.get(id);
    if (!rec) {
      rec = tokenRecord(this.db, id);
      if (rec) { if (this.tokens.size >= MAX_ENTRIES) this.tokens.clear(); this.tokens.set(id, rec); }
    }
    return rec;
  }

  settings(): EnvironmentSettings {
    return (this.settingsRead ??= getSettings(this.db));
  }

  userAccess(userId: number): UserAccess | null {
    if (this.access.has(userId)) return this.access.get(userId)!;
    const a = loadAccess(this.db, userId, this.zones ?? undefined);
    if (this.access.size >= MAX_ENTRIES) this.access.clear();
    this.access.set(userId, a);
    return a;
  }
}
