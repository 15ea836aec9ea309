/**
 * The flows of a token row's secondary actions, loaded the first time one is chosen: check again, revoke, remove,
 * rotate and finishing a rotation. Each asks where it must, acts through the stores, says what happened in the live
 * region and puts keyboard focus where the user continues (the row's menu button, or the heading when the row is
 * gone). Rotation outcomes (`lib/tokens/rotation.ts`) read as what the user has now.
 */
import type { TokenAction } from '../components/TokenListItem.vue';
import { hostOf } from '../lib/tokens/rules';
import type { useHygieneStore } from '../stores/hygiene';
import type { useTokensStore } from '../stores/tokens';
import type { PopupContext } from './context';

interface Deps {
  tokens: ReturnType<typeof useTokensStore>;
  /** Loaded after the list is painted; `null` until then (rotation waits for it). */
  hygiene: ReturnType<typeof useHygieneStore> | null;
  popup: PopupContext;
}

async function recheck(id: string, { tokens, popup }: Deps): Promise<void> {
  const before = tokens.tokens.find((t) => t.id === id);
  if (before === undefined) return;
  popup.checks[id] = { state: 'checking', message: `Checking with ${hostOf(before.environmentUrl)}…` };
  const after = await tokens.recheckToken(id);
  if (after === null) {
    const e = tokens.error;
    if (e?.operation === 'recheck') {
      popup.checks[id] = { state: 'error', failure: e };
      tokens.clearError();
    } else {
      delete popup.checks[id];
    }
  } else {
    const message = await import('./check-message')
      .then(({ checkMessage }) => checkMessage(before, after, tokens.expired(after)))
      .catch(() => `Checked: "${after.label}" works.`);
    popup.checks[id] = { state: 'ok', message };
    popup.announce(message);
  }
  // The row's buttons were disabled while checking, which drops focus: give it back.
  if (document.activeElement === null || document.activeElement === document.body) await popup.focusList({ token: id });
}

async function rotate(id: string, { tokens, hygiene, popup }: Deps): Promise<void> {
  const t = tokens.tokens.find((x) => x.id === id);
  if (t === undefined || hygiene === null) return;
  if (!(await popup.ask({ kind: 'rotate', label: t.label, owner: t.owner }))) return;
  const outcome = await hygiene.rotate(id);
  if (outcome === null) return;
  if (outcome.state === 'rotated') popup.announce(`Rotated "${t.label}": the new token is stored under the same label and the old one is revoked.`);
  else if (outcome.state === 'store-failed') await popup.reveal({ label: t.label, secret: outcome.secret, stored: false });
  await popup.focusList({ token: outcome.state === 'create-failed' ? id : outcome.newId });
}

export async function runRowAction(action: Exclude<TokenAction, 'edit'>, id: string, deps: Deps): Promise<void> {
  const { tokens, hygiene, popup } = deps;
  const label = tokens.tokens.find((t) => t.id === id)?.label ?? id;
  switch (action) {
    case 'recheck':
      return recheck(id, deps);
    case 'rotate':
      return rotate(id, deps);
    case 'finish-rotation': {
      const outcome = await hygiene?.finish(id);
      if (outcome?.state === 'rotated') popup.announce(`Revoked the old "${label}": the rotation is complete.`);
      return popup.focusList({ token: id });
    }
    case 'revoke':
      if (!(await popup.ask({ kind: 'revoke', label }))) return;
      if (await tokens.revokeToken(id)) popup.announce(`Revoked "${label}".`);
      // The item (and the button that had focus) may be gone: keep keyboard users in the list.
      return popup.focusList({ token: id });
    case 'acknowledge-address':
      if (await tokens.acknowledgeAddress(id)) popup.announce(`Noted the new address of "${label}".`);
      return popup.focusList({ token: id });
    case 'remove':
      if (!(await popup.ask({ kind: 'remove', label }))) return;
      if (await tokens.removeToken(id)) popup.announce(`Removed "${label}".`);
      return popup.focusList({ token: id });
  }
}
