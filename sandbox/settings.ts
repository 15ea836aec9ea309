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

export function putSettings(db: Db, patch: Partial<EnvironmentSettings>): EnvironmentSettings {
  if (patch.patEnabled !== undefined) writeMeta(db, 'patEnabled', String(patch.patEnabled));
  if (patch.zoneDenials !== undefined) writeMeta(db, 'zoneDenials', patch.zoneDenials);
  return getSettings(db);
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
