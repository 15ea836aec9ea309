/**
 * Migrations of stored data from older schemas. `platform/storage.ts` declares the items and loads this module only
 * when it finds data at an old version. Each migration throws on an entry it cannot convert instead of dropping it:
 * WXT then keeps the stored value and its version, and the writers refuse to overwrite it.
 */
import { parseEnvironmentUrl } from '../lib/dynatrace/environment-url';
import { TOKEN_COLORS } from '../lib/tokens/rules';
import type { StoredToken } from './storage';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * v1 of the token list: the first schema, before the popup was designed. The environment as typed, ISO dates, the
 * API's field names, no colour and no production tag.
 */
export interface StoredTokenV1 {
  id: string;
  label: string;
  environment: string;
  owner: string;
  name: string;
  personalAccessToken: boolean;
  scopes: string[];
  expirationDate: string | null;
  creationDate: string;
  lastChecked: string;
}

function isoToMs(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`v1 token list: ${field} is not a date.`);
  return ms;
}

/**
 * v1 -> v2. Throws on an entry it cannot convert instead of dropping it: WXT then keeps the stored value and its
 * version, and the writers refuse to overwrite an unmigrated list (`assertTokensMigrated` in `./storage-writes.ts`, which
 * also checks every converted entry with its guard).
 */
export function migrateTokensV1ToV2(value: unknown): StoredToken[] {
  if (!Array.isArray(value)) throw new TypeError('v1 token list: not an array.');
  return value.map((raw: unknown, index): StoredToken => {
    if (!isRecord(raw)) throw new TypeError(`v1 token list: entry ${index} is not an object.`);
    const env = parseEnvironmentUrl(typeof raw.environment === 'string' ? raw.environment : '');
    if (!env.ok) throw new TypeError(`v1 token list: entry ${index} has an unusable environment URL.`);
    const token: StoredToken = {
      id: String(raw.id),
      label: typeof raw.label === 'string' ? raw.label : String(raw.name ?? ''),
      color: TOKEN_COLORS[index % TOKEN_COLORS.length] ?? TOKEN_COLORS[0],
      environmentUrl: env.value.baseUrl,
      owner: String(raw.owner ?? ''),
      name: String(raw.name ?? ''),
      personal: raw.personalAccessToken === true,
      scopes: Array.isArray(raw.scopes) ? raw.scopes.filter((s): s is string => typeof s === 'string') : [],
      expiresAt: raw.expirationDate === null || raw.expirationDate === undefined ? null : isoToMs(raw.expirationDate, 'expirationDate'),
      createdAt: isoToMs(raw.creationDate, 'creationDate'),
      production: false,
      lastCheckedAt: isoToMs(raw.lastChecked, 'lastChecked'),
      lastUsedAt: null,
    };
    return token;
  });
}

