import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { redactSecrets } from '../lib/log/redact';
import { DEFAULT_SETTINGS } from '../platform/storage';
import {
  changePassphrase as changeVaultPassphrase, createVault, forgetAll as forgetVault, getSettings, getVaultState,
  lockVault, MIN_PASSPHRASE_LENGTH, setAutoLockMinutes as saveAutoLockMinutes, touchVault, unlockVault,
  VaultStateError, watchSettings, watchVaultState, WrongPassphraseError, type VaultState,
} from '../platform/vault';

export type VaultOperation = 'load' | 'create' | 'unlock' | 'lock' | 'forget' | 'change-passphrase' | 'settings';

export type VaultErrorCode = 'wrong-passphrase' | 'too-short' | 'mismatch' | 'state' | 'unexpected';

/** A vault failure, for the UI (`message` is a sentence for the user). */
export interface VaultError {
  operation: VaultOperation;
  code: VaultErrorCode;
  message: string;
}

function toVaultError(operation: VaultOperation, error: unknown): VaultError {
  if (error instanceof WrongPassphraseError) {
    const message = operation === 'change-passphrase' ? 'The current passphrase is not correct.' : 'Wrong passphrase: the vault did not open.';
    return { operation, code: 'wrong-passphrase', message };
  }
  if (error instanceof VaultStateError) return { operation, code: 'state', message: error.message };
  if (error instanceof RangeError) return { operation, code: 'too-short', message: error.message };
  const text = error instanceof Error ? error.message : String(error);
  return { operation, code: 'unexpected', message: redactSecrets(`Something went wrong: ${text}`) };
}

/**
 * The vault's state for the UI: whether it exists and is unlocked, the idle setting, and the actions. Follows
 * changes made by other pages and by the idle alarm. Holds no key and no passphrase.
 */
export const useVaultStore = defineStore('vault', () => {
  /** `loading` until the first read. */
  const state = ref<VaultState | 'loading'>('loading');
  const status = ref<'idle' | 'loading' | 'success' | 'error'>('idle');
  const error = ref<VaultError | null>(null);
  /** The operation in progress (key derivation takes about half a second). */
  const busy = ref<VaultOperation | null>(null);
  const autoLockMinutes = ref(DEFAULT_SETTINGS.autoLockMinutes);
  const locked = computed(() => state.value !== 'unlocked');

  let stops: (() => void)[] = [];

  async function load(): Promise<void> {
    status.value = 'loading';
    if (stops.length === 0) {
      stops = [
        watchVaultState((next) => { state.value = next; }),
        watchSettings((settings) => { autoLockMinutes.value = settings.autoLockMinutes; }),
      ];
    }
    try {
      const [current, settings] = await Promise.all([getVaultState(), getSettings()]);
      state.value = current;
      autoLockMinutes.value = settings.autoLockMinutes;
      if (current === 'unlocked') await touchVault();
      state.value = await getVaultState();
      status.value = 'success';
    } catch (e) {
      error.value = toVaultError('load', e);
      status.value = 'error';
    }
  }

  async function run(operation: VaultOperation, fn: () => Promise<void>): Promise<boolean> {
    busy.value = operation;
    status.value = 'loading';
    error.value = null;
    try {
      await fn();
      state.value = await getVaultState();
      status.value = 'success';
      return true;
    } catch (e) {
      error.value = toVaultError(operation, e);
      status.value = 'error';
      return false;
    } finally {
      busy.value = null;
    }
  }

  /** First use: creates the vault with this passphrase and unlocks it. */
  function create(passphrase: string): Promise<boolean> {
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      error.value = { operation: 'create', code: 'too-short', message: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.` };
      status.value = 'error';
      return Promise.resolve(false);
    }
    return run('create', () => createVault(passphrase));
  }

  function unlock(passphrase: string): Promise<boolean> {
    return run('unlock', () => unlockVault(passphrase));
  }

  function lock(): Promise<boolean> {
    return run('lock', () => lockVault());
  }

  /** Removes every token, secret, salt and verifier; the next screen is "create a vault". */
  function forgetAll(): Promise<boolean> {
    return run('forget', () => forgetVault());
  }

  /** Re-encrypts everything under a key from `next`, in one write. */
  function changePassphrase(current: string, next: string): Promise<boolean> {
    if (next.length < MIN_PASSPHRASE_LENGTH) {
      error.value = { operation: 'change-passphrase', code: 'too-short', message: `Use at least ${MIN_PASSPHRASE_LENGTH} characters for the new passphrase.` };
      status.value = 'error';
      return Promise.resolve(false);
    }
    return run('change-passphrase', () => changeVaultPassphrase(current, next));
  }

  function setAutoLockMinutes(minutes: number): Promise<boolean> {
    return run('settings', async () => {
      await saveAutoLockMinutes(minutes);
      autoLockMinutes.value = minutes;
    });
  }

  /**
   * A person used the page (a click, a key press): the idle lock counts from now. Requests never call this, so a
   * page refreshing by itself lets the vault lock on time. Failures are ignored: the next use checks again.
   */
  async function touch(): Promise<void> {
    if (state.value !== 'unlocked') return;
    try {
      await touchVault();
      state.value = await getVaultState();
    } catch {
      // Storage unavailable for a moment: nothing to extend, and the lock still happens on time.
    }
  }

  function clearError(): void {
    error.value = null;
  }

  /** Stops following storage (tests; pages simply close). */
  function dispose(): void {
    stops.forEach((stop) => stop());
    stops = [];
  }

  return {
    state, status, error, busy, autoLockMinutes, locked,
    load, create, unlock, lock, forgetAll, changePassphrase, setAutoLockMinutes, touch, clearError, dispose,
  };
});
