import { randomBytes } from 'node:crypto';
import type { Db } from './db/database';
import { prep } from './db/database';

export type ZoneDenials = 'reject' | 'filter';

export interface EnvironmentSettings { patEnabled: boolean; zoneDenials: ZoneDenials }

const DEFAULTS: EnvironmentSettings = { patEnabled: true, zoneDenials: 'reject' };

function read(db: Db, key: string): string | undefined {
  return (prep(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  prep(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function readMeta(db: Db, key: string): string | undefined {
  return read(db, key);
}

/** Environment settings are read per request, so a change by another process applies at once. */
export function getSettings(db: Db): EnvironmentSettings {
  const rows = prep(db, "SELECT key, value FROM meta WHERE key IN ('patEnabled', 'zoneDenials')").all() as { key: string; value: string }[];
  const pat = rows.find((r) => r.key === 'patEnabled')?.value;
  const zd = rows.find((r) => r.key === 'zoneDenials')?.value;
  return {
    patEnabled: pat === undefined ? DEFAULTS.patEnabled : pat === 'true',
    zoneDenials: zd === 'filter' || zd === 'reject' ? zd : DEFAULTS.zoneDenials,
  };
}

/**
 * Writes environment settings. A write of `patEnabled` is a new version of the `builtin:tokens.token-settings`
 * object, whoever makes it (the Settings API or the admin API): the object's `updateToken` changes, so a
 * read-modify-write that read the old version gets a 409. `by` records when and by whom, for `modified`/`author`.
 */
export function putSettings(db: Db, patch: Partial<EnvironmentSettings>, by?: { now: number; author: string }): EnvironmentSettings {
  if (patch.patEnabled !== undefined) {
    writeMeta(db, 'patEnabled', String(patch.patEnabled));
    writeMeta(db, 'tokenSettingsVersion', String(tokenSettingsMeta(db).version + 1));
    if (by) { writeMeta(db, 'tokenSettingsModified', String(by.now)); writeMeta(db, 'tokenSettingsAuthor', by.author); }
  }
  if (patch.zoneDenials !== undefined) writeMeta(db, 'zoneDenials', patch.zoneDenials);
  return getSettings(db);
}

/** Version, last modification and author of the token settings object (version 0: never written). */
export function tokenSettingsMeta(db: Db): { version: number; modified: number | null; author: string | null } {
  const rows = prep(db, "SELECT key, value FROM meta WHERE key IN ('tokenSettingsVersion', 'tokenSettingsModified', 'tokenSettingsAuthor')").all() as { key: string; value: string }[];
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  const modified = get('tokenSettingsModified');
  return { version: Number(get('tokenSettingsVersion') ?? 0), modified: modified === undefined ? null : Number(modified), author: get('tokenSettingsAuthor') ?? null };
}

/** Back to the defaults (`DELETE` of the token settings object): PATs enabled, as a new environment has them. */
export function resetTokenSettings(db: Db, by: { now: number; author: string }): void {
  putSettings(db, { patEnabled: DEFAULTS.patEnabled }, by);
}

const secrets = new WeakMap<Db, Buffer>();

/** The key that signs page keys; created once per database so every process sharing it agrees. */
export function pageKeySecret(db: Db): Buffer {
  const known = secrets.get(db);
  if (known) return known;
  let v = read(db, 'pageKeySecret');
  if (!v) {
    prep(db, 'INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('pageKeySecret', randomBytes(32).toString('hex'));
    v = read(db, 'pageKeySecret')!;
  }
  // Never changes once created (a reset keeps it), so it is read once per connection.
  const key = Buffer.from(v, 'hex');
  secrets.set(db, key);
  return key;
}
