/**
 * The rules about tokens every surface applies the same way: the five-PAT limit, expiry, the scope that creates and
 * revokes tokens, default colours, how an environment is named. Pure functions over the fields they need, so the
 * popup, the dashboard, the background and the stores share one definition.
 */

/** Dynatrace allows at most five personal access tokens per user and environment. */
export const MAX_PATS_PER_OWNER = 5;

/** Expiry within this window gets a warning (list, badge). */
export const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

/** The scope a token needs to create (and revoke) personal access tokens. */
export const WRITE_SCOPE = 'apiTokens.write';

/** Colours offered for new tokens; also the defaults given to tokens migrated from the first schema (which had none). */
export const TOKEN_COLORS = ['#1456c7', '#0f7b3f', '#b3261e', '#8a4baf', '#b35900', '#00707a', '#5a6170'] as const;

type Expiring = { readonly expiresAt: number | null };
type Owned = { readonly environmentUrl: string; readonly owner: string };

export function isExpired(token: Expiring, now: number): boolean {
  return token.expiresAt !== null && token.expiresAt <= now;
}

/** Not expired yet, but within {@link EXPIRY_WARNING_MS}. */
export function expiresSoon(token: Expiring, now: number): boolean {
  return token.expiresAt !== null && token.expiresAt > now && token.expiresAt - now <= EXPIRY_WARNING_MS;
}

/** Same environment and owner (the unit of the five-PAT limit); owners compare case-insensitively (e-mail addresses). */
export function sameOwner(a: Owned, b: Owned): boolean {
  return a.environmentUrl === b.environmentUrl && a.owner.toLowerCase() === b.owner.toLowerCase();
}

/** How many of `tokens` are PATs of `owner` in `environmentUrl`. */
export function personalTokenCount(tokens: readonly (Owned & { readonly personal: boolean })[], environmentUrl: string, owner: string): number {
  return tokens.filter((t) => t.personal && sameOwner(t, { environmentUrl, owner })).length;
}

/** The colour a new token gets by default: the next one in the palette. */
export function nextColor(tokenCount: number): string {
  return TOKEN_COLORS[tokenCount % TOKEN_COLORS.length] ?? TOKEN_COLORS[0];
}

/** The host of an environment URL or origin (`abc12345.live.dynatrace.com`, `127.0.0.1:8787`); the text itself if it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The origin of an environment URL (what host permissions and the client's origin pin are about). */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * A plain copy of JSON-shaped data. Extension storage serialises a Vue reactive proxy's arrays as objects, so every
 * value that may come from reactive state is copied like this before it is stored.
 */
export function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
