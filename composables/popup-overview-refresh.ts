/**
 * The refreshing half of the popup's overview (composables/usePopupOverview.ts): the tile runner, the API client
 * and the failure texts. Loaded after the kept values are painted, so the first paint waits for none of it.
 */
import { runTileQuery } from '../lib/board/run-tile';
import { summarizeTile, type TileSummary } from '../lib/board/tile-summary';
import type { Tile } from '../lib/board/tiles';
import { describeFailure } from '../lib/failure/describe';
import { clientForToken } from '../platform/api';
import type { StoredToken } from '../platform/storage';
import type { Limiter } from './useLimiter';

/** `2h` (a tile's timeframe preset) → `now-2h`; anything else: the last two hours. */
function fromOf(timeframe: string): string {
  return /^\d{1,4}[mhdw]$/.test(timeframe) ? `now-${timeframe}` : 'now-2h';
}

/** Asks every tile once as `token`, through `limiter`; each summary (or failure) is handed to `done` as it arrives. */
export async function refreshTiles(token: StoredToken, tiles: readonly Tile[], limiter: Limiter, signal: AbortSignal, done: (tileId: string, summary: TileSummary) => void): Promise<void> {
  const client = clientForToken(token);
  await Promise.all(tiles.map(async (tile) => {
    let summary: TileSummary;
    try {
      const result = await limiter.run(() => runTileQuery(client, tile, fromOf(tile.timeframe), signal), signal);
      summary = summarizeTile(result, result.kind === 'metric' ? result.unit : undefined, Date.now(), /open/.test(tile.query.problemSelector ?? ''), tile.chart);
    } catch (e) {
      if (signal.aborted) return;
      const f = describeFailure(e, { operation: 'query' });
      summary = { value: '', points: [], at: Date.now(), failure: { kind: f.kind, title: f.title, message: f.message } };
    }
    if (!signal.aborted) done(tile.id, summary);
  }));
}
