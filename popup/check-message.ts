/**
 * What "Check again" found, as one sentence for the token's item and for screen readers. Loaded with the check
 * (dynamic import), not with the popup.
 */
import type { StoredToken } from '../stores/tokens';

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

type Checked = Pick<StoredToken, 'label' | 'scopes' | 'expiresAt'>;

/** What a fresh lookup changed about a token (scopes granted or taken away on the server, expiry). */
export interface TokenChanges {
  addedScopes: string[];
  removedScopes: string[];
  /** The expiry differs (`after.expiresAt` is the new one, `null`: never). */
  expiryChanged: boolean;
}

export function tokenChanges(before: Checked, after: Checked): TokenChanges {
  return {
    addedScopes: after.scopes.filter((s) => !before.scopes.includes(s)),
    removedScopes: before.scopes.filter((s) => !after.scopes.includes(s)),
    expiryChanged: before.expiresAt !== after.expiresAt,
  };
}

/** The sentence shown after a successful check; `expired` is the store's verdict on `after`. */
export function checkMessage(before: Checked, after: Checked, expired: boolean): string {
  const changes = tokenChanges(before, after);
  const parts: string[] = [];
  if (changes.addedScopes.length > 0 || changes.removedScopes.length > 0) {
    const what = [
      ...(changes.addedScopes.length > 0 ? [`added ${changes.addedScopes.join(', ')}`] : []),
      ...(changes.removedScopes.length > 0 ? [`removed ${changes.removedScopes.join(', ')}`] : []),
    ];
    parts.push(`Scopes changed: ${what.join('; ')}.`);
  }
  if (!expired && changes.expiryChanged) {
    parts.push(after.expiresAt === null ? 'It no longer expires.' : `It now expires ${dateFormat.format(after.expiresAt)}.`);
  }
  const state = expired ? `"${after.label}" has expired.` : `"${after.label}" works.`;
  return parts.length === 0 && !expired ? `Checked: "${after.label}" works; nothing changed.` : `Checked: ${[state, ...parts].join(' ')}`;
}
