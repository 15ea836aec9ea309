import { nextTick, shallowRef } from 'vue';
import { useApiQuery, type ClientIdentity } from '../composables/useApiQuery';
import { BOARD_CONCURRENCY, createLimiter } from '../composables/useLimiter';
import { createDynatraceClient } from '../lib/dynatrace';
import { runTileQuery, type TileResult } from '../lib/board/run-tile';
import type { Tile } from '../lib/board/tiles';
import { adminFetch, spawnSandbox, tempDir } from '../test/helpers/spawn-sandbox';
import { median } from './util';
import path from 'node:path';

const KEY = 'bench-switch-key';
const LATENCY = 200;

/**
 * Figure 6: a token switch re-runs every tile under the new token, in parallel (the board's own
 * limiter and query logic); time until all tiles show the new token's data, 8 tiles vs 1 tile,
 * against a sandbox answering every request after 200 ms.
 */
export async function switchFigure(): Promise<{ one: number; eight: number; latencyMs: number; runs: number }> {
  const sb = await spawnSandbox(['--db', path.join(tempDir('bench-switch-'), 'db'), '--admin-key', KEY]);
  try {
    const mint = async (email: string) => ((await (await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'bench', scopes: ['metrics.read', 'entities.read', 'problems.read'] })).json()) as { token: string }).token;
    const [a, b] = [await mint('analyst@example.com'), await mint('support@example.com')];
    const idA: ClientIdentity = { tokenId: 'A', client: createDynatraceClient({ environmentUrl: sb.url, getToken: () => a }) };
    const idB: ClientIdentity = { tokenId: 'B', client: createDynatraceClient({ environmentUrl: sb.url, getToken: () => b }) };
    await adminFetch(sb.url, KEY, '/faults', 'PUT', { latencyMs: LATENCY });
    const selectors = ['builtin:host.cpu.usage:splitBy("dt.entity.host")', 'builtin:host.mem.usage:splitBy("dt.entity.host")', 'builtin:service.response.time:splitBy("dt.entity.service")', 'builtin:service.requestCount.total:splitBy()'];
    const tile = (i: number): Tile => i % 4 === 3
      ? { id: `t${i}`, title: `tile ${i}`, kind: 'problem', query: { problemSelector: 'status("open")' }, timeframe: '2h', chart: 'line' }
      : { id: `t${i}`, title: `tile ${i}`, kind: 'metric', query: { metricSelector: selectors[i % 3]! }, timeframe: '2h', chart: 'line' };

    async function board(n: number): Promise<number> {
      const identity = shallowRef<ClientIdentity | null>(idA);
      const limiter = createLimiter(BOARD_CONCURRENCY);
      const tiles = Array.from({ length: n }, (_, i) => ({ tile: tile(i), q: useApiQuery<TileResult>(identity) }));
      await Promise.all(tiles.map(({ tile: t, q }) => q.run(t.id, (client, signal) => limiter.run(() => runTileQuery(client, t, 'now-2h', signal), signal))));
      const start = performance.now();
      identity.value = idB; // the switch: every tile re-runs under B
      await nextTick();
      await new Promise<void>((resolve) => {
        const check = () => (tiles.every(({ q }) => q.status.value === 'success' && q.dataTokenId.value === 'B') ? resolve() : setTimeout(check, 2));
        check();
      });
      return performance.now() - start;
    }

    await board(1); await board(8); // warm-up
    const ones: number[] = [];
    const eights: number[] = [];
    for (let i = 0; i < 5; i++) { ones.push(await board(1)); eights.push(await board(8)); }
    return { one: median(ones), eight: median(eights), latencyMs: LATENCY, runs: ones.length };
  } finally {
    await sb.stop();
  }
}
