import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import { starterTiles, type TileSummary } from '../lib/board/tile-summary';
import { newTileId } from '../lib/board/tiles';
import { plainCopy } from '../lib/tokens/rules';
import { overviewValuesItem, type StoredToken } from '../platform/storage';
import { useBoardStore } from '../stores/board';
import { BOARD_CONCURRENCY, createLimiter } from './useLimiter';

/** The popup shows this many tiles of the board at most. */
export const POPUP_TILES = 6;

/**
 * The popup's overview: the active token's environment board (the same tiles and storage item as the dashboard's
 * Overview), at most six tiles. Values kept for this token in session storage are shown at once; then each tile is
 * asked once per popup open, through the same bounded runner as the board (eight at a time) and the tile query of
 * `lib/board/run-tile.ts`. A switch aborts the requests of the previous token and shows only the new token's values
 * (its kept ones, or none). A failing tile keeps its cause; the others are unaffected. The kept values paint before
 * the refreshing code (the API client among it: composables/popup-overview-refresh.ts) is loaded.
 */
export function usePopupOverview(token: Ref<StoredToken | null>) {
  const board = useBoardStore();
  const values = ref<Record<string, TileSummary>>({});
  const loading = ref<string[]>([]);
  const limiter = createLimiter(BOARD_CONCURRENCY);
  let controller: AbortController | null = null;

  const tiles = computed(() => board.tiles.slice(0, POPUP_TILES));

  async function keep(tokenId: string, next: Record<string, TileSummary>): Promise<void> {
    const all = (await overviewValuesItem.getValue()) ?? {};
    await overviewValuesItem.setValue({ ...all, [tokenId]: plainCopy(next) });
  }

  async function refresh(t: StoredToken): Promise<void> {
    controller?.abort();
    const ctrl = new AbortController();
    controller = ctrl;
    loading.value = tiles.value.map((tile) => tile.id);
    const { refreshTiles } = await import('./popup-overview-refresh');
    if (controller !== ctrl) return;
    await refreshTiles(t, tiles.value, limiter, ctrl.signal, (tileId, summary) => {
      // A late answer of a token no longer active is dropped.
      if (controller !== ctrl || token.value?.id !== t.id) return;
      values.value = { ...values.value, [tileId]: summary };
      loading.value = loading.value.filter((id) => id !== tileId);
    });
    if (controller === ctrl) await keep(t.id, values.value);
  }

  /** The token on show changed: its kept values at once (never the previous token's), then a fresh answer. */
  async function show(t: StoredToken | null): Promise<void> {
    controller?.abort();
    values.value = {};
    loading.value = [];
    if (t === null) return;
    board.environmentUrl = t.environmentUrl;
    const [, all] = await Promise.all([board.load(), overviewValuesItem.getValue()]);
    const kept = (all ?? {})[t.id] ?? {};
    if (token.value?.id !== t.id) return;
    values.value = kept;
    if (tiles.value.length > 0) await refresh(t);
  }

  /** An empty board gets the starter tiles the token's scopes allow. */
  async function addStarterTiles(): Promise<void> {
    const t = token.value;
    if (t === null) return;
    await board.replaceAll(starterTiles(t.scopes).map((tile) => ({ ...tile, id: newTileId() })));
    await refresh(t);
  }

  watch(() => token.value?.id ?? null, () => { void show(token.value); }, { immediate: true });
  onScopeDispose(() => controller?.abort());

  return { tiles, values, loading, addStarterTiles, ready: computed(() => board.status === 'success') };
}
