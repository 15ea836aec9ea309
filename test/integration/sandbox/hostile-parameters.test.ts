import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { routeTable } from '../../../sandbox/app';
import type { RouteSpec } from '../../../sandbox/context';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../../helpers/spawn-sandbox';

/**
 * Hostile values in every query parameter (and path parameter and body field) of every route of the
 * route table, sent to a sandbox process on a loopback port. While each hostile request is in
 * flight, an ordinary request measures that the server stays responsive: a parser that backtracks
 * or scans quadratically blocks the event loop, and every other caller waits with it.
 *
 * Requirements: the ordinary request answers within 200 ms; the hostile one within 1 s, with 200 or
 * 400 for a query parameter (a path parameter may also be 404, a body 202). A route added to the
 * table without an entry in `inputsFor` fails the test. The longest hostile request is printed and
 * written to `.tmp/hostile-parameters.json`.
 */

const KEY = 'hostile-parameters-admin-key';
const SIZE = 100_000;
const ORDINARY_MS = 200;
const HOSTILE_MS = 1000;
/** A request still unanswered after this long fails the test instead of waiting for vitest's timeout. */
const GIVE_UP_MS = 10_000;
/** How long the ordinary request waits after the hostile one was sent, so that it queues behind it. */
const STAGGER_MS = 5;

const HOSTILE: readonly [string, string][] = [
  ['100 kB of letters', 'a'.repeat(SIZE)],
  ['100 kB of "("', '('.repeat(SIZE)],
  ['100 kB of ")"', ')'.repeat(SIZE)],
  ['nested criteria', 'type('.repeat(SIZE / 5)],
  ['nested negations and transformations', 'not(a:filter('.repeat(SIZE / 13)],
  ['unbalanced quotes', `x("${'a"'.repeat(SIZE / 2)}`],
  ['100 kB of commas', ','.repeat(SIZE)],
  ['100 kB of colons', `a.b${':'.repeat(SIZE)}`],
  ['100 kB of tildes', `"${'~'.repeat(SIZE)}`],
  ['backtracking bait (words and spaces)', `owner(${'a '.repeat(SIZE / 2)}`],
  ['many quoted values, unclosed', `tag(${'"a",'.repeat(SIZE / 4)}`],
  ['repeated signs and time units', 'now-1d/'.repeat(SIZE / 7)],
  ['repeated separators of every kind', ',;:.+-*/=&|'.repeat(SIZE / 11)],
];

type Kind = 'query' | 'path' | 'body';
interface Input {
  /** Parameter name, for the failure message. */
  name: string;
  kind: Kind;
  request: (value: string) => { path: string; method?: string; body?: string; contentType?: string };
}

const ALLOWED: Record<Kind, number[]> = { query: [200, 400], path: [400, 404], body: [202, 400, 404] };
/** A stale or made-up `updateToken` is a conflict, not a parameter error (docs/sandbox-behaviour.md, Settings). */
const CONFLICT_ALLOWED = new Set(['updateToken']);

const enc = encodeURIComponent;
const TOKEN_SETTINGS_ID = Buffer.from('builtin:tokens.token-settings\u0000environment\u0000singleton').toString('base64url');

/** The `error.code` of a Dynatrace error envelope, or null when the body is not one. */
function envelopeCode(text: string): number | null {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'number' ? code : null;
  } catch {
    return null;
  }
}
const withQuery = (path: string, params: Record<string, string>) =>
  `${path}?${Object.entries(params).map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;

/** One input per query parameter the route reads, each with ordinary values for the others. */
function queryInputs(path: string, ordinary: Record<string, string>, names: string[]): Input[] {
  return names.map((name) => ({
    name, kind: 'query',
    request: (v) => ({ path: withQuery(path, name === 'nextPageKey' ? { nextPageKey: v } : { ...ordinary, [name]: v }) }),
  }));
}

const pathInput = (name: string, path: (v: string) => string, method = 'GET', body?: unknown): Input => ({
  name, kind: 'path', request: (v) => ({ path: path(enc(v)), method, ...(body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }) }),
});

const bodyInput = (name: string, path: string, body: (v: string) => unknown, method = 'POST'): Input => ({
  name, kind: 'body', request: (v) => ({ path, method, body: JSON.stringify(body(v)), contentType: 'application/json' }),
});

describe('hostile parameter values against a sandbox on a loopback port', () => {
  let sb: SandboxProcess;
  let token: string;
  let hostId: string;
  let problemId: string;

  beforeAll(async () => {
    sb = await spawnSandbox(['--db', ':memory:', '--admin-key', KEY]);
    const res = await adminFetch(sb.url, KEY, '/api-tokens', 'POST', {
      name: 'hostile', scopes: ['apiTokens.read', 'apiTokens.write', 'entities.read', 'problems.read', 'metrics.read', 'metrics.ingest', 'metrics.write', 'settings.read', 'settings.write'],
    });
    token = ((await res.json()) as { token: string }).token;
    const hosts = await call({ path: '/api/v2/entities?entitySelector=type(HOST)&pageSize=1' });
    hostId = (JSON.parse(hosts.text) as { entities: { entityId: string }[] }).entities[0]!.entityId;
    const problems = await call({ path: '/api/v2/problems?from=now-30d&pageSize=1' });
    problemId = (JSON.parse(problems.text) as { problems: { problemId: string }[] }).problems[0]!.problemId;
  });
  // SIGKILL: a server stuck in a backtracking regex never runs its SIGTERM handler (the database is in memory).
  afterAll(async () => { await sb?.stop('SIGKILL'); });

  async function call(req: { path: string; method?: string; body?: string; contentType?: string }): Promise<{ status: number; text: string; ms: number }> {
    const started = performance.now();
    const res = await fetch(`${sb.url}${req.path}`, {
      method: req.method ?? 'GET', body: req.body, signal: AbortSignal.timeout(GIVE_UP_MS),
      headers: { authorization: `Api-Token ${token}`, ...(req.contentType ? { 'content-type': req.contentType } : {}) },
    });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - started };
  }

  function inputsFor(spec: RouteSpec): Input[] {
    const key = `${spec.method} ${spec.path}`;
    switch (key) {
      case 'GET /api/v2/apiTokens':
        return queryInputs('/api/v2/apiTokens', {}, ['apiTokenSelector', 'fields', 'from', 'to', 'sort', 'pageSize', 'nextPageKey']);
      case 'POST /api/v2/apiTokens':
        return [bodyInput('name', '/api/v2/apiTokens', (v) => ({ name: v, scopes: ['metrics.read'] })), bodyInput('expirationDate', '/api/v2/apiTokens', (v) => ({ name: 'n', scopes: ['metrics.read'], expirationDate: v }))];
      case 'POST /api/v2/apiTokens/lookup':
        return [bodyInput('token', '/api/v2/apiTokens/lookup', (v) => ({ token: v }))];
      case 'GET /api/v2/apiTokens/:id':
        return [pathInput('id', (v) => `/api/v2/apiTokens/${v}`)];
      case 'PUT /api/v2/apiTokens/:id':
        return [pathInput('id', (v) => `/api/v2/apiTokens/${v}`, 'PUT', { name: 'x' })];
      case 'DELETE /api/v2/apiTokens/:id':
        return [pathInput('id', (v) => `/api/v2/apiTokens/${v}`, 'DELETE')];
      case 'GET /api/v2/settings/objects':
        return queryInputs('/api/v2/settings/objects', { schemaIds: 'builtin:management-zones' }, ['schemaIds', 'fields', 'nextPageKey']);
      case 'POST /api/v2/settings/objects':
        return [bodyInput('schemaId', '/api/v2/settings/objects', (v) => [{ schemaId: v, scope: 'environment', value: { patEnabled: true } }])];
      case 'PUT /api/v2/settings/objects/:objectId':
        return [pathInput('objectId', (v) => `/api/v2/settings/objects/${v}`, 'PUT', { value: { patEnabled: true } }),
          bodyInput('updateToken', `/api/v2/settings/objects/${TOKEN_SETTINGS_ID}`, (v) => ({ value: { patEnabled: true }, updateToken: v }), 'PUT')];
      case 'GET /api/v2/settings/objects/:objectId':
        return [pathInput('objectId', (v) => `/api/v2/settings/objects/${v}`)];
      case 'DELETE /api/v2/settings/objects/:objectId':
        return [pathInput('objectId', (v) => `/api/v2/settings/objects/${v}`, 'DELETE'), ...queryInputs(`/api/v2/settings/objects/${TOKEN_SETTINGS_ID}`, {}, ['updateToken']).map((i) => ({ ...i, request: (v: string) => ({ ...i.request(v), method: 'DELETE' }) }))];
      case 'GET /api/v2/settings/schemas':
        return queryInputs('/api/v2/settings/schemas', {}, ['pageSize']);
      case 'GET /api/v2/entities':
        return queryInputs('/api/v2/entities', { entitySelector: 'type(HOST)' }, ['entitySelector', 'from', 'to', 'fields', 'sort', 'pageSize', 'nextPageKey']);
      case 'GET /api/v2/entities/:entityId':
        return [pathInput('entityId', (v) => `/api/v2/entities/${v}`), ...queryInputs(`/api/v2/entities/${hostId}`, {}, ['fields', 'from', 'to'])];
      case 'GET /api/v2/entityTypes':
        return queryInputs('/api/v2/entityTypes', {}, ['pageSize', 'nextPageKey']);
      case 'GET /api/v2/entityTypes/:type':
        return [pathInput('type', (v) => `/api/v2/entityTypes/${v}`)];
      case 'GET /api/v2/problems':
        return queryInputs('/api/v2/problems', { from: 'now-30d' }, ['problemSelector', 'entitySelector', 'from', 'to', 'sort', 'pageSize', 'fields', 'nextPageKey']);
      case 'GET /api/v2/problems/:problemId':
        return [pathInput('problemId', (v) => `/api/v2/problems/${v}`), ...queryInputs(`/api/v2/problems/${problemId}`, {}, ['fields'])];
      case 'GET /api/v2/problems/:problemId/comments':
        return [pathInput('problemId', (v) => `/api/v2/problems/${v}/comments`), ...queryInputs(`/api/v2/problems/${problemId}/comments`, {}, ['pageSize', 'nextPageKey'])];
      case 'GET /api/v2/problems/:problemId/comments/:commentId':
        return [pathInput('commentId', (v) => `/api/v2/problems/${problemId}/comments/${v}`)];
      case 'GET /api/v2/metrics':
        return queryInputs('/api/v2/metrics', {}, ['metricSelector', 'text', 'fields', 'pageSize', 'writtenSince', 'metadataSelector', 'nextPageKey']);
      case 'GET /api/v2/metrics/query':
        return queryInputs('/api/v2/metrics/query', { metricSelector: 'builtin:host.cpu.usage' }, ['metricSelector', 'entitySelector', 'mzSelector', 'from', 'to', 'resolution']);
      case 'POST /api/v2/metrics/ingest':
        return [{ name: 'line protocol', kind: 'body', request: (v) => ({ path: '/api/v2/metrics/ingest', method: 'POST', body: `hostile.metric ${v}\n${v} 1`, contentType: 'text/plain' }) }];
      case 'GET /api/v2/metrics/:metricKey{.+}':
        return [pathInput('metricKey', (v) => `/api/v2/metrics/${v}`)];
      case 'DELETE /api/v2/metrics/:metricKey{.+}':
        return [pathInput('metricKey', (v) => `/api/v2/metrics/${v}`, 'DELETE')];
      default:
        throw new Error(`route ${key} has no hostile inputs: add them to inputsFor`);
    }
  }

  it('covers every route of the table', () => {
    for (const spec of routeTable()) expect(inputsFor(spec).length, `${spec.method} ${spec.path}`).toBeGreaterThan(0);
  });

  it('answers every hostile value within 1 s with a 200 or 400 while ordinary requests keep answering within 200 ms', async () => {
    const ordinary = { path: '/api/v2/entities?entitySelector=type(HOST)&pageSize=5' };
    let longest = { ms: 0, what: '' };
    let slowestOrdinary = 0;
    let pairs = 0;
    for (const spec of routeTable()) {
      for (const input of inputsFor(spec)) {
        for (const [label, value] of HOSTILE) {
          const what = `${spec.method} ${spec.path} ${input.kind} ${input.name} = ${label}`;
          // A shared machine stalls now and then: a pair that misses a deadline runs again (up to
          // three times) and the best attempt counts. A server that blocks misses it every time.
          let best: { hostile: { status: number; text: string; ms: number }; ordinaryMs: number } | undefined;
          for (let attempt = 0; attempt < 3; attempt++) {
            const hostileCall = call(input.request(value));
            // Awaited below; without a handler now, a failing ordinary request would leave it unhandled.
            hostileCall.catch(() => undefined);
            await new Promise((r) => setTimeout(r, STAGGER_MS));
            const ordinaryCall = await call(ordinary);
            const hostile = await hostileCall;
            expect(ordinaryCall.status, `ordinary request next to ${what}`).toBe(200);
            if (!best || Math.max(hostile.ms / HOSTILE_MS, ordinaryCall.ms / ORDINARY_MS) < Math.max(best.hostile.ms / HOSTILE_MS, best.ordinaryMs / ORDINARY_MS)) {
              best = { hostile, ordinaryMs: ordinaryCall.ms };
            }
            if (best.hostile.ms < HOSTILE_MS && best.ordinaryMs < ORDINARY_MS) break;
          }
          const { hostile, ordinaryMs } = best!;
          const allowed = CONFLICT_ALLOWED.has(input.name) ? [...ALLOWED[input.kind], 409] : ALLOWED[input.kind];
          expect.soft(allowed, `${what}: ${hostile.status} ${hostile.text.slice(0, 200)}`).toContain(hostile.status);
          if (hostile.status >= 400) expect.soft(envelopeCode(hostile.text), `${what}: error envelope`).toBe(hostile.status);
          expect.soft(hostile.ms, `${what}: hostile request time`).toBeLessThan(HOSTILE_MS);
          expect.soft(ordinaryMs, `${what}: ordinary request time`).toBeLessThan(ORDINARY_MS);
          if (hostile.ms > longest.ms) longest = { ms: hostile.ms, what };
          slowestOrdinary = Math.max(slowestOrdinary, ordinaryMs);
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(500);
    const summary = { pairs, longestHostileMs: Math.round(longest.ms), longestHostile: longest.what, slowestOrdinaryMs: Math.round(slowestOrdinary) };
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/hostile-parameters.json', `${JSON.stringify(summary, null, 2)}\n`);
    console.warn(`hostile parameters: ${pairs} pairs, longest hostile request ${summary.longestHostileMs} ms (${longest.what}), slowest ordinary request ${summary.slowestOrdinaryMs} ms`);
  });
});
