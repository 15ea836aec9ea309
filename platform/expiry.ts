/**
 * Expiry alerts. Dynatrace sends expiry notifications for ActiveGate tokens only; Tokenscope checks the stored
 * tokens at start-up and daily (a `browser.alarms` alarm, as MV3 workers are stopped when idle), refreshes the badge
 * (its colour and tooltip warn, see `./badge.ts`) and, when the user turned it on in Settings (the optional
 * `notifications` permission is asked for then, never at install), shows one system notification per expiring
 * token; clicking it opens the popup on that token's "Rotate" confirmation.
 */
import { browser } from 'wxt/browser';
import { expiresSoon } from '../lib/tokens/rules';
import { relativeTime } from '../lib/time/relative';
import { refreshBadge } from './badge';
import { getTokens } from './tokens';
import { getSettings } from './vault';

export const EXPIRY_ALARM = 'tokenscope:expiry-check';
/** Notification ids are this prefix and the token id: a later check replaces a notification instead of adding one. */
const NOTIFICATION_PREFIX = 'tokenscope-expiry:';

/** Starts the daily check (re-creating it keeps one alarm) and runs one now. */
export async function scheduleExpiryChecks(): Promise<void> {
  await browser.alarms.create(EXPIRY_ALARM, { delayInMinutes: 1, periodInMinutes: 24 * 60 });
  await checkExpiry();
}

type NotificationsApi = {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string }): Promise<string>;
};

function notificationsApi(): NotificationsApi | undefined {
  return (browser as unknown as { notifications?: NotificationsApi }).notifications;
}

/** Whether the user granted the optional `notifications` permission. */
export function hasNotificationPermission(): Promise<boolean> {
  return browser.permissions.contains({ permissions: ['notifications'] });
}

/** Asks for the `notifications` permission; call straight from the click that turns notifications on. */
export function requestNotificationPermission(): Promise<boolean> {
  return browser.permissions.request({ permissions: ['notifications'] });
}

/** The badge now, and a notification for each token expiring within a week when the user asked for them. */
export async function checkExpiry(now: number = Date.now()): Promise<string[]> {
  await refreshBadge(now);
  const soon = (await getTokens()).filter((t) => expiresSoon(t, now));
  const settings = await getSettings();
  const api = notificationsApi();
  if (soon.length === 0 || settings.notifyExpiry !== true || api === undefined || !(await hasNotificationPermission())) return [];
  for (const t of soon) {
    await api.create(`${NOTIFICATION_PREFIX}${t.id}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: `Tokenscope: "${t.label}" expires ${relativeTime(t.expiresAt ?? now, now)}`,
      message: `${t.owner}'s token. Click to rotate it: a new token replaces it under the same label.`,
    });
  }
  return soon.map((t) => t.id);
}

/** The token a clicked notification is about, or `null` for another notification. */
export function tokenOfNotification(notificationId: string): string | null {
  return notificationId.startsWith(NOTIFICATION_PREFIX) ? notificationId.slice(NOTIFICATION_PREFIX.length) : null;
}

/** Opens the popup page on a token's rotation (the popup reads `#rotate=<id>`). */
export async function openRotation(tokenId: string): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(`/popup.html#rotate=${encodeURIComponent(tokenId)}`) });
}
