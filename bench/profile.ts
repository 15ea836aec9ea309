/**
 * `npx tsx bench/profile.ts <metric|entities|mixed> [seconds]`: runs one of the sandbox bench loads against a
 * sandbox started with `--cpu-prof` and prints the functions with the most self time, so a figure of
 * bench/sandbox.ts can be explained from a profile. Each run seeds a fresh database in `$TMPDIR/tokenscope-profile`
 * (a user holds at most five PATs, and every run mints one).
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminFetch } from '../test/helpers/spawn-sandbox';

const KEY = 'bench-admin-key';
const scenario = process.argv[2] ?? 'metric';
const seconds = Number(process.argv[3] ?? 10);
const dir = path.join(process.env.TMPDIR ?? os.tmpdir(), 'tokenscope-profile');
const profDir = path.join(dir, 'prof');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const world = scenario === 'entities' ? 'demo' : 'large';
const child = spawn(process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${profDir}`, '--import', 'tsx', 'sandbox/cli.ts', '--port', '0', '--db', path.join(dir, `${world}.db`), '--admin-key', KEY, '--world', world], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out); if (m && out.includes('admin API')) resolve(m[1]!); });
});
const email = scenario === 'mixed' ? 'analyst@example.com' : 'admin@example.com';
const res = await adminFetch(url, KEY, `/users/${email}/tokens`, 'POST', { name: 'profile', scopes: ['entities.read', 'metrics.read', 'problems.read', 'apiTokens.read'] });
const headers = { authorization: `Api-Token ${((await res.json()) as { token: string }).token}` };

const metricQ = `/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:host.cpu.usage:splitBy("dt.entity.host")')}&entitySelector=${encodeURIComponent('type(HOST),entityName.startsWith("prd-eu-web")')}&from=now-1d&resolution=5m`;
if (scenario === 'metric') {
  const r = await autocannon({ url: url + metricQ, connections: 1, duration: seconds, headers });
  console.log(`metric query: ${r.requests.total} requests, mean ${r.latency.average} ms`);
} else if (scenario === 'entities') {
  const r = await autocannon({ url: `${url}/api/v2/entities?entitySelector=type(HOST)&pageSize=50`, connections: 10, duration: seconds, headers });
  console.log(`entities page: ${r.requests.average} req/s`);
} else {
  const id = ((await (await fetch(`${url}/api/v2/entities?entitySelector=type(SERVICE)&pageSize=1`, { headers })).json()) as { entities: { entityId: string }[] }).entities[0]!.entityId;
  const r = await autocannon({
    url, connections: 50, duration: seconds, headers,
    requests: [
      { path: '/api/v2/entities?entitySelector=type(HOST)&pageSize=50' },
      { path: `/api/v2/entities/${id}` },
      { path: '/api/v2/problems?from=now-7d&pageSize=20' },
      { path: `/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:host.cpu.usage:splitBy("dt.entity.host"):limit(10)')}&from=now-2h` },
      { path: '/api/v2/entityTypes' },
    ],
  });
  console.log(`mixed: ${r.requests.total} requests, p99 ${r.latency.p99} ms, errors ${r.errors + r.timeouts}`);
}
await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!;
const prof = JSON.parse(readFileSync(path.join(profDir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const byFn = new Map<string, number>();
let total = 0;
for (const n of prof.nodes) {
  const t = self.get(n.id) ?? 0;
  total += t;
  const where = n.callFrame.url.replace(/^.*\/(node_modules\/|wt-perf\/)/, '');
  const k = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
  byFn.set(k, (byFn.get(k) ?? 0) + t);
}
const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 40));
for (const [k, t] of top) console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`);
console.log(`profile: ${path.join(profDir, file)}`);
