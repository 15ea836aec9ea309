/**
 * `npm run sandbox -- [options]`: the local Dynatrace-compatible environment.
 * Binds 127.0.0.1 only; prints its URL, the admin key and (with --demo-tokens) one fresh PAT per demo user.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseCorsOrigin } from './origins';
import { startSandbox } from './server';

const HELP = `Usage: npm run sandbox -- [options]
  --port <n>                 port on 127.0.0.1 (default 8787, env SANDBOX_PORT)
  --db <file|:memory:>       database (default .sandbox/sandbox.db)
  --admin-key <key>          admin API key (default: random, env SANDBOX_ADMIN_KEY)
  --seed <n>                 world seed (default 42)
  --world demo|large         demo world or ~10,000 hosts (new databases only)
  --zone-denials reject|filter  explicit foreign zone: 403 (default) or silently empty
  --cors                     answer CORS for extension pages (chrome-extension://, moz-extension://);
                             off by default, like a real tenant
  --cors-origin <origin>     also answer CORS for this origin, e.g. http://localhost:5173 (repeatable; implies --cors)
  --demo-tokens              mint one fresh PAT per demo user, print them and write .sandbox/credentials.json
  --log                      print one line per request (method, path, status; never a query or header)
  --help`;

function fail(message: string): never {
  console.error(`sandbox: ${message}\n\n${HELP}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' }, db: { type: 'string' }, 'admin-key': { type: 'string' }, seed: { type: 'string' },
      world: { type: 'string' }, 'zone-denials': { type: 'string' }, cors: { type: 'boolean' }, 'cors-origin': { type: 'string', multiple: true },
      'demo-tokens': { type: 'boolean' }, log: { type: 'boolean' }, help: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) { console.log(HELP); process.exit(0); }

const portRaw = values.port ?? process.env.SANDBOX_PORT ?? '8787';
if (!/^\d{1,5}$/.test(portRaw) || Number(portRaw) > 65535) fail(`--port must be a number from 0 to 65535, got "${portRaw}"`);
const seedRaw = values.seed ?? '42';
if (!/^\d{1,10}$/.test(seedRaw)) fail(`--seed must be a whole number, got "${seedRaw}"`);
const world = values.world ?? 'demo';
if (world !== 'demo' && world !== 'large') fail(`--world must be demo or large, got "${world}"`);
const zd = values['zone-denials'];
if (zd !== undefined && zd !== 'reject' && zd !== 'filter') fail(`--zone-denials must be reject or filter, got "${zd}"`);

const corsOrigins = (values['cors-origin'] ?? []).map((o) => {
  const r = parseCorsOrigin(o);
  return r.ok ? r.origin : fail(r.error);
});

const started = Date.now();
const sandbox = await startSandbox({
  port: Number(portRaw), db: values.db ?? '.sandbox/sandbox.db', adminKey: values['admin-key'] ?? process.env.SANDBOX_ADMIN_KEY,
  seed: Number(seedRaw), world, zoneDenials: zd, cors: values.cors, corsOrigins, mintDemoTokens: values['demo-tokens'],
  log: values.log ? (l) => console.log(l) : (l) => { if (l.startsWith('internal') || l.startsWith('note')) console.error(l); },
}).catch((e: NodeJS.ErrnoException) => fail(e.code === 'EADDRINUSE' ? `port ${portRaw} is in use: pick another with --port` : e.message));

const lines = [
  `Tokenscope sandbox (Dynatrace API v2 subset) on ${sandbox.url}  [${sandbox.deps.world.size} entities, ready in ${Date.now() - started} ms]`,
  `  environment URL for the extension: ${sandbox.url}`,
  `  admin API: ${sandbox.url}/sandbox/admin  (Authorization: Bearer ${sandbox.adminKey})`,
];
if (sandbox.demoTokens.length) {
  lines.push('  demo personal access tokens (one fresh per user; the previous start-up token was revoked):');
  for (const t of sandbox.demoTokens) lines.push(`    ${t.email.padEnd(22)} ${t.token}`);
  const file = path.resolve('.sandbox/credentials.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ url: sandbox.url, adminKey: sandbox.adminKey, tokens: sandbox.demoTokens }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  lines.push(`  written to ${path.relative(process.cwd(), file)} (mode 0600)`);
}
console.log(lines.join('\n'));

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  });
}
