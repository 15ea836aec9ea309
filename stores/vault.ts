import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FailureView } from '../lib/failure/failure';
import { DEFAULT_SETTINGS } from '../platform/storage';
import { getSettings, getVaultState, lockVault, touchVault, unlockVault, watchSettings, watchVaultState, type VaultState } from '../platform/vault';

/** The rarely used operations (create, change passphrase, forget all, idle setting), loaded when one runs. */
const admin = () => import('../platform/vault-admin');

export { AUTO_LOCK_CHOICES } from '../platform/storage';
export { MIN_PASSPHRASE_LENGTH } from '../platform/vault';

export type VaultOperation = 'load' | 'create' | 'unlock' | 'lock' | 'forget' | 'change-passphrase' | 'settings';

/** A failed vault operation, as people read it (see `lib/failure/describe.ts`), and which operation it was. */
export type VaultError = FailureView & { operation: VaultOperation };

/** Describes a vault failure with the one describer, loaded on demand (the unlock screen's first load lacks it). */
async function toVaultError(operation: VaultOperation, error: unknown): Promise<VaultError> {
  try {
    const { describeFailure } = await import('../lib/failure/describe');
    return { ...describeFailure(error, { operation: 'vault' }), operation };
  } catch {
    return { operation, kind: 'load-failed', title: 'Part of Tokenscope did not load', message: 'Close the popup and open it again.', actions: [] };
  }
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
  const notifyExpiry = ref(false);
  const locked = computed(() => state.value !== 'unlocked');

  let stops: (() => void)[] = [];

  async function load(): Promise<void> {
    status.value = 'loading';
    if (stops.length === 0) {
      stops = [
        watchVaultState((next) => { state.value = next; }),
        watchSettings((settings) => { autoLockMinutes.value = settings.autoLockMinutes; notifyExpiry.value = settings.notifyExpiry === true; }),
      ];
    }
    try {
      const [current, settings] = await Promise.all([getVaultState(), getSettings()]);
      state.value = current;
      autoLockMinutes.value = settings.autoLockMinutes;
      notifyExpiry.value = settings.notifyExpiry === true;
      if (current === 'unlocked') await touchVault();
      state.value = await getVaultState();
      status.value = 'success';
    } catch (e) {
      error.value = await toVaultError('load', e);
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
      error.value = await toVaultError(operation, e);
      status.value = 'error';
      return false;
    } finally {
      busy.value = null;
    }
  }

  /** First use: creates the vault with this passphrase and unlocks it. */
  function create(passphrase: string): Promise<boolean> {
    // A short passphrase is refused by createVault before any key is derived.
    return run('create', async () => (await admin()).createVault(passphrase));
  }

  function unlock(passphrase: string): Promise<boolean> {
    return run('unlock', () => unlockVault(passphrase));
  }

  function lock(): Promise<boolean> {
    return run('lock', () => lockVault());
  }

  /** Removes every token, secret, salt and verifier; the next screen is "create a vault". */
  function forgetAll(): Promise<boolean> {
    return run('forget', async () => (await admin()).forgetAll());
  }

  /** Re-encrypts everything under a key from `next`, in one write. */
  function changePassphrase(current: string, next: string): Promise<boolean> {
    return run('change-passphrase', async () => (await admin()).changePassphrase(current, next));
  }

  function setAutoLockMinutes(minutes: number): Promise<boolean> {
    return run('settings', async () => {
      await (await admin()).setAutoLockMinutes(minutes);
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

  /** Expiry notifications on or off; on asks for the permission first (call straight from the click). */
  function setNotifyExpiry(on: boolean): Promise<boolean> {
    return run('settings', async () => {
      notifyExpiry.value = await (await admin()).setNotifyExpiry(on);
    });
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
    state, status, error, busy, autoLockMinutes, notifyExpiry, locked,
    load, create, unlock, lock, forgetAll, changePassphrase, setAutoLockMinutes, setNotifyExpiry, touch, clearError, dispose,
  };
});
