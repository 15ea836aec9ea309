import { nextTick, ref, shallowReactive, type Component, type Ref } from 'vue';

/** What the list screen can put keyboard focus on when a screen or an action comes back to it. */
export type ListFocus = { token: string } | 'heading';

/** The list screen's handle for focus (exposed by `ListScreen.vue`). */
export interface ListFocusTarget {
  focus(target: ListFocus): void;
}

type Loader = () => Promise<{ default: unknown }>;

/**
 * The popup's screens: which one shows, loading each (but the list) the first time it is needed, and where keyboard
 * focus goes when the list comes back. `loaders` holds every lazily loaded part (screens, the dialog, the reveal);
 * a part that fails to load calls `onLoadError` and the screen stays as it was.
 */
export function useScreen<Lazy extends string, View extends Lazy | 'list'>(options: {
  loaders: Record<Lazy, Loader>;
  onLoadError: () => void;
}) {
  const view = ref('list') as Ref<View | 'list'>;
  const parts = shallowReactive({}) as Partial<Record<Lazy, Component>>;
  const list = ref<ListFocusTarget | null>(null);

  /** Loads a part the first time; `false` if that failed (then `onLoadError` has been called). */
  async function need(name: Lazy): Promise<boolean> {
    if (parts[name] !== undefined) return true;
    try {
      parts[name] = (await options.loaders[name]()).default as Component;
      return true;
    } catch {
      options.onLoadError();
      return false;
    }
  }

  /** Shows a screen (loading it first); `false` if it could not be loaded. */
  async function show(next: View): Promise<boolean> {
    if (next !== 'list' && !(await need(next as unknown as Lazy))) return false;
    view.value = next;
    return true;
  }

  /** Back to the list, with keyboard focus on `focus` (a token's menu button, or the list heading). */
  async function back(focus: ListFocus = 'heading'): Promise<void> {
    view.value = 'list';
    await nextTick();
    list.value?.focus(focus);
  }

  /** Keyboard focus on the list (when the list itself changed under it: an item removed, a check finished). */
  async function focusList(focus: ListFocus): Promise<void> {
    await nextTick();
    list.value?.focus(focus);
  }

  return { view, parts, list, need, show, back, focusList };
}
