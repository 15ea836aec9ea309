/**
 * Every extension storage item Tokenscope uses, declared once (Bitwarden's state definitions, WXT
 * `storage.defineItem`). Each declaration says its area, why it is there and when it is cleared.
 *
 * Rules:
 * - `local` holds only non-secret metadata and ciphertext; the vault key exists only in `session`, which the
 *   browser keeps in memory and clears on restart and on extension reload.
 * - Token list, secrets and vault header change together under `withStorageLock`, written with one
 *   `storage.local.set` call (`writeLocal` in `./storage-writes.ts`) so a crash or a second page never sees half of
 *   a change.
 * - Values read from storage are `unknown` until a guard accepts them: another version of the extension, a failed
 *   migration or a hand-edited profile may have left anything there.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { Tile } from '../lib/board/tiles';
import type { TileSummary } from '../lib/board/tile-summary';
import type { CodedError } from '../lib/failure/failure';
import type { RotationJournal } from '../lib/tokens/rotation';
import type { ServerTokenList } from '../lib/tokens/slots';
import { isSealedBox, type SealedBox } from './crypto';

// ---- types ------------------------------------------------------------------------------------------------------

/**
 * A stored token's metadata: everything the UI shows about it, none of it secret. The secret lives encrypted in
 * {@link secretsItem} under the same `id`.
 */
export interface StoredToken {
  /** `dt0c01.<public part>`: the token id Dynatrace uses, safe to show and log. */
  id: string;
  /** The user's name for it (shown in the list and the badge). */
  label: string;
  /** `#rrggbb`, chosen by the user; the badge background. */
  color: string;
  /** Normalised environment base URL (`parseEnvironmentUrl(...).value.baseUrl`): no trailing slash, no `/api`. */
  environmentUrl: string;
  /** The token's owner as the server reports it (an e-mail address for PATs). */
  owner: string;
  /** The token's name on the server. */
  name: string;
  /** Personal access token (`true`) or classic API token. Only PATs are accepted, so normally `true`. */
  personal: boolean;
  /** Scopes from the last lookup. */
  scopes: string[];
  /** Expiry in epoch ms, `null` if it never expires. */
  expiresAt: number | null;
  /** Creation date on the server (epoch ms), or when it was added if the server did not say. */
  createdAt: number;
  /** Tagged "production" by the user: switching to it asks for confirmation. */
  production: boolean;
  /** When the metadata was last confirmed with `POST /apiTokens/lookup` (epoch ms). */
  lastCheckedAt: number;
  /** Last use the server reported at the last lookup (epoch ms), `null` if never used or unknown. */
  lastUsedAt: number | null;
  /** The address of that last use (`lastUsedIpAddress`), as seen at the last check; absent before it was recorded. */
  lastUsedIp?: string | null;
  /** A check found the token used from an address other than the one seen before: shown until acknowledged. */
  newAddress?: { ip: string; at: number } | null;
}

/** User settings. */
export interface Settings {
  /** Idle minutes before the vault locks itself. */
  autoLockMinutes: number;
  /** A system notification names a token within a week of its expiry (needs the optional `notifications` permission). */
  notifyExpiry?: boolean;
}

/** Vault parameters: everything needed to re-derive the key from the passphrase and check it. Not secret. */
export interface VaultHeader {
  kdf: 'PBKDF2-SHA-256';
  iterations: number;
  /** 16 random bytes, base64. */
  salt: string;
  /** A known text sealed with the key: opening it proves the passphrase without storing anything derived. */
  verifier: SealedBox;
  createdAt: number;
}

/** Ciphertext of each token's secret, by token id. */
export type SealedSecrets = Record<string, SealedBox>;

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 30 };
export const AUTO_LOCK_CHOICES = [5, 15, 30, 60, 120, 240, 480] as const;


// ---- guards -------------------------------------------------------------------------------------------------------

const COLOR_RE = /^#[0-9a-f]{6}$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNullableNumber = (v: unknown): v is number | null => v === null || isFiniteNumber(v);

export function isStoredToken(value: unknown): value is StoredToken {
  if (!isRecord(value)) return false;
  const v = value;
  return typeof v.id === 'string' && /^dt0c01\.[A-Z0-9]{24}$/.test(v.id)
    && typeof v.label === 'string'
    && typeof v.color === 'string' && COLOR_RE.test(v.color)
    && typeof v.environmentUrl === 'string'
    && typeof v.owner === 'string'
    && typeof v.name === 'string'
    && typeof v.personal === 'boolean'
    && Array.isArray(v.scopes) && v.scopes.every((s) => typeof s === 'string')
    && isNullableNumber(v.expiresAt)
    && isFiniteNumber(v.createdAt)
    && typeof v.production === 'boolean'
    && isFiniteNumber(v.lastCheckedAt)
    && isNullableNumber(v.lastUsedAt)
    && (v.lastUsedIp === undefined || v.lastUsedIp === null || typeof v.lastUsedIp === 'string')
    && (v.newAddress === undefined || v.newAddress === null
      || (isRecord(v.newAddress) && typeof v.newAddress.ip === 'string' && isFiniteNumber(v.newAddress.at)));
}

export function isSettings(value: unknown): value is Settings {
  return isRecord(value) && isFiniteNumber(value.autoLockMinutes) && value.autoLockMinutes >= 1 && value.autoLockMinutes <= 1440
    && (value.notifyExpiry === undefined || typeof value.notifyExpiry === 'boolean');
}

export function isVaultHeader(value: unknown): value is VaultHeader {
  return isRecord(value) && value.kdf === 'PBKDF2-SHA-256' && isFiniteNumber(value.iterations)
    && typeof value.salt === 'string' && isSealedBox(value.verifier) && isFiniteNumber(value.createdAt);
}

export function isSealedSecrets(value: unknown): value is SealedSecrets {
  return isRecord(value) && Object.values(value).every(isSealedBox);
}

// ---- migrations ---------------------------------------------------------------------------------------------------

export type { StoredTokenV1 } from './migrations';

/** The current version of the token list; bump it together with a new entry in `migrations`. */
export const TOKENS_VERSION = 2;

// ---- items --------------------------------------------------------------------------------------------------------

/**
 * `local:tokens` — token metadata (no secrets), in the order the user added them.
 * Versioned (v1 -> v2 above). Cleared by "Forget all"; entries are removed by "Remove" and "Revoke".
 * Read and `watch` it freely; write only through `platform/tokens.ts`.
 */
export const tokensItem = storage.defineItem<StoredToken[]>('local:tokens', {
  fallback: [],
  version: TOKENS_VERSION,
  // Loaded only when an old list is found: the URL parser it needs stays out of every page's first load.
  migrations: {
    2: async (v1: unknown): Promise<StoredToken[]> => {
      const tokens = (await import('./migrations')).migrateTokensV1ToV2(v1);
      const bad = tokens.findIndex((t) => !isStoredToken(t));
      if (bad >= 0) throw new TypeError(`v1 token list: entry ${bad} is not a valid token record.`);
      return tokens;
    },
  },
});

/**
 * `local:tokensRevision` — incremented with every write of the token list, in the same `set` call. Lets a
 * writer without Web Locks detect that another page wrote in between and retry. Cleared by "Forget all".
 */
export const tokensRevisionItem = storage.defineItem<number>('local:tokensRevision', { fallback: 0 });

/**
 * `local:activeTokenId` — the id of the active token (what unpinned dashboard tabs and the badge follow), `null`
 * for none. Cleared by "Forget all" and when the active token is removed or revoked.
 */
export const activeTokenIdItem = storage.defineItem<string | null>('local:activeTokenId', { fallback: null });

/**
 * `local:secrets` — AES-256-GCM ciphertext of every token secret, by token id (associated data binds each to its
 * id). Cleared by "Forget all"; an entry goes with its token; re-encrypted as a whole on a passphrase change.
 */
export const secretsItem = storage.defineItem<SealedSecrets>('local:secrets', { fallback: {}, version: 1 });

/**
 * `local:vault` — KDF parameters, salt and verifier; `null` until a vault is created. Cleared by "Forget all";
 * replaced on a passphrase change.
 */
export const vaultHeaderItem = storage.defineItem<VaultHeader | null>('local:vault', { fallback: null, version: 1 });

/** `local:settings` — user settings. The one item "Forget all" keeps (it holds nothing about tokens). */
export const settingsItem = storage.defineItem<Settings>('local:settings', { fallback: DEFAULT_SETTINGS, version: 1 });

/** What the dashboard saw a token reach: the management zones of the entities it could read. */
export interface TokenZones {
  zones: string[];
  /** True when inspection showed the token is not restricted to zones. */
  allZones: boolean;
  checkedAt: number;
}

/**
 * `local:tokenInsights` — per token id, the management zones the dashboard saw it reach. Not secret, but it says
 * who can see what: cleared by "Forget all", and an entry goes with its token (`platform/tokens.ts` removes it in
 * the same write as the token).
 */
export const tokenInsightsItem = storage.defineItem<Record<string, TokenZones>>('local:tokenInsights', {
  fallback: {},
  version: 1,
});

/**
 * `local:boards` — the overview boards, one per environment base URL: pinned query tiles, no secrets. Cleared by
 * "Forget all" (they name environments and what was queried there); export them first to keep them.
 * v1 -> v2: v1 stored one global list; it becomes the board of the environment it was made for, or of "unknown".
 */
export const boardsItem = storage.defineItem<Record<string, Tile[]>>('local:boards', {
  fallback: {},
  version: 2,
  migrations: {
    2: (v1: unknown): Record<string, Tile[]> => (Array.isArray(v1) ? { unknown: v1 as Tile[] } : (v1 as Record<string, Tile[]>) ?? {}),
  },
});

/**
 * `local:rotations` — per old token id, the journal of a rotation that runs or waits for its last step
 * (`lib/tokens/rotation.ts`): where it stands and the new token's id, never a secret. Written before each step,
 * removed when the rotation is complete; cleared by "Forget all".
 */
export const rotationsItem = storage.defineItem<Record<string, RotationJournal>>('local:rotations', { fallback: {} });

/**
 * `session:serverTokens` — per environment and owner, the owner's personal access tokens as the server listed them
 * (metadata only) and when: the popup paints the server's count at once and asks again at most once a minute.
 * Session only, removed by "Lock": it says who holds which tokens.
 */
export const serverTokensItem = storage.defineItem<Record<string, ServerTokenList>>('session:serverTokens', { fallback: {} });

/**
 * `session:overviewValues` — per token id, the popup overview's last value of each tile (`lib/board/tile-summary.ts`),
 * so the next open paints at once, marked with its age. Session only (never on disk); a token's values are shown
 * only while that token is active.
 */
export const overviewValuesItem = storage.defineItem<Record<string, Record<string, TileSummary>>>('session:overviewValues', { fallback: {} });

/**
 * `session:vaultKey` — the raw AES key (base64) while the vault is unlocked. Session storage only: the browser
 * clears it on restart and extension reload; "Lock", the idle alarm and "Forget all" remove it. Access level is
 * left at the default (trusted extension contexts; there are no content scripts anyway).
 */
export const sessionKeyItem = storage.defineItem<string | null>('session:vaultKey', { fallback: null });

/**
 * `session:vaultActivity` — epoch ms of the last use of the vault, for the idle lock. Cleared with the key.
 */
export const sessionActivityItem = storage.defineItem<number | null>('session:vaultActivity', { fallback: null });

// ---- writing -------------------------------------------------------------------------------------------------------

/** Thrown by writers when the stored token list is not at the current version (a migration failed). */
export class StorageMigrationError extends Error implements CodedError {
  override readonly name = 'StorageMigrationError';
  readonly code = 'storage';
  constructor(readonly key: string, readonly version: number | undefined) {
    super(`Stored data "${key}" is at version ${version ?? 'unknown'} and could not be upgraded; nothing was written so it is not lost.`);
  }
}

/** The token list as stored, keeping only entries a guard accepts. */
export async function readTokenList(): Promise<StoredToken[]> {
  const value: unknown = await tokensItem.getValue();
  return Array.isArray(value) ? value.filter(isStoredToken) : [];
}

/** An item of an area, by its key (`local:tokens`). */
export type LocalItem = { key: string };

/** The area key of an item (`local:tokens` -> `tokens`). */
export function areaKey(item: LocalItem): string {
  return item.key.slice(item.key.indexOf(':') + 1);
}

/** Puts the vault key and the activity time into `session` in one write. */
export async function writeSession(rawKey: string, activityAt: number): Promise<void> {
  await browser.storage.session.set({ [areaKey(sessionKeyItem)]: rawKey, [areaKey(sessionActivityItem)]: activityAt });
}

/**
 * The `local` keys "Forget all" keeps: the settings and their version. Everything else goes, including keys this
 * version does not know (left by an older or newer version), so nothing about tokens can survive it.
 */
export const FORGET_ALL_KEPT_KEYS: ReadonlySet<string> = new Set([areaKey(settingsItem), `${areaKey(settingsItem)}$`]);
/** The `session` keys of an unlocked vault, and what was read with it ("Lock" removes them). */
export const SESSION_KEYS = [sessionKeyItem, sessionActivityItem, overviewValuesItem, serverTokensItem].map(areaKey);
