/**
 * Everything the background service worker does, registered synchronously at start-up (MV3 only delivers events to
 * listeners added in the first turn). It keeps no state in memory: each event re-reads storage.
 *
 * - `alarms.onAlarm` (the idle lock),
 * - `commands.onCommand` (`cycle-token`),
 * - the toolbar badge, following storage changes,
 * - `runtime.onStartup`: a new browser session starts locked (the browser already emptied `storage.session`;
 *   the idle alarm of the previous session is cleared),
 * - the daily expiry check (`./expiry.ts`) and its notifications' clicks.
 *
 * There is no `runtime.onMessage`/`onConnect` handler: pages share state through storage only, so there is nothing
 * another extension, a web page or a compromised renderer could message.
 */
import { browser } from 'wxt/browser';
import { createLogger } from '../lib/log/logger';
import { startBadgeSync } from './badge';
import { withStorageLock } from './locks';
import { getActiveTokenId, getTokens, nextUsableTokenId } from './tokens';
import { activeTokenIdItem } from './storage';
import { AUTO_LOCK_ALARM, getSecretIds, handleAutoLockAlarm, lockVault } from './vault';
import { checkExpiry, EXPIRY_ALARM, openRotation, scheduleExpiryChecks, tokenOfNotification } from './expiry';

const log = createLogger('background');

/** The manifest command that cycles tokens (wxt.config.ts). */
export const CYCLE_COMMAND = 'cycle-token';

/**
 * Switches to the next usable token (see `nextUsableTokenId`). Resolves the new active id, or `null` if there is
 * nothing to switch to (the active token stays).
 */
export async function cycleActiveToken(now: number = Date.now()): Promise<string | null> {
  return withStorageLock(async () => {
    const [tokens, activeId, secretIds] = await Promise.all([getTokens(), getActiveTokenId(), getSecretIds()]);
    const next = nextUsableTokenId(tokens, activeId, new Set(secretIds), now);
    if (next !== null) await activeTokenIdItem.setValue(next);
    return next;
  });
}

/** Registers the background's listeners. Call once, synchronously, from the background entry point. */
export function registerBackground(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === AUTO_LOCK_ALARM) handleAutoLockAlarm().catch((error: unknown) => log.error('auto-lock failed', error));
    if (alarm.name === EXPIRY_ALARM) checkExpiry().catch((error: unknown) => log.error('expiry check failed', error));
  });
  browser.commands?.onCommand.addListener((command) => {
    if (command === CYCLE_COMMAND) cycleActiveToken().catch((error: unknown) => log.error('cycle-token failed', error));
  });
  browser.runtime.onStartup.addListener(() => {
    lockVault().catch((error: unknown) => log.error('lock on start-up failed', error));
  });
  // The default already, made explicit: the vault key in session storage is for extension pages only, never for
  // content scripts (Chrome 102+; Firefox has no access levels and no content scripts here).
  const session = browser.storage.session as { setAccessLevel?: (options: { accessLevel: string }) => Promise<void> };
  session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })?.catch((error: unknown) => log.error('session access level', error));
  startBadgeSync((error) => log.error('badge update failed', error));
  // At start-up (of the browser or of the worker after an update) and then daily.
  scheduleExpiryChecks().catch((error: unknown) => log.error('expiry check failed', error));
  const notifications = (browser as unknown as { notifications?: { onClicked: { addListener(cb: (id: string) => void): void } } }).notifications;
  notifications?.onClicked.addListener((id) => {
    const tokenId = tokenOfNotification(id);
    if (tokenId !== null) openRotation(tokenId).catch((error: unknown) => log.error('opening the rotation failed', error));
  });
}
