import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { adminFetch, spawnSandbox, tempDir, type SandboxProcess } from '../../helpers/spawn-sandbox';

const KEY = 'process-test-admin-key';
const ROUNDS = Number(process.env.CONCURRENCY_ROUNDS ?? 50);
const CRASHES = Number(process.env.CRASH_ITERATIONS ?? 50);

describe('sandbox processes sharing one database file', () => {
  const dir = tempDir();
  const dbFile = path.join(dir, 'shared.db');
  let a: SandboxProcess;
  let b: SandboxProcess;
  beforeAll(async () => {
    // Both start at once: migrations and seeding must happen exactly once.
    [a, b] = await Promise.all([spawnSandbox(['--db', dbFile, '--admin-key', KEY]), spawnSandbox(['--db', dbFile, '--admin-key', KEY])]);
  });
  afterAll(async () => { await a?.stop(); await b?.stop(); });

  it(`gives exactly five PATs out of 20 concurrent creations, ${ROUNDS} rounds, across two processes`, async () => {
    const tally = { created: 0, refused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const email = `racer${round}@example.com`;
      expect((await adminFetch(a.url, KEY, '/users', 'POST', { email, grants: [{ role: 'viewer', zones: '*' }] })).status).toBe(201);
      // A classic token owned by the user creates PATs for that user without using up a slot itself.
      const classic = await (await adminFetch(b.url, KEY, '/api-tokens', 'POST', { name: 'creator', scopes: ['apiTokens.write'], owner: email })).json() as { token: string };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${i % 2 ? a.url : b.url}/api/v2/apiTokens`, {
        method: 'POST',
        headers: { authorization: `Api-Token ${classic.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `race ${i}`, scopes: ['metrics.read'], personalAccessToken: true }),
      }).then((r) => r.status)));
      const created = results.filter((s) => s === 201).length;
      expect(results.filter((s) => s !== 201 && s !== 400)).toEqual([]);
      expect(created).toBe(5);
      tally.created += created;
      tally.refused += results.length - created;
    }
    const db = new Database(dbFile, { readonly: true });
    const counts = db.prepare("SELECT count(*) AS n FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.personal = 1 AND u.email LIKE 'racer%' GROUP BY u.id").all() as { n: number }[];
    db.close();
    expect(counts).toHaveLength(ROUNDS);
    expect(counts.every((c) => c.n === 5)).toBe(true);
    console.warn(`concurrency: ${ROUNDS} rounds x 20 requests over 2 processes: ${tally.created} created, ${tally.refused} refused`);
  });
});

describe('crash consistency (kill -9 during mixed writes)', () => {
  it(`keeps the database intact and every acknowledged write, over ${CRASHES} kills`, async () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'crash.db');
    let acknowledgedUsers = 0;
    let acknowledgedTokens = 0;
    const users = new Set<string>();
    const tokens = new Set<string>();
    const deletedTokens = new Set<string>();
    // A delete sent but not acknowledged before the kill may or may not have happened.
    const maybeDeleted = new Set<string>();
    for (let i = 0; i < CRASHES; i++) {
      const sb = await spawnSandbox(['--db', dbFile, '--admin-key', KEY]);
      const killAfter = 20 + Math.floor(Math.random() * 200);
      let alive = true;
      const writer = async (w: number) => {
        for (let n = 0; alive; n++) {
          const email = `crash-${i}-${w}-${n}@example.com`;
          try {
            const res = await adminFetch(sb.url, KEY, '/users', 'POST', { email, grants: [{ role: 'viewer', zones: ['Staging'] }] });
            if (res.status === 201) { users.add(email); acknowledgedUsers++; }
            const t = await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'c', scopes: ['entities.read'] });
            if (t.status === 201) { tokens.add(((await t.json()) as { id: string }).id); acknowledgedTokens++; }
            if (n % 3 === 2) {
              const victim = [...tokens].find((id) => id.length > 0 && !deletedTokens.has(id));
              const classic = await adminFetch(sb.url, KEY, '/api-tokens', 'POST', { name: 'deleter', scopes: ['apiTokens.write'] });
              if (victim && classic.status === 201) {
                const { token } = (await classic.json()) as { token: string };
                maybeDeleted.add(victim);
                const d = await fetch(`${sb.url}/api/v2/apiTokens/${victim}`, { method: 'DELETE', headers: { authorization: `Api-Token ${token}` } });
                if (d.status === 204) { deletedTokens.add(victim); maybeDeleted.delete(victim); }
              }
            }
          } catch {
            return; // the process died under us: unacknowledged writes may or may not be there
          }
        }
      };
      const writers = [writer(0), writer(1), writer(2)];
      await new Promise((r) => setTimeout(r, killAfter));
      alive = false;
      await sb.stop('SIGKILL');
      await Promise.all(writers);
      const db = new Database(dbFile);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const haveUsers = new Set((db.prepare('SELECT email FROM users').all() as { email: string }[]).map((r) => r.email));
      const haveTokens = new Set((db.prepare('SELECT id FROM tokens').all() as { id: string }[]).map((r) => r.id));
      db.close();
      for (const u of users) expect(haveUsers.has(u), `acknowledged user ${u} lost`).toBe(true);
      for (const t of tokens) if (!deletedTokens.has(t) && !maybeDeleted.has(t)) expect(haveTokens.has(t), `acknowledged token ${t} lost`).toBe(true);
      for (const t of deletedTokens) expect(haveTokens.has(t), `acknowledged delete of ${t} lost`).toBe(false);
    }
    expect(acknowledgedUsers).toBeGreaterThan(CRASHES);
    console.warn(`crash test: ${CRASHES} kills, ${acknowledgedUsers} users, ${acknowledgedTokens} tokens and ${deletedTokens.size} deletions acknowledged, none lost`);
  });
});

describe('no issued secret at rest or in the output', () => {
  it('keeps secrets out of the database, its WAL and the sandbox output after start-up', async () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'secrets.db');
    const sb = await spawnSandbox(['--db', dbFile, '--admin-key', KEY, '--demo-tokens', '--log']);
    const creds = JSON.parse(readFileSync('.sandbox/credentials.json', 'utf8')) as { tokens: { token: string }[]; url: string };
    expect(creds.url).toBe(sb.url);
    expect(statSync('.sandbox/credentials.json').mode & 0o777).toBe(0o600);
    const secrets = creds.tokens.map((t) => t.token);
    for (const t of secrets) {
      await fetch(`${sb.url}/api/v2/entities?entitySelector=type(HOST)`, { headers: { authorization: `Api-Token ${t}` } });
      await fetch(`${sb.url}/api/v2/entities?entitySelector=type(HOST)&api-token=${t}`);
      await fetch(`${sb.url}/api/v2/apiTokens/lookup`, { method: 'POST', headers: { authorization: `Api-Token ${t}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: t }) });
      const created = await fetch(`${sb.url}/api/v2/apiTokens`, { method: 'POST', headers: { authorization: `Api-Token ${t}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'n', scopes: ['entities.read'], personalAccessToken: true }) });
      if (created.status === 201) secrets.push(((await created.json()) as { token: string }).token);
    }
    expect(secrets.length).toBeGreaterThan(5);
    const files = readdirSync(dir).filter((f) => f.startsWith('secrets.db'));
    expect(files).toContain('secrets.db-wal');
    const raw = files.map((f) => readFileSync(path.join(dir, f)).toString('latin1')).join('\n');
    await sb.stop();
    const after = sb.outputAfterStart();
    expect(after, sb.output()).toMatch(/GET \/api\/v2\/entities 200/); // the request log did print
    for (const s of secrets) {
      const secretPart = s.split('.')[2]!;
      expect(raw.includes(secretPart)).toBe(false);
      expect(after.includes(secretPart)).toBe(false);
    }
  });
});
