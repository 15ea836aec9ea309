/**
 * `npm run bench`: size, rendering and sandbox speed. Every timing is a ratio against a baseline
 * measured in the same run (absolute times drift on shared machines); sizes are exact. Prints one
 * line per figure and writes bench/results/latest.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chartChunk, firstLoad, gz, lazyPart } from './sizes';
import { chartFigure } from './chart';
import { popupOverviewFigure } from './popup-overview';
import { boardHeapFigure } from './board-heap';
import { sandboxFigures } from './sandbox';
import { switchFigure } from './switch';

interface Figure { id: string; name: string; value: number | string; unit: string; target?: string; met?: boolean; detail?: unknown }
const figures: Figure[] = [];
const only = process.argv.slice(2);

function report(f: Figure) {
  figures.push(f);
  const mark = f.met === undefined ? '' : f.met ? '  [target met]' : '  [target missed]';
  console.log(`${f.id.padEnd(4)} ${f.name}: ${typeof f.value === 'number' ? +f.value.toFixed(3) : f.value} ${f.unit}${f.target ? ` (target ${f.target})` : ''}${mark}`);
}

async function step(id: string, fn: () => Promise<void>, ids: string[] = [id]) {
  if (only.length && !ids.some((i) => only.includes(i))) return;
  try { await fn(); } catch (e) { report({ id, name: 'failed', value: String(e instanceof Error ? e.message : e), unit: '' }); }
}

const started = Date.now();
await step('1', async () => {
  execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore' });
  const popup = firstLoad('popup.html');
  report({ id: '1', name: 'popup JS+CSS gzip', value: popup.gzip / 1024, unit: 'KB', target: '<= 47 KB', met: popup.gzip / 1024 <= 47, detail: popup.files });
  // The overview loads after the list is painted: its own code, and the API client (with its error texts), which
  // the popup loads for any request (check again, create, the server's slots) and is counted apart.
  const overview = lazyPart('OverviewPanel', 'popup.html');
  const refresh = lazyPart('popup-overview-refresh', 'popup.html');
  const client = lazyPart('api', 'popup.html');
  const ownFiles = [...new Set([...(overview?.files ?? []), ...(refresh?.files ?? [])])].filter((f) => !client?.files.includes(f));
  const own = overview && refresh && client ? { files: ownFiles, gzip: ownFiles.reduce((n, f) => n + gz(f), 0) } : null;
  report({ id: '1b', name: 'popup overview\'s own chunks (after the list is painted), JS+CSS gzip', value: (own?.gzip ?? 0) / 1024, unit: 'KB', target: '<= 12 KB', met: !!own && own.gzip / 1024 <= 12, detail: own?.files });
  report({ id: '1c', name: 'API client chunks the overview shares with the popup\'s other requests, gzip', value: (client?.gzip ?? 0) / 1024, unit: 'KB', detail: client?.files });
}, ['1', '1b', '1c']);
await step('2', async () => {
  const dash = firstLoad('dashboard.html');
  const chart = chartChunk();
  report({ id: '2', name: 'dashboard first-load JS+CSS gzip', value: dash.gzip / 1024, unit: 'KB', target: '<= 150 KB', met: dash.gzip / 1024 <= 150, detail: dash.files });
  report({ id: '2b', name: `chart chunk gzip (${chart?.file ?? 'not found'})`, value: (chart?.gzip ?? 0) / 1024, unit: 'KB' });
});
await step('1d', async () => {
  const r = await popupOverviewFigure();
  report({ id: '1d', name: `popup with six cached tiles: values painted at ${r.values.toFixed(0)} ms vs token list at ${r.list.toFixed(0)} ms`, value: r.ratio, unit: 'x', target: '<= 1.3x', met: r.ratio <= 1.3, detail: r });
});
await step('3', async () => {
  const r = await chartFigure();
  report({ id: '3', name: `chart render ${r.series}x${r.points}: MetricChart ${r.ours.toFixed(0)} ms vs bare chart.js ${r.bare.toFixed(0)} ms`, value: r.ours / r.bare, unit: 'x', target: '<= 1.25x', met: r.ours / r.bare <= 1.25, detail: r });
  const c = r.compared;
  report({ id: '3c', name: `chart with a compared period, ${c.datasets}x${r.points} (${c.datasets / 2} dashed): MetricChart ${c.ours.toFixed(0)} ms vs bare chart.js ${c.bare.toFixed(0)} ms`, value: c.ours / c.bare, unit: 'x', target: '<= 1.3x', met: c.ours / c.bare <= 1.3, detail: c });
}, ['3', '3c']);
await step('4', async () => { await sandboxFigures(report, only); }, ['4', '5', '7', '8']);
await step('6', async () => {
  const r = await switchFigure();
  report({ id: '6', name: `token switch, 8 tiles vs 1 tile under ${r.latencyMs} ms latency (${r.eight.toFixed(0)} ms vs ${r.one.toFixed(0)} ms)`, value: r.eight / r.one, unit: 'x', target: '<= 1.5x', met: r.eight / r.one <= 1.5, detail: r });
});
// Figure 9 runs for minutes (960 tile queries): only when asked for, `npm run bench -- 9`.
if (only.includes('9')) {
  await step('9', async () => {
    const r = await boardHeapFigure();
    const growth = (r.last.heapMB - r.first.heapMB) / r.first.heapMB;
    report({ id: '9', name: `board of 8 tiles, ${r.queries} tile queries (${r.minutes.toFixed(1)} min): JS heap after GC ${r.first.heapMB.toFixed(2)} -> ${r.last.heapMB.toFixed(2)} MB, DOM nodes ${r.first.nodes} -> ${r.last.nodes}, listeners ${r.first.listeners} -> ${r.last.listeners}`, value: growth * 100, unit: '%', target: '<= 10 %, nodes and listeners flat', met: growth <= 0.1 && r.last.nodes <= r.first.nodes * 1.02 && r.last.listeners <= r.first.listeners * 1.02, detail: { samples: r.samples, grown: r.grown } });
    if (r.grown) for (const g of r.grown) console.log(`     grew: ${g.name} ${g.count >= 0 ? '+' : ''}${g.count} objects, ${(g.bytes / 1024).toFixed(1)} KB`);
  });
}

const out = path.resolve('bench/results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, seconds: (Date.now() - started) / 1000, figures }, null, 2));
console.log(`\nbench: ${figures.length} figures in ${((Date.now() - started) / 1000).toFixed(0)} s; written to bench/results/latest.json`);
