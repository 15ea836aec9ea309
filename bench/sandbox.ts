import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { adminFetch, spawnSandbox, tempDir, type SandboxProcess } from '../test/helpers/spawn-sandbox';
import { median } from './util';

type Report = (f: { id: string; name: string; value: number | string; unit: string; target?: string; met?: boolean; detail?: unknown }) => void;
const KEY = 'bench-admin-key';

async function token(sb: SandboxProcess, email: string, scopes: string[]): Promise<string> {
  const res = await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'bench', scopes });
  return ((await res.json()) as { token: string }).token;
}

async function timeRequests(url: string, headers: Record<string, string>, n: number): Promise<{ median: number; bytes: number; status: number }> {
  const times: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    times.push(performance.now() - t);
    bytes = body.byteLength;
    status = res.status;
  }
  return { median: median(times), bytes, status };
}

/** A bare node:http server in its own process, answering every request with `body`. */
async function bareServer(body: string): Promise<{ url: string; proc: ChildProcess }> {
  const file = path.join(tempDir('bench-bare-'), 'body.json');
  (await import('node:fs')).writeFileSync(file, body);
  const code = `const b=require('fs').readFileSync(${JSON.stringify(file)});require('http').createServer((q,s)=>{s.writeHead(200,{'content-type':'application/json; charset=utf-8'});s.end(b)}).listen(0,'127.0.0.1',function(){console.log('PORT '+this.address().port)})`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => proc.stdout!.on('data', (d: Buffer) => { const m = /PORT (\d+)/.exec(d.toString()); if (m) resolve(Number(m[1])); }));
  return { url: `http://127.0.0.1:${port}`, proc };
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

async function prism() {
  const port = 4010 + Math.floor(Math.random() * 500);
  // Its own process group: npx starts Prism as a child, which a SIGTERM to npx alone leaves running (and the
  // bench waiting on its pipes).
  const proc = spawn('npx', ['-y', '@stoplight/prism-cli@5.12.0', 'mock', '-h', '127.0.0.1', '-p', String(port), 'reference/dynatrace-environment-api-v2.spec-1.254.json'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  try {
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 180_000);
      const on = (d: Buffer) => { if (/Prism is listening/.test(d.toString())) { clearTimeout(timer); resolve(true); } };
      proc.stdout!.on('data', on);
      proc.stderr!.on('data', on);
      proc.once('exit', () => { clearTimeout(timer); resolve(false); });
    });
    if (!ready) return null;
    return await autocannon({ url: `http://127.0.0.1:${port}/entities?entitySelector=type(HOST)&pageSize=50`, connections: 10, duration: 10, headers: { authorization: 'Api-Token x' } });
  } finally {
    try { process.kill(-proc.pid!, 'SIGTERM'); } catch { proc.kill('SIGTERM'); /* the group is gone already */ }
  }
}

/** Figures 4, 5, 7 and 8: the sandbox on the demo and the large world, each in its own process. */
export async function sandboxFigures(report: Report, only: string[]) {
  const want = (id: string) => !only.length || only.includes(id);
  const dir = tempDir('bench-sb-');
  const demo = await spawnSandbox(['--db', path.join(dir, 'demo.db'), '--admin-key', KEY]);
  const largeStart = performance.now();
  const large = await spawnSandbox(['--db', path.join(dir, 'large.db'), '--admin-key', KEY, '--world', 'large'], 120_000);
  const largeStartMs = performance.now() - largeStart;
  try {
    const adminDemo = await token(demo, 'admin@example.com', ['entities.read', 'metrics.read', 'problems.read', 'apiTokens.read']);
    const adminLarge = await token(large, 'admin@example.com', ['entities.read', 'metrics.read', 'problems.read', 'apiTokens.read']);
    const h = (t: string) => ({ authorization: `Api-Token ${t}` });
    report({ id: '7a', name: 'large world (54k entities) first start, seeding included', value: largeStartMs / 1000, unit: 's' });

    if (want('4')) {
      const q = `/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:host.cpu.usage:splitBy("dt.entity.host")')}&entitySelector=${encodeURIComponent('type(HOST),entityName.startsWith("prd-eu-web")')}&from=now-1d&resolution=5m`;
      const probe = await fetch(large.url + q, { headers: h(adminLarge) });
      const body = await probe.text();
      if (probe.status !== 200) {
        report({ id: '4', name: 'large-world metric query', value: `HTTP ${probe.status}`, unit: '', detail: body.slice(0, 200) });
      } else {
        const hosts = (JSON.parse(body) as { result: { data: unknown[] }[] }).result[0]!.data.length;
        const bare = await bareServer(body);
        try {
          await timeRequests(bare.url, {}, 3);
          const sb = await timeRequests(large.url + q, h(adminLarge), 15);
          const base = await timeRequests(bare.url, {}, 15);
          report({ id: '4', name: `metric query splitBy host, ${hosts} hosts, 1 day at 5m (${(sb.bytes / 1024).toFixed(0)} KB): sandbox ${sb.median.toFixed(1)} ms vs bare node:http ${base.median.toFixed(1)} ms`, value: sb.median / base.median, unit: 'x', target: '<= 2x', met: sb.median / base.median <= 2, detail: { sandboxMs: sb.median, bareMs: base.median, bytes: sb.bytes } });
        } finally { bare.proc.kill(); }
      }
    }

    if (want('5')) {
      const page = `/api/v2/entities?entitySelector=type(HOST)&pageSize=50`;
      const hello = await bareServer('{"hello":"world"}');
      try {
        const sb = await autocannon({ url: demo.url + page, connections: 10, duration: 10, headers: h(adminDemo) });
        const base = await autocannon({ url: hello.url, connections: 10, duration: 10 });
        report({ id: '5', name: `entities page (50) req/s: sandbox ${sb.requests.average.toFixed(0)} vs node:http hello ${base.requests.average.toFixed(0)}`, value: sb.requests.average / base.requests.average, unit: 'x', target: '>= 0.5x', met: sb.requests.average / base.requests.average >= 0.5, detail: { sandbox: sb.requests, bare: base.requests, non2xx: sb.non2xx } });
        const p = await prism();
        if (p) report({ id: '5b', name: `entities page req/s: sandbox ${sb.requests.average.toFixed(0)} vs Prism 5.12 mock ${p.requests.average.toFixed(0)}`, value: sb.requests.average / p.requests.average, unit: 'x', target: '>= 2x Prism', met: sb.requests.average / p.requests.average >= 2 });
        else report({ id: '5b', name: 'Prism comparison', value: 'not run (Prism did not start: npx @stoplight/prism-cli@5.12.0 unavailable?)', unit: '' });
      } finally { hello.proc.kill(); }
    }

    if (want('7')) {
      const idOf = async (sb: SandboxProcess, t: string) => ((await (await fetch(`${sb.url}/api/v2/entities?entitySelector=type(HOST)&pageSize=1`, { headers: h(t) })).json()) as { entities: { entityId: string }[] }).entities[0]!.entityId;
      const dId = await idOf(demo, adminDemo);
      const lId = await idOf(large, adminLarge);
      const d = await autocannon({ url: `${demo.url}/api/v2/entities/${dId}`, connections: 10, duration: 5, headers: h(adminDemo) });
      const l = await autocannon({ url: `${large.url}/api/v2/entities/${lId}`, connections: 10, duration: 5, headers: h(adminLarge) });
      report({ id: '7', name: `by-id entity lookup, large vs demo world (${l.requests.average.toFixed(0)} vs ${d.requests.average.toFixed(0)} req/s; ratio of mean latency ${l.latency.average.toFixed(2)}/${d.latency.average.toFixed(2)} ms)`, value: d.requests.average / l.requests.average, unit: 'x cost', target: '<= 1.2x', met: d.requests.average / l.requests.average <= 1.2 });
      const fullD = await timeRequests(`${demo.url}/api/v2/entities?entitySelector=type(HOST)&pageSize=4000`, h(adminDemo), 5);
      const fullL = await timeRequests(`${large.url}/api/v2/entities?entitySelector=type(HOST)&pageSize=4000`, h(adminLarge), 5);
      report({ id: '7b', name: `full host list page (up to 4,000): large ${fullL.median.toFixed(1)} ms (${(fullL.bytes / 1024).toFixed(0)} KB) vs demo ${fullD.median.toFixed(1)} ms (${(fullD.bytes / 1024).toFixed(1)} KB)`, value: fullL.median / fullD.median, unit: 'x' });
    }

    if (want('8')) {
      const analyst = await token(large, 'analyst@example.com', ['entities.read', 'metrics.read', 'problems.read', 'apiTokens.read']);
      const lId = ((await (await fetch(`${large.url}/api/v2/entities?entitySelector=type(SERVICE)&pageSize=1`, { headers: h(analyst) })).json()) as { entities: { entityId: string }[] }).entities[0]!.entityId;
      const before = rssKb(large.child.pid!);
      const r = await autocannon({
        url: large.url, connections: 50, duration: 30, headers: h(analyst),
        requests: [
          { path: '/api/v2/entities?entitySelector=type(HOST)&pageSize=50' },
          { path: `/api/v2/entities/${lId}` },
          { path: '/api/v2/problems?from=now-7d&pageSize=20' },
          { path: `/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:host.cpu.usage:splitBy("dt.entity.host"):limit(10)')}&from=now-2h` },
          { path: '/api/v2/entityTypes' },
        ],
      });
      const after = rssKb(large.child.pid!);
      report({ id: '8', name: `mixed read load, 50 connections x 30 s on the large world: ${r.requests.total} requests, p99 ${r.latency.p99} ms, RSS ${(before / 1024).toFixed(0)} -> ${(after / 1024).toFixed(0)} MB, non-2xx ${r.non2xx}`, value: r.errors + r.timeouts, unit: 'errors', target: '0 errors', met: r.errors + r.timeouts === 0, detail: { p99: r.latency.p99, rps: r.requests.average, rssBeforeKb: before, rssAfterKb: after, non2xx: r.non2xx } });
    }
  } finally {
    await demo.stop();
    await large.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
