/**
 * The toolbar button shows the active identity: the badge carries the token's short label on its colour, the
 * tooltip its label, owner and environment. The background keeps it in sync with storage; nothing is kept in the
 * service worker's memory (it is stopped when idle), every update re-reads storage.
 */
import { browser } from 'wxt/browser';
import { expiresSoon, isExpired } from '../lib/tokens/rules';
import { relativeTime } from '../lib/time/relative';
import { getActiveTokenId, getTokens, watchActiveTokenId, watchTokens, type StoredToken } from './tokens';

export interface BadgeView {
  text: string;
  background: string;
  /** Black or white, whichever reads better on `background`. */
  foreground: string;
  title: string;
}

const NEUTRAL = '#5a6170';
/**
 * The badge's warning colour: the active token expires within a week. The badge text stays the token's label (who
 * you are is the badge's first job); the colour and the tooltip carry the warning.
 */
export const EXPIRY_WARNING_COLOR = '#b35900';

/** Up to four characters of the label (the badge shows about four). */
export function shortLabel(label: string): string {
  return Array.from(label.trim()).slice(0, 4).join('');
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The text colour with more contrast on `background`. */
export function readableOn(background: string): string {
  const l = luminance(background);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/** What the toolbar button should show for this state. Pure, for tests and for the background. */
export function badgeFor(tokens: readonly StoredToken[], activeId: string | null, now: number): BadgeView {
  const soon = tokens.filter((t) => expiresSoon(t, now));
  const warning = soon.length === 0 ? '' : `\nExpiring: ${soon.map((t) => `${t.label} ${relativeTime(t.expiresAt ?? now, now)}`).join(', ')}. Open Tokenscope to rotate.`;
  const token = tokens.find((t) => t.id === activeId);
  if (token === undefined) {
    return { text: '', background: NEUTRAL, foreground: '#ffffff', title: `Tokenscope: no active token${warning}` };
  }
  const host = new URL(token.environmentUrl).host;
  const expired = isExpired(token, now);
  const background = expired ? NEUTRAL : expiresSoon(token, now) ? EXPIRY_WARNING_COLOR : token.color;
  return {
    text: shortLabel(token.label),
    background,
    foreground: readableOn(background),
    title: `Tokenscope: ${token.label}${expired ? ' (expired)' : ''} — ${token.owner} on ${host}${token.production ? ' (production)' : ''}${warning}`,
  };
}

type ActionApi = Pick<typeof browser.action, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'> & {
  setBadgeTextColor?: typeof browser.action.setBadgeTextColor;
};

/** `action` in MV3, `browserAction` in Firefox's MV2 build. */
function actionApi(): ActionApi | undefined {
  const b = browser as unknown as { action?: ActionApi; browserAction?: ActionApi };
  return b.action ?? b.browserAction;
}

/** Applies a {@link BadgeView} to the toolbar button. */
export async function applyBadge(view: BadgeView): Promise<void> {
  const action = actionApi();
  if (action === undefined) return;
  await action.setBadgeText({ text: view.text });
  await action.setBadgeBackgroundColor({ color: view.background });
  // Chrome 110+ and Firefox; older browsers pick a colour themselves.
  if (typeof action.setBadgeTextColor === 'function') await action.setBadgeTextColor({ color: view.foreground });
  await action.setTitle({ title: view.title });
}

/** Re-reads storage and updates the toolbar button. */
export async function refreshBadge(now: number = Date.now()): Promise<BadgeView> {
  const [tokens, activeId] = await Promise.all([getTokens(), getActiveTokenId()]);
  const view = badgeFor(tokens, activeId, now);
  await applyBadge(view);
  return view;
}

/** Keeps the badge in sync with the token list and the active id. Returns the stop function. */
export function startBadgeSync(onError: (error: unknown) => void): () => void {
  const refresh = (): void => {
    refreshBadge().catch(onError);
  };
  const stops = [watchTokens(refresh), watchActiveTokenId(refresh)];
  refresh();
  return () => stops.forEach((stop) => stop());
}
