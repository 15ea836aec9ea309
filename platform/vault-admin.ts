/**
 * The vault operations a person runs rarely: creating the vault, changing the passphrase, "Forget all", the idle
 * setting. Apart from `./vault.ts` (what every page needs to unlock and to read secrets) so they load only when
 * used; the vault store imports this module on demand.
 */
import { browser } from 'wxt/browser';
import { Failure } from '../lib/failure/failure';
import { checkExpiry, requestNotificationPermission } from './expiry';
import { deriveVaultKey, MIN_KDF_ITERATIONS, open, randomBytes, SALT_BYTES, seal, toBase64 } from './crypto';
import { withStorageLock } from './locks';
import { writeLocal } from './storage-writes';
import {
  FORGET_ALL_KEPT_KEYS, isSettings, secretsItem, settingsItem, vaultHeaderItem, type SealedSecrets, type Settings,
  type VaultHeader,
} from './storage';
import {
  getSettings, getVaultState, keyFromPassphrase, lockVault, MIN_PASSPHRASE_LENGTH, putSessionKey, readHeader, readSecrets,
  scheduleAutoLock, secretContext, vaultNow, VaultStateError, VERIFIER_CONTEXT, VERIFIER_TEXT, WrongPassphraseError,
} from './vault';

/** Creates the vault (first use) and leaves it unlocked. Throws {@link VaultStateError} if one exists. */
export async function createVault(passphrase: string): Promise<void> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new Failure('invalid-input', `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  }
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveVaultKey(passphrase, salt, MIN_KDF_ITERATIONS);
  const header: VaultHeader = {
    kdf: 'PBKDF2-SHA-256',
    iterations: MIN_KDF_ITERATIONS,
    salt: toBase64(salt),
    verifier: await seal(key, VERIFIER_TEXT, VERIFIER_CONTEXT),
    createdAt: vaultNow(),
  };
  await withStorageLock(async () => {
    if ((await readHeader()) !== null) throw new VaultStateError('A vault already exists; unlock it instead.');
    await writeLocal([[vaultHeaderItem, header], [secretsItem, {}]]);
  });
  await putSessionKey(key);
}

/**
 * Changes the passphrase: verifies the current one, derives a new key with a new salt, re-encrypts every secret
 * (fresh IVs) and writes header and secrets in one write. If anything fails before that write nothing changes.
 */
export async function changePassphrase(current: string, next: string): Promise<void> {
  if (next.length < MIN_PASSPHRASE_LENGTH) throw new Failure('invalid-input', `Use at least ${MIN_PASSPHRASE_LENGTH} characters for the new passphrase.`);
  const header = await readHeader();
  if (header === null) throw new VaultStateError('There is no vault yet.');
  const oldKey = await keyFromPassphrase(header, current).catch((e: unknown) => {
    throw e instanceof WrongPassphraseError ? new WrongPassphraseError('The current passphrase is not correct.') : e;
  });
  const salt = randomBytes(SALT_BYTES);
  const newKey = await deriveVaultKey(next, salt, MIN_KDF_ITERATIONS);
  await withStorageLock(async () => {
    // Re-read under the lock: a token may have been added while the keys were being derived.
    const latest = await readHeader();
    if (latest === null || latest.salt !== header.salt) throw new VaultStateError('The vault changed meanwhile; try again.');
    const secrets = await readSecrets();
    const resealed: SealedSecrets = {};
    for (const [id, box] of Object.entries(secrets)) {
      resealed[id] = await seal(newKey, await open(oldKey, box, secretContext(id)), secretContext(id));
    }
    const newHeader: VaultHeader = {
      kdf: 'PBKDF2-SHA-256',
      iterations: MIN_KDF_ITERATIONS,
      salt: toBase64(salt),
      verifier: await seal(newKey, VERIFIER_TEXT, VERIFIER_CONTEXT),
      createdAt: header.createdAt,
    };
    await writeLocal([[vaultHeaderItem, newHeader], [secretsItem, resealed]]);
    await putSessionKey(newKey);
  });
}

/**
 * "Forget all": removes everything in `local` but the settings (token records, secrets, salt and verifier, the
 * active token, what was learned about each token's zones, the boards) and everything in `session`. Afterwards
 * `storage.local.get(null)` holds the settings only.
 */
export async function forgetAll(): Promise<void> {
  await withStorageLock(async () => {
    const keys = Object.keys(await browser.storage.local.get(null)).filter((key) => !FORGET_ALL_KEPT_KEYS.has(key));
    await browser.storage.local.remove(keys);
    await browser.storage.session.clear();
    await lockVault();
  });
}

/** Saves the idle period and re-arms the alarm with it. */
export async function setAutoLockMinutes(minutes: number): Promise<void> {
  const settings: Settings = { ...(await getSettings()), autoLockMinutes: minutes };
  if (!isSettings(settings)) throw new Failure('invalid-input', 'Choose between 1 and 1440 minutes.');
  await writeLocal([[settingsItem, settings]]);
  if ((await getVaultState()) === 'unlocked') await scheduleAutoLock();
}


/**
 * Turns expiry notifications on or off. Turning them on asks for the optional `notifications` permission first
 * (call straight from the click): refused, nothing is saved. Resolves whether they are on now.
 */
export async function setNotifyExpiry(on: boolean): Promise<boolean> {
  if (on && !(await requestNotificationPermission())) {
    throw new Failure('invalid-input', 'Notifications were not allowed, so Tokenscope cannot show them. The badge still warns.');
  }
  const settings: Settings = { ...(await getSettings()), notifyExpiry: on };
  await writeLocal([[settingsItem, settings]]);
  if (on) await checkExpiry();
  return on;
}
