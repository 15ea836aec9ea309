import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../../sandbox/app';
import type { RouteSpec } from '../../../sandbox/context';
import { createTestSandbox, type TestSandbox } from '../../helpers/sandbox';
import { DEMO_USERS } from '../../../sandbox/demo';
import type { EntityRecord } from '../../../sandbox/world/world';

/**
 * The authorisation matrix: every route of the route table x every demo identity (and a classic
 * token) x with / without the route's scope x list / by-id / explicit-zone requests. A route added
 * to the table without a sample here fails the test, so no route escapes the matrix.
 */
type Caller = { name: string; email: string | null; zones: Set<string> | null; role: 'viewer' | 'operator' | 'admin' | null };
interface Sample { label: string; path: string; method?: string; body?: unknown; expect: (c: Caller, mode: 'reject' | 'filter') => number }

const RANK = { viewer: 1, operator: 2, admin: 3 } as const;
const permitted = (c: Caller, spec: RouteSpec) => spec.permission === null || c.email === null || (c.role !== null && RANK[c.role] >= RANK[spec.permission]);

describe('authorisation matrix generated from the route table', () => {
  let sb: TestSandbox;
  let callers: Caller[];
  const foreignHost = new Map<string, EntityRecord>();
  let zoneNames: string[];

  beforeAll(() => {
      sb = createTestSandbox();
      const w = sb.deps.world;
      zoneNames = w.zones.map((z) => z.name);
      const zoneId = (n: string) => w.zoneByName.get(n)!.id;
      callers = [
        ...DEMO_USERS.map((u) => ({
          name: u.email, email: u.email,
          role: u.grants.length ? u.grants[0]!.role : null,
          zones: u.grants.some((g) => g.zones === '*' || g.role === 'admin') ? null : new Set(u.grants.flatMap((g) => (g.zones === '*' ? [] : g.zones.map(zoneId)))),
        })),
        { name: 'classic token', email: null, role: null, zones: null },
      ];
      for (const c of callers) {
        if (!c.zones) continue;
        const host = w.byType.get('HOST')!.find((h) => !h.zoneIds.some((z) => c.zones!.has(z)));
        if (host) foreignHost.set(c.name, host);
      }
  });

  const samplesFor = (spec: RouteSpec, c: Caller): Sample[] => {
    const key = `${spec.method} ${spec.path}`;
    const foreignZone = c.zones ? zoneNames.find((n) => !c.zones!.has(sb.deps.world.zoneByName.get(n)!.id)) : undefined;
    const foreignZoneId = foreignZone === undefined ? undefined : sb.deps.world.zoneByName.get(foreignZone)!.id;
    const ownHost = sb.deps.world.byType.get('HOST')!.find((h) => !c.zones || h.zoneIds.some((z) => c.zones!.has(z)));
    const ok = (s: number) => () => s;
    switch (key) {
      case 'GET /api/v2/apiTokens': return [{ label: 'list', path: '/api/v2/apiTokens', expect: ok(200) }];
      case 'POST /api/v2/apiTokens': return [{ label: 'create PAT', path: '/api/v2/apiTokens', method: 'POST', body: { name: 'm', scopes: ['metrics.read'], personalAccessToken: c.email !== null }, expect: ok(201) }];
      case 'POST /api/v2/apiTokens/lookup': return [{ label: 'lookup', path: '/api/v2/apiTokens/lookup', method: 'POST', body: { token: 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA.' + 'A'.repeat(64) }, expect: ok(404) }];
      case 'GET /api/v2/apiTokens/:id': return [{ label: 'by-id (missing)', path: '/api/v2/apiTokens/dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', expect: ok(404) }];
      case 'PUT /api/v2/apiTokens/:id': return [{ label: 'by-id (missing)', path: '/api/v2/apiTokens/dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', method: 'PUT', body: { name: 'x' }, expect: ok(404) }];
      case 'DELETE /api/v2/apiTokens/:id': return [{ label: 'by-id (missing)', path: '/api/v2/apiTokens/dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', method: 'DELETE', expect: ok(404) }];
      case 'GET /api/v2/settings/objects': return [{ label: 'list zones', path: '/api/v2/settings/objects?schemaIds=builtin:management-zones,builtin:tokens.token-settings', expect: ok(200) }];
      case 'POST /api/v2/settings/objects':
      case 'PUT /api/v2/settings/objects/:objectId': {
        const body = spec.method === 'POST' ? [{ schemaId: 'builtin:tokens.token-settings', scope: 'environment', value: { patEnabled: true } }] : { value: { patEnabled: true } };
        const objectId = Buffer.from('builtin:tokens.token-settings\u0000environment\u0000singleton').toString('base64url');
        return [{ label: 'write token settings', path: spec.method === 'POST' ? '/api/v2/settings/objects' : `/api/v2/settings/objects/${objectId}`, method: spec.method, body,
          expect: (cc) => (cc.email === null || cc.role === 'admin' ? 200 : 403) }];
      }
      case 'GET /api/v2/settings/objects/:objectId': {
        // Zone objects follow the zone rule: a foreign zone's object answers like a missing one.
        const w = sb.deps.world;
        const objectId = (schema: string, key: string) => Buffer.from(`${schema}\u0000environment\u0000${key}`).toString('base64url');
        const s: Sample[] = [{ label: 'token settings', path: `/api/v2/settings/objects/${objectId('builtin:tokens.token-settings', 'singleton')}`, expect: ok(200) }];
        const own = w.zones.find((z) => !c.zones || c.zones.has(z.id));
        if (own) s.push({ label: 'by-id own zone', path: `/api/v2/settings/objects/${objectId('builtin:management-zones', own.id)}`, expect: ok(200) });
        if (foreignZoneId) s.push({ label: 'by-id foreign zone', path: `/api/v2/settings/objects/${objectId('builtin:management-zones', foreignZoneId)}`, expect: ok(404) });
        return s;
      }
      case 'DELETE /api/v2/settings/objects/:objectId': {
        const objectId = Buffer.from('builtin:tokens.token-settings\u0000environment\u0000singleton').toString('base64url');
        return [{ label: 'reset token settings', path: `/api/v2/settings/objects/${objectId}`, expect: (cc) => (cc.email === null || cc.role === 'admin' ? 204 : 403) }];
      }
      case 'GET /api/v2/settings/schemas': return [{ label: 'list', path: '/api/v2/settings/schemas', expect: ok(200) }];
      case 'GET /api/v2/entities': {
        const s: Sample[] = [{ label: 'list', path: '/api/v2/entities?entitySelector=type(HOST)&fields=%2BmanagementZones,%2BtoRelationships,%2BfromRelationships', expect: ok(200) }];
        if (foreignZone) {
          s.push({ label: 'explicit foreign zone', path: `/api/v2/entities?entitySelector=type(HOST),mzName("${foreignZone}")`, expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
          s.push({ label: 'explicit foreign zone (id)', path: `/api/v2/entities?entitySelector=type(HOST),mzId(${foreignZoneId})`, expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
        }
        return s;
      }
      case 'GET /api/v2/entities/:entityId': {
        const s: Sample[] = [];
        if (ownHost) s.push({ label: 'by-id own', path: `/api/v2/entities/${ownHost.entityId}`, expect: ok(200) });
        const f = foreignHost.get(c.name);
        if (f) s.push({ label: 'by-id foreign', path: `/api/v2/entities/${f.entityId}`, expect: ok(404) });
        return s;
      }
      case 'GET /api/v2/entityTypes': return [{ label: 'list', path: '/api/v2/entityTypes', expect: ok(200) }];
      case 'GET /api/v2/entityTypes/:type': return [{ label: 'by-id', path: '/api/v2/entityTypes/HOST', expect: ok(200) }];
      case 'GET /api/v2/problems': {
        const s: Sample[] = [{ label: 'list', path: '/api/v2/problems?from=now-30d&pageSize=500&fields=evidenceDetails,impactAnalysis', expect: ok(200) }];
        if (foreignZone) {
          s.push({ label: 'explicit foreign zone (name)', path: `/api/v2/problems?from=now-30d&problemSelector=managementZones("${foreignZone}")`, expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
          s.push({ label: 'explicit foreign zone (entity selector)', path: `/api/v2/problems?from=now-30d&entitySelector=type(HOST),mzName("${foreignZone}")`, expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
          s.push({ label: 'explicit foreign zone (id)', path: `/api/v2/problems?from=now-30d&problemSelector=managementZoneIds(${foreignZoneId})`, expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
          s.push({ label: 'explicit foreign zone (id in the entity selector)', path: `/api/v2/problems?from=now-30d&entitySelector=type(HOST),mzId(${foreignZoneId})`, expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
        }
        return s;
      }
      case 'GET /api/v2/problems/:problemId': {
        const s: Sample[] = [];
        const problems = sb.deps.world.problems;
        const own = problems.find((p) => !c.zones || p.zoneIds.some((z) => c.zones!.has(z)));
        const foreign = c.zones ? problems.find((p) => !p.zoneIds.some((z) => c.zones!.has(z))) : undefined;
        if (own) s.push({ label: 'by-id own', path: `/api/v2/problems/${own.problemId}`, expect: ok(200) });
        if (foreign) s.push({ label: 'by-id foreign', path: `/api/v2/problems/${foreign.problemId}`, expect: ok(404) });
        return s;
      }
      case 'GET /api/v2/problems/:problemId/comments':
      case 'GET /api/v2/problems/:problemId/comments/:commentId': {
        // Comments follow their problem's zones: a foreign problem's comments answer like a missing problem.
        const s: Sample[] = [];
        const problems = sb.deps.world.problems.filter((p) => p.comments?.length);
        const own = problems.find((p) => !c.zones || p.zoneIds.some((z) => c.zones!.has(z)));
        const foreign = c.zones ? problems.find((p) => !p.zoneIds.some((z) => c.zones!.has(z))) : undefined;
        const path = (p: typeof problems[number]) => `/api/v2/problems/${p.problemId}/comments${spec.path.endsWith(':commentId') ? `/${p.comments![0]!.id}` : ''}`;
        if (own) s.push({ label: 'by-id own', path: path(own), expect: ok(200) });
        if (foreign) s.push({ label: 'by-id foreign', path: path(foreign), expect: ok(404) });
        return s;
      }
      case 'GET /api/v2/metrics': return [{ label: 'list', path: '/api/v2/metrics?pageSize=500&fields=%2BdimensionDefinitions,%2BentityType', expect: ok(200) }];
      case 'GET /api/v2/metrics/:metricKey{.+}': return [
        { label: 'by-id', path: '/api/v2/metrics/builtin:host.disk.avail:names', expect: ok(200) },
        { label: 'by-id (missing)', path: '/api/v2/metrics/builtin:no.such.metric', expect: ok(404) },
      ];
      case 'GET /api/v2/metrics/query': {
        const q = (sel: string, extra = '') => `/api/v2/metrics/query?metricSelector=${encodeURIComponent(sel)}${extra}`;
        const s: Sample[] = [
          { label: 'list (names, parents)', path: q('builtin:host.cpu.usage:names,builtin:tech.generic.cpu.usage:parents:names,builtin:service.response.time:splitBy("dt.entity.service"):fold'), expect: ok(200) },
          // No entity dimension: environment-wide access needed (zone-restricted owners get 403).
          { label: 'environment-wide metric', path: q('builtin:billing.ddu.metrics.total'), expect: (cc) => (cc.zones ? 403 : 200) },
        ];
        if (foreignZone) {
          s.push({ label: 'explicit foreign zone (mzSelector)', path: q('builtin:host.cpu.usage', `&mzSelector=${encodeURIComponent(`mzName("${foreignZone}")`)}`), expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
          s.push({ label: 'explicit foreign zone (entity selector)', path: q('builtin:host.cpu.usage', `&entitySelector=${encodeURIComponent(`type(HOST),mzName("${foreignZone}")`)}`), expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
          s.push({ label: 'explicit foreign zone (mzSelector id)', path: q('builtin:host.cpu.usage', `&mzSelector=${encodeURIComponent(`mzId(${foreignZoneId})`)}`), expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
          s.push({ label: 'explicit foreign zone (id in a filter)', path: q(`builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(HOST),mzId(${foreignZoneId})")))`), expect: (_c, mode) => (mode === 'reject' ? 403 : 200) });
        }
        return s;
      }
      case 'DELETE /api/v2/metrics/:metricKey{.+}': return [
        // A deletion removes every zone's series: zone-restricted owners need environment-wide access.
        { label: 'by-id (missing)', path: '/api/v2/metrics/matrix.no.such.metric', method: 'DELETE', expect: (cc) => (cc.zones ? 403 : 404) },
        { label: 'built-in', path: '/api/v2/metrics/builtin:host.cpu.usage', method: 'DELETE', expect: (cc) => (cc.zones ? 403 : 400) },
      ];
      case 'POST /api/v2/metrics/ingest': return [{ label: 'ingest', path: '/api/v2/metrics/ingest', method: 'POST', body: 'matrix.sample.gauge,source=matrix 1', expect: ok(202) }];
      default:
        throw new Error(`route ${key} has no sample in the authorisation matrix: add one`);
    }
  };

  it('covers every route of the table', () => {
    expect(routeTable().length).toBeGreaterThanOrEqual(11);
  });

  for (const mode of ['reject', 'filter'] as const) {
    it(`holds for every route x identity x scope x request kind (${mode} mode)`, async () => {
      await sb.admin('/settings', 'PUT', { zoneDenials: mode });
      let cells = 0;
      for (const spec of routeTable()) {
        for (const c of callers) {
          for (const withScope of [true, false]) {
            // PATs cannot hold metrics.ingest (docs/dynatrace-api-notes.md §4.1), so no PAT with the scope can be minted:
            // for PATs only the cell without the scope runs (403 missing scope); classic tokens run both.
            if (withScope && c.email && spec.scope === 'metrics.ingest') continue;
            const scopes = spec.scope === null ? ['slo.read'] : withScope ? [spec.scope] : ['slo.read'];
            if (spec.scope === null && !withScope) continue;
            const token = c.email ? await sb.mintPat(c.email, scopes) : await sb.mintClassic(scopes);
            for (const sample of samplesFor(spec, c)) {
              const res = await sb.request(sample.path, { token, method: sample.method ?? spec.method, body: sample.body });
              const expected = !withScope && spec.scope !== null ? 403 : !permitted(c, spec) ? 403 : sample.expect(c, mode);
              const text = await res.text();
              expect.soft(res.status, `${spec.method} ${spec.path} [${sample.label}] as ${c.name} ${withScope ? 'with' : 'without'} scope: ${text.slice(0, 200)}`).toBe(expected);
              // Errors too: a denial may echo what was asked, never the name of a zone the caller cannot see.
              if (c.zones) assertNoForeignData(text, c.zones, decodeURIComponent(sample.path));
              cells++;
            }
            // Tokens are limited to five per user: revoke this one before the next cell.
            if (c.email) await sb.request(`/api/v2/apiTokens/${token}`, { token: await sb.mintClassic(['apiTokens.write']), method: 'DELETE' });
          }
        }
      }
      expect(cells).toBeGreaterThan(100);
      console.warn(`authorisation matrix (${mode}): ${cells} cells`);
    });
  }

  /** No entity, zone name or zone id of a foreign zone in the response, unless the request named it itself. */
  function assertNoForeignData(text: string, zones: Set<string>, asked: string) {
    const w = sb.deps.world;
    for (const m of text.matchAll(/[A-Z_]+-[0-9A-F]{16}/g)) {
      const e = w.byId.get(m[0]);
      if (e && !asked.includes(m[0])) expect.soft(e.zoneIds.some((z) => zones.has(z)), `response contains ${m[0]} from a foreign zone`).toBe(true);
    }
    for (const z of w.zones) {
      if (!zones.has(z.id)) {
        if (!asked.includes(z.name)) expect.soft(text.includes(z.name), `response names the foreign zone ${z.name}: ${text.slice(0, 200)}`).toBe(false);
        if (!asked.includes(z.id)) expect.soft(text.includes(z.id), `response contains the foreign zone id ${z.id}`).toBe(false);
      }
    }
  }
});
