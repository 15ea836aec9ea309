import { shallowRef } from 'vue';
import type { ConfirmText } from './confirm-text';

/** Every question the popup asks before acting, with the words it asks in. */
export type Confirmation =
  | { kind: 'activate'; label: string; owner: string; host: string }
  | { kind: 'revoke'; label: string }
  | { kind: 'rotate'; label: string; owner: string }
  | { kind: 'revoke-server'; name: string; owner: string }
  | { kind: 'remove'; label: string }
  | { kind: 'forget' };

/**
 * One confirmation at a time: `ask` opens the dialog with a typed question and resolves `true` when the person
 * confirms, `false` when they cancel or when something else closes it (a lock: see `dismiss`).
 */
export function useConfirm(open: () => Promise<boolean>) {
  // The words load with the dialog, the first time a question is asked.
  const pending = shallowRef<(Confirmation & ConfirmText) | null>(null);
  let settle: ((yes: boolean) => void) | null = null;

  async function ask(c: Confirmation): Promise<boolean> {
    settle?.(false);
    const [opened, words] = await Promise.all([open(), import('./confirm-text').catch(() => null)]);
    if (!opened || words === null) return false;
    pending.value = { ...c, ...words.confirmText(c) };
    return new Promise<boolean>((resolve) => { settle = resolve; });
  }

  function answer(yes: boolean): void {
    const resolve = settle;
    settle = null;
    pending.value = null;
    resolve?.(yes);
  }

  /** Closes the dialog as cancelled, unless it asks `keep` (a lock keeps "Erase everything", which needs no vault). */
  function dismiss(keep?: Confirmation['kind']): void {
    if (pending.value !== null && pending.value.kind !== keep) answer(false);
  }

  return { pending, ask, answer, dismiss };
}
