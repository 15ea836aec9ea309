import type { Confirmation } from './useConfirm';

/** What the dialog shows for a {@link Confirmation}. */
export interface ConfirmText {
  title: string;
  message: string;
  confirmLabel: string;
  danger: boolean;
}

export function confirmText(c: Confirmation): ConfirmText {
  switch (c.kind) {
    case 'activate':
      return {
        title: 'Switch to a production token?', confirmLabel: 'Switch', danger: false,
        message: `"${c.label}" is tagged production: queries will run as ${c.owner} on ${c.host}.`,
      };
    case 'revoke':
      return {
        title: 'Revoke this token?', confirmLabel: 'Revoke token', danger: true,
        message: `"${c.label}" will be deleted in Dynatrace and stop working everywhere, then removed here.`,
      };
    case 'rotate':
      return {
        title: 'Rotate this token?', confirmLabel: 'Rotate token', danger: false,
        message: `A new token with the same scopes and validity length replaces "${c.label}" under the same label; then the old one is revoked in Dynatrace. It needs a free slot of ${c.owner}'s five for a moment.`,
      };
    case 'revoke-server':
      return {
        title: 'Revoke this token in Dynatrace?', confirmLabel: 'Revoke token', danger: true,
        message: `"${c.name}" of ${c.owner} is not stored here. It will be deleted in Dynatrace and stop working everywhere.`,
      };
    case 'remove':
      return {
        title: 'Remove this token from Tokenscope?', confirmLabel: 'Remove token', danger: true,
        message: `"${c.label}" and its encrypted secret are removed from this browser. It keeps working in Dynatrace.`,
      };
    case 'forget':
      return {
        title: 'Erase all tokens?', confirmLabel: 'Erase everything', danger: true,
        message: 'Every stored token, its secret, the vault salt and verifier, and the overview boards are erased from this browser. This cannot be undone.',
      };
  }
}

