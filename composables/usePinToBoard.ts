import { ref, type Ref } from 'vue';
import { useBoardStore } from '../stores/board';
import type { StoredToken } from '../platform/storage';
import type { Tile } from '../lib/board/tiles';

/** Pins a query as a tile on the board of the current token's environment. */
export function usePinToBoard(token: Ref<StoredToken | null>) {
  const board = useBoardStore();
  const pinned = ref('');
  async function pinTile(tile: Omit<Tile, 'id'>) {
    const env = token.value?.environmentUrl;
    if (!env) return;
    if (board.status === 'idle') await board.load();
    const previous = board.environmentUrl;
    board.environmentUrl = env;
    await board.add(tile);
    board.environmentUrl = previous ?? env;
    pinned.value = `Pinned "${tile.title}" to the overview board.`;
  }
  return { pinned, pinTile };
}
