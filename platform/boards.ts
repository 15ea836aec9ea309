import { storage } from 'wxt/utils/storage';
import type { Tile } from '../lib/board/tiles';

/**
 * `local:boards` — the overview boards, one per environment base URL: pinned query tiles, no secrets.
 * Kept across restarts; cleared only when the user removes tiles (not by "Forget all", which is about
 * credentials; boards are exported and imported as JSON).
 * v1 -> v2: v1 stored one global list; it becomes the board of the environment it was made for, or
 * of "unknown" when that is not known.
 */
export const boardsItem = storage.defineItem<Record<string, Tile[]>>('local:boards', {
  fallback: {},
  version: 2,
  migrations: {
    2: (v1: unknown): Record<string, Tile[]> => (Array.isArray(v1) ? { unknown: v1 as Tile[] } : (v1 as Record<string, Tile[]>) ?? {}),
  },
});
