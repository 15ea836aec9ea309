import { extensionWithBoard } from './extension-board';
import type { BrowserGlobals } from './util';

const TILES = 8;
/** A board on 30 s auto-refresh for 60 minutes asks each tile 120 times; the bench asks as often, back to back. */
const ROUNDS = Number(process.env.BOARD_HEAP_ROUNDS ?? 120);

export interface HeapSample { round: number; heapMB: number; nodes: number; listeners: number }

interface Snapshot { snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }; nodes: number[]; strings: string[] }

/** Objects in a heap snapshot by constructor (and node type), with their count and self size. */
function census(s: Snapshot): Map<string, { count: number; bytes: number }> {
  const f = s.snapshot.meta.node_fields;
  const width = f.length;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((n) => f.indexOf(n)) as [number, number, number];
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const key = `${types[s.nodes[i + iType]!]}:${s.strings[s.nodes[i + iName]!]!.slice(0, 60)}`;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += s.nodes[i + iSize]!;
    out.set(key, e);
  }
  return out;
}

/** The constructors that grew most between two censuses, by bytes. */
export function censusDiff(before: Map<string, { count: number; bytes: number }>, after: Map<string, { count: number; bytes: number }>, top = 15): { name: string; count: number; bytes: number }[] {
  return [...after].map(([name, a]) => ({ name, count: a.count - (before.get(name)?.count ?? 0), bytes: a.bytes - (before.get(name)?.bytes ?? 0) }))
    .sort((x, y) => y.bytes - x.bytes).slice(0, top);
}

/**
 * Figure 9: the Overview board left open all day. Eight tiles (lines, bars, a single value, a top list, problems)
 * refreshed with "Refresh all" as soon as the previous round has settled, 120 rounds (960 tile queries, what 60
 * minutes at 30 s ask), in headless Chromium. JS heap after a forced GC, DOM nodes and event listeners are read over
 * the DevTools protocol after round 2 (the wall screen's first minute) and every 20 rounds.
 */
export async function boardHeapFigure(): Promise<{ grown?: { name: string; count: number; bytes: number }[]; samples: HeapSample[]; first: HeapSample; last: HeapSample; queries: number; minutes: number }> {
  const kinds = [
    { kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg' }, chart: 'line' },
    { kind: 'metric', query: { metricSelector: 'builtin:host.mem.usage:splitBy("dt.entity.host"):avg' }, chart: 'line' },
    { kind: 'metric', query: { metricSelector: 'builtin:service.response.time:splitBy("dt.entity.service"):avg' }, chart: 'line' },
    { kind: 'metric', query: { metricSelector: 'builtin:host.disk.usedPct:splitBy("dt.entity.host"):avg' }, chart: 'bar' },
    { kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage:avg' }, chart: 'single' },
    { kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg' }, chart: 'top' },
    { kind: 'problem', query: { problemSelector: 'status("open")' }, chart: 'line' },
    { kind: 'entity', query: { entitySelector: 'type(HOST)' }, chart: 'line' },
  ];
  const started = Date.now();
  const { ext, close } = await extensionWithBoard('board-heap', () => Array.from({ length: TILES }, (_, i) => ({ id: `heap-${i}`, title: `Tile ${i + 1}`, timeframe: '2h', ...kinds[i % kinds.length]! })), { viewport: { width: 1600, height: 1200 } });
  try {
    const page = await ext.open('dashboard.html#/');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const settled = async () => {
      await page.waitForFunction((n) => (globalThis as unknown as BrowserGlobals).document.querySelectorAll('article.tile').length === n && (globalThis as unknown as BrowserGlobals).document.querySelectorAll('article.tile[aria-busy="true"]').length === 0, TILES, { timeout: 60_000 });
    };
    const snapshot = async (): Promise<Map<string, { count: number; bytes: number }>> => {
      const chunks: string[] = [];
      const onChunk = (e: { chunk: string }) => { chunks.push(e.chunk); };
      cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      return census(JSON.parse(chunks.join('')) as Snapshot);
    };
    const snapshots = process.env.BOARD_HEAP_SNAPSHOT === '1';
    let firstCensus: Map<string, { count: number; bytes: number }> | null = null;
    const sample = async (round: number): Promise<HeapSample> => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? 0;
      return { round, heapMB: m('JSHeapUsedSize') / 1_048_576, nodes: m('Nodes'), listeners: m('JSEventListeners') };
    };
    await settled();
    const refresh = page.getByRole('button', { name: 'Refresh all' });
    const samples: HeapSample[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await refresh.click();
      // The tiles go busy within a frame of the click; then wait for all of them to settle.
      await page.waitForTimeout(30);
      await settled();
      if (round === 2 || round % 20 === 0 || round === ROUNDS) samples.push(await sample(round));
      if (snapshots && round === 2) firstCensus = await snapshot();
    }
    const grown = firstCensus ? censusDiff(firstCensus, await snapshot()) : undefined;
    return { grown, samples, first: samples[0]!, last: samples[samples.length - 1]!, queries: ROUNDS * TILES, minutes: (Date.now() - started) / 60_000 };
  } finally {
    await close();
  }
}
