/**
 * `npx tsx bench/answers.ts [out.json]`: answers of the sandbox to a fixed set of reads (metric queries of every
 * built-in metric at several resolutions and transformations, JSON and CSV, entity pages, by-id reads, problems),
 * in process with fixed clocks, as a digest per request. Run it before and after a performance change and compare
 * the files: an optimisation must not change one byte of an answer. Every request is made twice (the second
 * answer comes from warm caches) and both answers must agree.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createApp } from '../sandbox/app';
import { prepareDatabase } from '../sandbox/server';
import { mintToken } from '../sandbox/tokens';
import { findUser } from '../sandbox/identity';
import { BUILTIN_METRICS } from '../sandbox/metrics/builtin';

const NOW = Date.UTC(2026, 10, 20, 12, 34, 56, 789);
const out: Record<string, string> = {};
let mismatches = 0;
const statuses = new Map<number, number>();

async function run(label: string, now: number) {
  let clock = now;
  const { db, world } = prepareDatabase(':memory:', { seed: 42, world: 'demo', now });
  const { app } = createApp({ db, world, adminKey: 'k', clock: () => clock });
  const tokens: Record<string, string> = {};
  for (const email of ['admin@example.com', 'analyst@example.com']) {
    const u = findUser(db, email)!;
    tokens[email] = mintToken(db, now, { name: 'answers', scopes: ['metrics.read', 'entities.read', 'problems.read'], personal: true, userId: u.id, owner: u.email, expiresAt: null }).token;
  }
  const paths: string[] = [];
  const enc = encodeURIComponent;
  for (const m of BUILTIN_METRICS) {
    for (const r of ['', '&resolution=1m', '&resolution=5m', '&resolution=1h', '&resolution=Inf', '&resolution=7']) {
      paths.push(`/api/v2/metrics/query?metricSelector=${enc(m.metricId)}&from=now-6h${r}`);
    }
    paths.push(`/api/v2/metrics/query?metricSelector=${enc(`${m.metricId}:splitBy():fold`)}&from=now-3d&resolution=1d`);
    paths.push(`/api/v2/metrics/query?metricSelector=${enc(`${m.metricId}:max:sort(value(max,descending)):limit(3)`)}&from=now-1d`);
    paths.push(`/api/v2/metrics/query?metricSelector=${enc(`${m.metricId}:timeshift(-1d):rollup(avg,15m)`)}&from=now-2h&resolution=5m`);
  }
  for (const sel of [
    'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:names',
    'builtin:host.cpu.usage:percentile(90):splitBy()',
    'builtin:service.response.time:percentile(95):splitBy("dt.entity.service"):sort(value(auto,descending)):limit(5)',
    'builtin:host.cpu.usage:filter(series(avg,gt(20))):splitBy("dt.entity.host"):last',
    '(builtin:host.cpu.user + builtin:host.cpu.system):splitBy("dt.entity.host"):max',
    'builtin:service.errors.total.count:splitBy():delta:default(0)',
    'builtin:service.requestCount.total:rate(1s):lastReal',
    'builtin:host.disk.usedPct:parents:splitBy("dt.entity.host"):min',
  ]) {
    for (const r of ['', '&resolution=1m', '&resolution=10m', '&from=now-2d&resolution=1h']) paths.push(`/api/v2/metrics/query?metricSelector=${enc(sel)}${r}`);
  }
  paths.push(`/api/v2/metrics/query?metricSelector=${enc('builtin:host.cpu.usage:splitBy("dt.entity.host")')}&entitySelector=${enc('type(HOST)')}&from=now-1d&resolution=5m`);
  paths.push(`/api/v2/metrics/query?metricSelector=${enc('builtin:host.cpu.usage')}&from=${now - 5 * 3_600_000 - 17_000}&to=${now - 3_600_000 + 1234}&resolution=Inf`);
  for (const page of ['type(HOST)', 'type(SERVICE)', 'type(PROCESS_GROUP_INSTANCE),fromRelationships.isProcessOf(type(HOST))', 'type(HOST),entityName.startsWith("prd")']) {
    paths.push(`/api/v2/entities?entitySelector=${enc(page)}&pageSize=50`);
    paths.push(`/api/v2/entities?entitySelector=${enc(page)}&pageSize=7&fields=${enc('+properties,+tags,+managementZones,+fromRelationships,+toRelationships')}`);
  }
  paths.push('/api/v2/problems?from=now-7d&pageSize=20', '/api/v2/entityTypes', '/api/v2/metrics?pageSize=500&fields=%2Bdimensioncardinalities');
  const first = ((await (await app.request(`/api/v2/entities?entitySelector=type(SERVICE)&pageSize=1`, { headers: { authorization: `Api-Token ${tokens['admin@example.com']}` } })).json()) as { entities: { entityId: string }[] }).entities[0]!.entityId;
  paths.push(`/api/v2/entities/${first}`);
  for (const [email, token] of Object.entries(tokens)) {
    for (const p of paths) {
      for (const accept of ['application/json', ...(p.includes('/metrics/query') && p.includes('resolution=1h') ? ['text/csv; header=present'] : [])]) {
        const answers: string[] = [];
        for (let pass = 0; pass < 2; pass++) {
          const res = await app.request(p, { headers: { authorization: `Api-Token ${token}`, accept } });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          answers.push(`${res.status} ${res.headers.get('content-type')}\n${await res.text()}`);
        }
        if (answers[0] !== answers[1]) { mismatches++; console.error(`cold and warm answers differ: ${label} ${email} ${p}`); }
        // Page keys are signed with a random key per database: equal answers differ there only.
        out[`${label} ${email} ${accept} ${p}`] = createHash('sha256').update(answers[0]!.replace(/"nextPageKey":"[^"]*"/, '"nextPageKey":"…"')).digest('hex').slice(0, 16);
      }
    }
  }
  clock = now + 61_000; // a minute later, the partial last slots move
  const p = `/api/v2/metrics/query?metricSelector=${enc('builtin:service.response.time:splitBy("dt.entity.service")')}&from=now-1h&resolution=1m`;
  const res = await app.request(p, { headers: { authorization: `Api-Token ${tokens['admin@example.com']}` } });
  out[`${label} later ${p}`] = createHash('sha256').update(await res.text()).digest('hex').slice(0, 16);
  db.close();
}

await run('noon', NOW);
await run('odd', NOW + 7 * 3_600_000 + 123_456);
const file = process.argv[2] ?? 'answers.json';
writeFileSync(file, JSON.stringify(out, null, 1));
console.log(`${Object.keys(out).length} answers written to ${file} (statuses ${JSON.stringify(Object.fromEntries(statuses))}); ${mismatches} cold/warm mismatches`);
if (mismatches) process.exitCode = 1;
