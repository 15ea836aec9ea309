import { inject, type InjectionKey } from 'vue';
import type { CheckView } from '../components/token-view';
import type { Confirmation } from './composables/useConfirm';
import type { ListFocus } from './composables/useScreen';

/** The screens a popup shows besides the list. */
export type PopupView = 'add' | 'create' | 'edit' | 'settings';

/** What `PopupApp.vue` lends its screens: navigation, the confirmation dialog, the live region, per-popup state. */
export interface PopupContext {
  show(view: PopupView): Promise<boolean>;
  /** Back to the list, focus on `focus`. */
  back(focus?: ListFocus): Promise<void>;
  /** Keyboard focus on the list without changing screens. */
  focusList(focus: ListFocus): Promise<void>;
  ask(c: Confirmation): Promise<boolean>;
  /** Says something in the polite live region. */
  announce(text: string): void;
  /** Starts editing a token (the edit screen reads the id). */
  edit(id: string): void;
  /** Shows a new token's secret once (a created token, or a rotated one that could not be stored). */
  reveal(created: { label: string; secret: string; stored: boolean }): Promise<void>;
  /** The outcome of "Check again" per token id, while the popup is open; cleared on lock. */
  checks: Record<string, CheckView>;
}

export const POPUP_CONTEXT: InjectionKey<PopupContext> = Symbol('popup-context');

export function usePopup(): PopupContext {
  const ctx = inject(POPUP_CONTEXT);
  if (ctx === undefined) throw new Error('usePopup() outside PopupApp');
  return ctx;
}
