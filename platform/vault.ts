/**
 * The vault: token secrets encrypted at rest, the key only in session memory.
 *
 * - "Create" derives an AES-256-GCM key from the passphrase (PBKDF2-HMAC-SHA-256, 600,000 iterations, random
 *   16-byte salt), stores salt, iteration count and a verifier in `local:vault`, and parks the raw key bytes in
 *   `session:vaultKey` (never `local`, never Pinia).
 * - "Unlock" re-derives the key and proves it by opening the verifier.
 * - Secrets are sealed with a fresh 12-byte IV per write, bound to their token id, and opened only at request time
 *   by {@link getSecret}.
 * - The vault locks itself after the idle period (a `browser.alarms` alarm the background handles, plus a check on
 *   every use); only user actions extend the period, never a request (see `touchVault`); on browser restart and extension reload (the browser empties `storage.session`), and on "Lock".
 *
 * Why the raw key in `storage.session` rather than re-deriving per page: PBKDF2 at 600k iterations takes about half
 * a second, paid on every popup open otherwise (Bitwarden made the same choice). Session storage is in memory and
 * readable only by trusted extension contexts.
 */
import type { CodedError } from '../lib/failure/failure';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import {
  deriveVaultKey, exportRawKey, fromBase64, importRawKey, MAX_KDF_ITERATIONS, MIN_KDF_ITERATIONS, open, seal, type SealedBox,
} from './crypto';
import { withStorageLock } from './locks';
import {
  DEFAULT_SETTINGS, isSealedSecrets, isSettings, isVaultHeader, secretsItem, SESSION_KEYS, sessionActivityItem, sessionKeyItem,
  settingsItem, vaultHeaderItem, writeSession, type SealedSecrets, type Settings, type VaultHeader,
} from './storage';

/** `none`: no vault yet (first use); `locked`: a vault exists, key not in session; `unlocked`: ready. */
export type VaultState = 'none' | 'locked' | 'unlocked';

/** The name of the idle alarm (background: `alarms.onAlarm`). */
export const AUTO_LOCK_ALARM = 'tokenscope:auto-lock';

/** Shortest passphrase accepted for a new vault. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** Thrown by {@link getSecret} (and so by every API call) while the vault is locked. */
export class VaultLockedError extends Error implements CodedError {
  override readonly name = 'VaultLockedError';
  readonly code = 'locked';
  /** `locked`: no key in session; `idle`: it was there but the idle period had passed, so it was just removed. */
  constructor(readonly reason: 'locked' | 'idle' = 'locked') {
    super(reason === 'idle' ? 'The vault locked itself after the idle period. Unlock it to continue.' : 'The vault is locked. Unlock it to use your tokens.');
  }
}

/** Unlock or passphrase change with the wrong passphrase. */
export class WrongPassphraseError extends Error implements CodedError {
  override readonly name = 'WrongPassphraseError';
  readonly code = 'wrong-passphrase';
  constructor(message = 'That passphrase does not unlock this vault.') {
    super(message);
  }
}

/** A vault operation that needs a vault (unlock) or needs none (create) found the other. */
export class VaultStateError extends Error implements CodedError {
  override readonly name = 'VaultStateError';
  readonly code = 'vault-state';
}

/** The token has no stored secret (e.g. a record left from an interrupted older version). */
export class SecretMissingError extends Error implements CodedError {
  override readonly name = 'SecretMissingError';
  readonly code = 'storage';
  constructor(readonly tokenId: string) {
    super(`No secret is stored for ${tokenId}; remove the token and add it again.`);
  }
}

/** A known text sealed with the key: opening it proves the passphrase (exported for `./vault-admin.ts`). */
export const VERIFIER_TEXT = 'tokenscope:vault-verifier:v1';
export const VERIFIER_CONTEXT = 'tokenscope:verifier';
/** Associated data of a token secret: a ciphertext only opens under the id it was written for. */
export const secretContext = (tokenId: string): string => `tokenscope:secret:${tokenId}`;

/** Activity is written at most this often (each write is a storage event in every page). */
const ACTIVITY_WRITE_INTERVAL_MS = 15_000;

let clock: () => number = () => Date.now();
/** The vault's clock (exported for `./vault-admin.ts`). */
export const vaultNow = (): number => clock();
/** Test hook: a fixed or fake clock for the idle logic. */
export function setVaultClock(now: () => number): void {
  clock = now;
}

// ---- state ----------------------------------------------------------------------------------------------------------

export async function readHeader(): Promise<VaultHeader | null> {
  const value: unknown = await vaultHeaderItem.getValue();
  return isVaultHeader(value) ? value : null;
}

export async function readSecrets(): Promise<SealedSecrets> {
  const value: unknown = await secretsItem.getValue();
  return isSealedSecrets(value) ? value : {};
}

/** Current settings, defaults for anything unreadable. */
export async function getSettings(): Promise<Settings> {
  const value: unknown = await settingsItem.getValue();
  return isSettings(value) ? value : DEFAULT_SETTINGS;
}

/** Where the vault stands right now. */
export async function getVaultState(): Promise<VaultState> {
  const [header, key] = await Promise.all([readHeader(), sessionKeyItem.getValue()]);
  if (header === null) return 'none';
  return typeof key === 'string' && key !== '' ? 'unlocked' : 'locked';
}

/**
 * Calls `cb` with the vault state whenever it may have changed (key added or removed in any page, by the idle
 * alarm, by "Forget all"). Returns the unwatch function.
 */
export function watchVaultState(cb: (state: VaultState) => void): () => void {
  let last: VaultState | undefined;
  const check = (): void => {
    void getVaultState().then((state) => {
      if (state !== last) {
        last = state;
        cb(state);
      }
    });
  };
  const stops = [vaultHeaderItem.watch(check), sessionKeyItem.watch(check)];
  return () => stops.forEach((stop) => stop());
}

/** The ids of tokens that have a sealed secret (ids only; never the ciphertext). */
export async function getSecretIds(): Promise<string[]> {
  return Object.keys(await readSecrets());
}

/** Calls `cb` with the ids of tokens that have a secret whenever that set changes. */
export function watchSecretIds(cb: (ids: string[]) => void): () => void {
  return secretsItem.watch((value: unknown) => cb(isSealedSecrets(value) ? Object.keys(value) : []));
}

// ---- key in session -----------------------------------------------------------------------------------------------

/** Key and last activity, read in one `get` so a concurrent lock is seen whole. */
async function readSession(): Promise<{ raw: string | null; last: number | null }> {
  const [key, activity] = await storage.getItems([sessionKeyItem, sessionActivityItem]);
  const raw: unknown = key?.value;
  const last: unknown = activity?.value;
  return { raw: typeof raw === 'string' && raw !== '' ? raw : null, last: typeof last === 'number' ? last : null };
}

/**
 * The vault key, after the idle check (past the idle period it locks and throws). Only `activity: 'user'` moves the
 * activity time forward (at most every 15 s) and re-arms the idle alarm: reading a secret for a request does not,
 * so a page that refreshes by itself (the Overview board) cannot keep the vault unlocked forever.
 */
async function sessionKey(activity: 'user' | 'none'): Promise<CryptoKey> {
  const { raw, last } = await readSession();
  if (raw === null) throw new VaultLockedError('locked');
  const { autoLockMinutes } = await getSettings();
  const now = clock();
  if (last === null || now - last > autoLockMinutes * 60_000) {
    // The alarm should have fired already (the worker may have been asleep, or the clock jumped): lock now.
    await lockVault();
    throw new VaultLockedError('idle');
  }
  if (activity === 'user' && now - last >= ACTIVITY_WRITE_INTERVAL_MS) {
    await sessionActivityItem.setValue(now);
    await scheduleAutoLock();
  }
  return importRawKey(raw);
}

/** Parks an unlocked key in session storage and arms the idle alarm. */
export async function putSessionKey(key: CryptoKey): Promise<void> {
  await writeSession(await exportRawKey(key), clock());
  await scheduleAutoLock();
}

/** (Re)starts the idle alarm: it fires `autoLockMinutes` after the last activity. */
export async function scheduleAutoLock(): Promise<void> {
  const { autoLockMinutes } = await getSettings();
  // Re-creating an alarm with the same name replaces it.
  await browser.alarms.create(AUTO_LOCK_ALARM, { delayInMinutes: autoLockMinutes });
}

/**
 * Records user activity (opening the popup or the dashboard, a click or key press in them) so the idle lock counts
 * from now. Cheap: writes at most every 15 seconds. Does nothing while locked; locks if the idle period has already
 * passed. Requests do not count: only a person does.
 */
export async function touchVault(): Promise<void> {
  try {
    await sessionKey('user');
  } catch (error) {
    if (!(error instanceof VaultLockedError)) throw error;
  }
}

/**
 * The background's handler of {@link AUTO_LOCK_ALARM}: locks if the idle period has passed since the last activity,
 * otherwise re-arms the alarm for the rest of the period.
 */
export async function handleAutoLockAlarm(): Promise<void> {
  const last = await sessionActivityItem.getValue();
  const { autoLockMinutes } = await getSettings();
  const idleMs = autoLockMinutes * 60_000;
  // A little slack: Chrome may fire alarms early by up to a few seconds.
  const remaining = typeof last === 'number' ? last + idleMs - clock() : 0;
  if (remaining <= 5_000) {
    await lockVault();
    return;
  }
  await browser.alarms.create(AUTO_LOCK_ALARM, { delayInMinutes: Math.max(0.5, remaining / 60_000) });
}

// ---- operations ---------------------------------------------------------------------------------------------------

/** The key from a passphrase, proven by opening the verifier; throws {@link WrongPassphraseError}. */
export async function keyFromPassphrase(header: VaultHeader, passphrase: string): Promise<CryptoKey> {
  if (header.iterations < MIN_KDF_ITERATIONS) {
    // A header naming fewer iterations was not written by us: refuse rather than derive a weak key.
    throw new VaultStateError('The vault header asks for a weaker key derivation than allowed.');
  }
  if (!Number.isSafeInteger(header.iterations) || header.iterations > MAX_KDF_ITERATIONS) {
    // Not written by Tokenscope either: deriving would block the page for minutes.
    throw new VaultStateError(`The vault header asks for ${header.iterations} key-derivation iterations; at most ${MAX_KDF_ITERATIONS} are accepted.`);
  }
  const key = await deriveVaultKey(passphrase, fromBase64(header.salt), header.iterations);
  try {
    const text = await open(key, header.verifier, VERIFIER_CONTEXT);
    if (text !== VERIFIER_TEXT) throw new WrongPassphraseError();
  } catch {
    throw new WrongPassphraseError();
  }
  return key;
}

/** Unlocks with the passphrase. Throws {@link WrongPassphraseError} or {@link VaultStateError} (no vault). */
export async function unlockVault(passphrase: string): Promise<void> {
  const header = await readHeader();
  if (header === null) throw new VaultStateError('There is no vault yet; create one first.');
  const key = await keyFromPassphrase(header, passphrase);
  await putSessionKey(key);
}

/** Locks: removes the key from session storage (every page sees it through {@link watchVaultState}). */
export async function lockVault(): Promise<void> {
  await browser.storage.session.remove([...SESSION_KEYS]);
  await browser.alarms.clear(AUTO_LOCK_ALARM);
}

/**
 * The secret of a stored token, decrypted now. Throws {@link VaultLockedError} while locked and
 * {@link SecretMissingError} if there is none. Never cache or display the result; pass it straight to the client.
 */
export async function getSecret(tokenId: string): Promise<string> {
  return withStorageLock(async () => {
    const key = await sessionKey('none');
    const box = (await readSecrets())[tokenId];
    if (box === undefined) throw new SecretMissingError(tokenId);
    return open(key, box, secretContext(tokenId));
  }, 'shared');
}

/**
 * Seals a secret with the session key. Call inside `withStorageLock` (as `platform/tokens.ts` does), so a passphrase
 * change cannot re-key the vault between sealing and writing.
 */
export async function sealSecret(tokenId: string, secret: string): Promise<SealedBox> {
  const key = await sessionKey('none');
  return seal(key, secret, secretContext(tokenId));
}

/** Calls `cb` when the settings change in any page. */
export function watchSettings(cb: (settings: Settings) => void): () => void {
  return settingsItem.watch((value: unknown) => cb(isSettings(value) ? value : DEFAULT_SETTINGS));
}
