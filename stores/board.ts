import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { boardsItem } from '../platform/storage';
import { moveTile, newTileId, type Tile } from '../lib/board/tiles';

/** The overview board of one environment: tiles in order, persisted on every change. */
export const useBoardStore = defineStore('board', () => {
  const boards = ref<Record<string, Tile[]>>({});
  const environmentUrl = ref<string | null>(null);
  const status = ref<'idle' | 'loading' | 'success' | 'error'>('idle');
  let unwatch: (() => void) | null = null;

  const tiles = computed<Tile[]>(() => (environmentUrl.value ? boards.value[environmentUrl.value] ?? [] : []));

  async function load() {
    status.value = 'loading';
    boards.value = (await boardsItem.getValue()) ?? {};
    unwatch ??= boardsItem.watch((v) => { boards.value = v ?? {}; });
    status.value = 'success';
  }

  async function save(next: Tile[]) {
    const env = environmentUrl.value;
    if (!env) return;
    // Read-modify-write on the freshest value, so another tab's change to another board is kept.
    const current = (await boardsItem.getValue()) ?? {};
    // A plain copy: extension storage serialises a reactive proxy's arrays as objects.
    const plain = JSON.parse(JSON.stringify({ ...current, [env]: next })) as Record<string, Tile[]>;
    boards.value = plain;
    await boardsItem.setValue(plain);
  }

  const add = (tile: Omit<Tile, 'id'>) => save([...tiles.value, { ...tile, id: newTileId() }]);
  const remove = (id: string) => save(tiles.value.filter((t) => t.id !== id));
  const move = (id: string, delta: -1 | 1) => save(moveTile(tiles.value, id, delta));
  const update = (id: string, patch: Partial<Omit<Tile, 'id'>>) => save(tiles.value.map((t) => (t.id === id ? { ...t, ...patch } : t)));
  const replaceAll = (next: Tile[]) => save(next);

  return { boards, environmentUrl, tiles, status, load, add, remove, move, update, replaceAll };
});
