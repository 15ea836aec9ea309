import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { useVaultStore } from '../../../stores/vault';
import { AUTO_LOCK_ALARM, getSecret, handleAutoLockAlarm, setVaultClock, VaultLockedError } from '../../../platform/vault';
import { removeToken, saveToken } from '../../../platform/token-writes';
import { boardsItem, tokenInsightsItem } from '../../../platform/storage';
import { grantAll, mintToken, setupPinia, storedToken, idOf, eventually } from './helpers';

const PASS = 'correct horse battery';

describe('vault store', () => {
  let clock = 1_800_000_000_000;
  beforeEach(() => {
    fakeBrowser.reset();
    clock = 1_800_000_000_000;
    setVaultClock(() => clock);
    setupPinia({ ...grantAll(), now: () => clock });
  });
  afterEach(() => {
    useVaultStore().dispose();
    setVaultClock(() => Date.now());
  });

  it('starts with no vault, creates one and is unlocked; the key is only in session storage', async () => {
    const vault = useVaultStore();
    await vault.load();
    expect(vault.state).toBe('none');
    expect(await vault.create(PASS)).toBe(true);
    expect(vault.state).toBe('unlocked');
    const local = await fakeBrowser.storage.local.get(null);
    const session = await fakeBrowser.storage.session.get(null);
    expect(Object.keys(local).sort()).toEqual(['secrets', 'secrets$', 'vault', 'vault$']);
    expect(local.vault).toMatchObject({ kdf: 'PBKDF2-SHA-256', iterations: 600_000 });
    expect(atob((local.vault as { salt: string }).salt)).toHaveLength(16);
    expect(typeof session.vaultKey).toBe('string');
    expect(JSON.stringify(local)).not.toContain(session.vaultKey as string);
    // Pinia state holds neither key nor passphrase.
    expect(JSON.stringify(vault.$state)).not.toContain(session.vaultKey as string);
    expect(JSON.stringify(vault.$state)).not.toContain(PASS);
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toBeDefined();
  });

  it('refuses a short passphrase without touching storage', async () => {
    const vault = useVaultStore();
    await vault.load();
    expect(await vault.create('short')).toBe(false);
    expect(vault.error).toMatchObject({ operation: 'create', kind: 'invalid-input' });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('locks, refuses a wrong passphrase, and unlocks with the right one', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    expect(await vault.lock()).toBe(true);
    expect(vault.state).toBe('locked');
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
    expect(await vault.unlock('wrong passphrase')).toBe(false);
    expect(vault.error).toMatchObject({ operation: 'unlock', kind: 'wrong-passphrase' });
    expect(vault.state).toBe('locked');
    expect(await vault.unlock(PASS)).toBe(true);
    expect(vault.state).toBe('unlocked');
    expect(vault.error).toBeNull();
  });

  it('follows a lock made by another page (the idle alarm in the background)', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    clock += 31 * 60_000;
    await handleAutoLockAlarm();
    await eventually(() => expect(vault.state).toBe('locked'));
  });

  it('the idle alarm re-arms instead of locking when there was activity since', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    clock += 10 * 60_000;
    await handleAutoLockAlarm();
    expect(vault.state).toBe('unlocked');
    expect(await fakeBrowser.alarms.get(AUTO_LOCK_ALARM)).toBeDefined();
  });

  it('getSecret locks and throws once the idle period has passed even if the alarm never fired', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    const secret = mintToken();
    await saveToken(storedToken({ id: idOf(secret) }), secret);
    expect(await getSecret(idOf(secret))).toBe(secret);
    clock += 31 * 60_000;
    await expect(getSecret(idOf(secret))).rejects.toBeInstanceOf(VaultLockedError);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it('honours the auto-lock setting', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    expect(await vault.setAutoLockMinutes(5)).toBe(true);
    expect(vault.autoLockMinutes).toBe(5);
    const secret = mintToken();
    await saveToken(storedToken({ id: idOf(secret) }), secret);
    clock += 6 * 60_000;
    await expect(getSecret(idOf(secret))).rejects.toMatchObject({ reason: 'idle' });
  });

  it('changes the passphrase: every secret re-encrypted with fresh IVs, the old passphrase stops working', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    const secrets = [mintToken(), mintToken()];
    for (const s of secrets) await saveToken(storedToken({ id: idOf(s) }), s);
    const before = (await fakeBrowser.storage.local.get('secrets')).secrets as Record<string, { iv: string }>;
    expect(await vault.changePassphrase('not it at all', 'new passphrase 2')).toBe(false);
    expect(vault.error).toMatchObject({ kind: 'wrong-passphrase' });
    expect(await vault.changePassphrase(PASS, 'new passphrase 2')).toBe(true);
    const after = (await fakeBrowser.storage.local.get('secrets')).secrets as Record<string, { iv: string }>;
    for (const s of secrets) {
      expect(after[idOf(s)]!.iv).not.toBe(before[idOf(s)]!.iv);
      expect(await getSecret(idOf(s))).toBe(s);
    }
    await vault.lock();
    expect(await vault.unlock(PASS)).toBe(false);
    expect(await vault.unlock('new passphrase 2')).toBe(true);
    expect(await getSecret(idOf(secrets[0]!))).toBe(secrets[0]);
  });

  it('"Forget all" removes tokens, secrets, salt, verifier and the key; settings stay', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    await vault.setAutoLockMinutes(15);
    const secret = mintToken();
    await saveToken(storedToken({ id: idOf(secret) }), secret);
    expect(await vault.forgetAll()).toBe(true);
    expect(vault.state).toBe('none');
    const local = await fakeBrowser.storage.local.get(null);
    expect(Object.keys(local).filter((k) => !k.startsWith('settings'))).toEqual([]);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it('reading secrets for requests does not extend the idle period; only user activity does', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    const secret = mintToken();
    await saveToken(storedToken({ id: idOf(secret) }), secret);
    // An auto-refreshing page reads the secret every ten minutes: after 30 idle minutes the vault is locked.
    for (const minute of [10, 20, 30]) {
      clock += 10 * 60_000;
      expect(await getSecret(idOf(secret)), `minute ${minute}`).toBe(secret);
    }
    clock += 60_000;
    await expect(getSecret(idOf(secret))).rejects.toEqual(new VaultLockedError('idle'));
    await eventually(() => expect(vault.state).toBe('locked'));
  });

  it('a click or key press (touch) extends the idle period', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    const secret = mintToken();
    await saveToken(storedToken({ id: idOf(secret) }), secret);
    for (let i = 0; i < 4; i += 1) {
      clock += 20 * 60_000;
      await vault.touch();
    }
    // 80 minutes since unlocking, 20 since the last touch.
    expect(await getSecret(idOf(secret))).toBe(secret);
    clock += 31 * 60_000;
    await vault.touch();
    expect(vault.state).toBe('locked');
  });

  it('"Forget all" also erases what was learned about tokens\' zones and the boards', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    await vault.setAutoLockMinutes(15);
    const secret = mintToken();
    await saveToken(storedToken({ id: idOf(secret) }), secret);
    await tokenInsightsItem.setValue({ [idOf(secret)]: { zones: ['Production EU'], allZones: false, checkedAt: clock } });
    await boardsItem.setValue({ 'https://abc.live.dynatrace.com': [] });
    await fakeBrowser.storage.local.set({ leftByAnotherVersion: 1 });
    expect(await vault.forgetAll()).toBe(true);
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).sort()).toEqual(['settings', 'settings$']);
  });

  it('removing a token removes what was learned about its zones, in the same write', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    const [a, b] = [mintToken(), mintToken()];
    await saveToken(storedToken({ id: idOf(a) }), a);
    await saveToken(storedToken({ id: idOf(b) }), b);
    const zones = { zones: ['Staging'], allZones: false, checkedAt: clock };
    await tokenInsightsItem.setValue({ [idOf(a)]: zones, [idOf(b)]: zones });
    expect(await removeToken(idOf(a))).toBe(true);
    expect(Object.keys((await tokenInsightsItem.getValue()) ?? {})).toEqual([idOf(b)]);
  });

  it('refuses a vault header that asks for an absurd iteration count instead of deriving for minutes', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    await vault.lock();
    const { vault: header } = await fakeBrowser.storage.local.get('vault');
    await fakeBrowser.storage.local.set({ vault: { ...(header as object), iterations: 2_000_000_000 } });
    expect(await vault.unlock(PASS)).toBe(false);
    expect(vault.error?.message).toMatch(/2000000000 key-derivation iterations; at most 5000000/);
    expect(vault.state).toBe('locked');
  }, 5_000);

  it('every write of a secret uses a fresh 12-byte IV', async () => {
    const vault = useVaultStore();
    await vault.load();
    await vault.create(PASS);
    const ivs = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const s = mintToken();
      await saveToken(storedToken({ id: idOf(s) }), s);
      const box = ((await fakeBrowser.storage.local.get('secrets')).secrets as Record<string, { iv: string }>)[idOf(s)]!;
      expect(atob(box.iv)).toHaveLength(12);
      ivs.add(box.iv);
    }
    expect(ivs.size).toBe(5);
  });
});
