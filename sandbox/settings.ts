import { randomBytes } from 'node:crypto';
import type { Db } from './db/database';

export type ZoneDenials = 'reject' | 'filter';

export interface EnvironmentSettings { patEnabled: boolean; zoneDenials: ZoneDenials }

const DEFAULTS: EnvironmentSettings = { patEnabled: true, zoneDenials: 'reject' };

function read(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function readMeta(db: Db, key: string): string | undefined {
  return read(db, key);
}

/** Environment settings are read per request, so a change by another process applies at once. */
export function getSettings(db: Db): EnvironmentSettings {
  const pat = read(db, 'patEnabled');
  const zd = read(db, 'zoneDenials');
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

/** The key that signs page keys; created once per database so every process sharing it agrees. */
export function pageKeySecret(db: Db): Buffer {
  let v = read(db, 'pageKeySecret');
  if (!v) {
    db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('pageKeySecret', randomBytes(32).toString('hex'));
    v = read(db, 'pageKeySecret')!;
  }
  return Buffer.from(v, 'hex');
}
