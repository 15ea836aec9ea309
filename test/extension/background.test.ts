import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeFor, EXPIRY_WARNING_COLOR, readableOn, shortLabel } from '../../platform/badge';
import { checkExpiry, EXPIRY_ALARM, tokenOfNotification } from '../../platform/expiry';
import { cycleActiveToken, CYCLE_COMMAND, registerBackground } from '../../platform/background';
import { getActiveTokenId, setActiveTokenId, nextUsableTokenId } from '../../platform/tokens';
import { saveToken } from '../../platform/token-writes';
import { AUTO_LOCK_ALARM, getVaultState, setVaultClock } from '../../platform/vault';
import { createVault } from '../../platform/vault-admin';
import type { StoredToken } from '../../platform/storage';

const NOW = Date.parse('2026-06-01T12:00:00Z');
let n = 0;
function token(overrides: Partial<StoredToken> = {}): StoredToken {
  n += 1;
  return {
    id: `dt0c01.${String(n).padStart(24, 'A')}`, label: `T${n}`, color: '#1456c7', environmentUrl: 'http://127.0.0.1:8787',
    owner: 'admin@example.com', name: 'n', personal: true, scopes: [], expiresAt: null, createdAt: 1, production: false,
    lastCheckedAt: 1, lastUsedAt: null, ...overrides,
  };
}
const secretOf = (t: StoredToken) => `${t.id}.${'X'.repeat(64)}`;

async function eventually(check: () => Promise<void> | void): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() - start > 1000) throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

describe('background', () => {
  let commandListener: ((command: string, tab?: undefined) => void) | undefined;
  beforeEach(async () => {
    fakeBrowser.reset();
    setVaultClock(() => NOW);
    commandListener = undefined;
    vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation((cb) => { commandListener = (command) => cb(command, undefined); });
    await createVault('correct horse battery');
  });
  afterEach(() => {
    setVaultClock(() => Date.now());
  });

  it('shows the active token on the badge in its colour, and its label, owner and environment in the title', async () => {
    registerBackground();
    const a = token({ label: 'Production EU', color: '#b3261e', owner: 'support@example.com' });
    await saveToken(a, secretOf(a));
    await eventually(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('Prod'));
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([0xb3, 0x26, 0x1e, 255]);
    expect(await fakeBrowser.action.getTitle({})).toBe('Tokenscope: Production EU — support@example.com on 127.0.0.1:8787');
    await setActiveTokenId(null);
    await eventually(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe(''));
    expect(await fakeBrowser.action.getTitle({})).toBe('Tokenscope: no active token');
  });

  it('registers no message handler: pages share state through storage only', () => {
    const others = [fakeBrowser.runtime.onMessageExternal, fakeBrowser.runtime.onConnect, fakeBrowser.runtime.onConnectExternal]
      .map((event) => vi.spyOn(event, 'addListener').mockImplementation(() => undefined));
    registerBackground();
    expect(fakeBrowser.runtime.onMessage.hasListener(() => undefined)).toBe(false);
    expect((fakeBrowser.runtime.onMessage as unknown as { hasListeners(): boolean }).hasListeners()).toBe(false);
    for (const spy of others) expect(spy).not.toHaveBeenCalled();
  });

  it('cycles through usable tokens on the keyboard command, skipping expired, production and secret-less ones', async () => {
    registerBackground();
    const a = token();
    const expired = token({ expiresAt: NOW - 1 });
    const prod = token({ production: true });
    const b = token();
    for (const t of [a, expired, prod, b]) await saveToken(t, secretOf(t));
    expect(await getActiveTokenId()).toBe(a.id);
    commandListener?.(CYCLE_COMMAND);
    await eventually(async () => expect(await getActiveTokenId()).toBe(b.id));
    expect(await cycleActiveToken(NOW)).toBe(a.id);
    commandListener?.('something-else');
    expect(await getActiveTokenId()).toBe(a.id);
  });

  it('nextUsableTokenId wraps around and returns null when nothing else is usable', () => {
    const [a, b, c] = [token(), token(), token()];
    const all = new Set([a.id, b.id, c.id]);
    expect(nextUsableTokenId([a, b, c], c.id, all, NOW)).toBe(a.id);
    expect(nextUsableTokenId([a, b, c], null, all, NOW)).toBe(a.id);
    expect(nextUsableTokenId([a], a.id, all, NOW)).toBeNull();
    expect(nextUsableTokenId([a, b], a.id, new Set([a.id]), NOW)).toBeNull();
  });

  it('locks the vault when the idle alarm fires after the idle period', async () => {
    registerBackground();
    expect(await getVaultState()).toBe('unlocked');
    setVaultClock(() => NOW + 30 * 60_000 + 1);
    await fakeBrowser.alarms.onAlarm.trigger({ name: AUTO_LOCK_ALARM, scheduledTime: NOW });
    await eventually(async () => expect(await getVaultState()).toBe('locked'));
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it('starts a new browser session locked', async () => {
    registerBackground();
    await fakeBrowser.runtime.onStartup.trigger();
    await eventually(async () => expect(await getVaultState()).toBe('locked'));
  });

  it('badge helpers: four characters, readable text colour, expired tokens greyed', () => {
    expect(shortLabel('  Staging read-only ')).toBe('Stag');
    expect(shortLabel('🚀prod')).toBe('🚀pro');
    expect(readableOn('#ffffff')).toBe('#000000');
    expect(readableOn('#1456c7')).toBe('#ffffff');
    const t = token({ label: 'Old', expiresAt: NOW - 1, color: '#b3261e' });
    expect(badgeFor([t], t.id, NOW)).toMatchObject({ text: 'Old', background: '#5a6170', title: expect.stringContaining('(expired)') });
  });

  it('warns on the badge when the active token expires within a week: its label stays, colour and tooltip warn', () => {
    const DAY = 86_400_000;
    const soon = token({ label: 'Staging', expiresAt: NOW + 3 * DAY, color: '#1456c7' });
    const later = token({ id: 'dt0c01.LATERLATERLATERLATERLATE', label: 'Later', expiresAt: NOW + 30 * DAY, color: '#0f7b3f' });
    expect(badgeFor([soon, later], soon.id, NOW)).toMatchObject({ text: 'Stag', background: EXPIRY_WARNING_COLOR, title: expect.stringContaining('Expiring: Staging in 3 days') });
    // Another token expiring: the active one keeps its colour, the tooltip names the other.
    const view = badgeFor([soon, later], later.id, NOW);
    expect(view).toMatchObject({ text: 'Late', background: '#0f7b3f' });
    expect(view.title).toContain('Expiring: Staging in 3 days. Open Tokenscope to rotate.');
    expect(badgeFor([later], later.id, NOW).title).not.toContain('Expiring');
  });

  it('checks expiry at start-up and daily, with a notification per expiring token only when the user asked for them', async () => {
    const DAY = 86_400_000;
    registerBackground();
    await eventually(async () => expect(await fakeBrowser.alarms.get(EXPIRY_ALARM)).toMatchObject({ periodInMinutes: 1440 }));
    const t = token({ label: 'Soon', expiresAt: NOW + 2 * DAY });
    await saveToken(t, secretOf(t));
    const created: string[] = [];
    const notifications = { create: vi.fn(async (id: string) => { created.push(id); return id; }), onClicked: { addListener: vi.fn() } };
    (fakeBrowser as unknown as { notifications?: unknown }).notifications = notifications;
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    expect(await checkExpiry(NOW)).toEqual([]);
    await fakeBrowser.storage.local.set({ settings: { autoLockMinutes: 30, notifyExpiry: true } });
    expect(await checkExpiry(NOW)).toEqual([t.id]);
    expect(created).toEqual([`tokenscope-expiry:${t.id}`]);
    expect(tokenOfNotification(created[0]!)).toBe(t.id);
    delete (fakeBrowser as unknown as { notifications?: unknown }).notifications;
  });
});
