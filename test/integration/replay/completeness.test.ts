import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../../sandbox/app';
import { createTestSandbox, DEMO, type TestSandbox } from '../../helpers/sandbox';
import { exchange, recordedExchanges } from '../../helpers/recorded';
import { compareShapes, shapeOf, type ShapeOptions } from '../../helpers/shape';

/**
 * Every sandbox answer as complete as a real one: each recorded real answer is compared key by key with the
 * sandbox's answer to the same request on the same route (test/helpers/shape.ts). A key the real answer always
 * carries must be in the sandbox's answer, with the same kind of value; an array the real answer fills must not be
 * empty in the sandbox's unless `unfilled` says why. Keys only the sandbox sends are not differences here (newer
 * servers add fields; the spec check of contract.test.ts keeps them to the spec).
 */

const ENTITY_FIELDS = '+fromRelationships,+toRelationships,+icon,+properties,+tags,+managementZones,+firstSeenTms,+lastSeenTms';
const METRIC_FIELDS = '+tags,+dduBillable,+created,+lastWritten,+aggregationTypes,+defaultAggregation,+dimensionDefinitions,+transformations,+entityType';
const PROBLEM = '-1719139739592062093_1623004451641V2';
const SETTINGS_OBJECT = 'vu9U3hXa3q0AAAABACdidWlsdGluOmFub21hbHktZGV0ZWN0aW9uLm1ldHJpYy1ldmVudHMABnRlbmFudAAGdGVuYW50ACRiYmYzZWNhNy0zMmZmLTM2ZTEtOTFiOS05Y2QxZjE3OTc0YjC-71TeFdrerQ';
const enc = encodeURIComponent;

interface Ctx { sb: TestSandbox; token: string; hostId: string; problemId: string; commentId: string; settingsId: string }
interface Pairing {
  /** The recorded exchange. */
  recorded: string;
  /** The sandbox route (as in its route table) the same request reaches. */
  route: string;
  /** The same request against the demo world (its ids, its schemas). */
  request: (c: Ctx) => { path: string; method?: string; body?: unknown; headers?: Record<string, string> };
  status?: number;
  /** Arrays the real answer fills that the sandbox's answer may leave empty, with the reason. */
  unfilled?: Record<string, string>;
  /** Differences (missing keys or kinds) that come from the recording's authors' edits (reference/README.md). */
  edited?: string[];
}

const ENTITY_SHAPE: ShapeOptions = { maps: ['entities[].fromRelationships', 'entities[].toRelationships', 'fromRelationships', 'toRelationships'], opaque: ['entities[].properties', 'properties'] };
const METRIC_DATA_SHAPE: ShapeOptions = { opaque: ['result[].data[].dimensionMap'] };
const SETTINGS_SHAPE: ShapeOptions = { opaque: ['items[].value', 'value'] };
const EDITED_RATIOS = ['result[].dataPointCountRatio: string in the real answer, number in the sandbox\'s', 'result[].dimensionCountRatio: string in the real answer, number in the sandbox\'s'];

const PAIRINGS: Pairing[] = [
  { recorded: 'GET_api_v2_apiTokens_ca4f773d77d3bb7', route: 'GET /api/v2/apiTokens', request: () => ({ path: '/api/v2/apiTokens' }) },
  { recorded: 'GET_api_v2_entities_64b5e3b6872892e', route: 'GET /api/v2/entities', request: () => ({ path: `/api/v2/entities?entitySelector=${enc('type("HOST")')}&fields=${enc(ENTITY_FIELDS)}` }),
  },
  { recorded: 'GET_api_v2_entities_HOST-82F576674F19AC16_eeb2d99e8563a18', route: 'GET /api/v2/entities/:entityId',
    request: (c) => ({ path: `/api/v2/entities/${c.hostId}?from=now-30d&fields=${enc(ENTITY_FIELDS)}` }),
    // A zone id "MANAGEMENT-ZONE-…" with a description; real zone ids are signed numbers and the list has none.
    edited: ['managementZones[].description'] },
  { recorded: 'GET_api_v2_entityTypes_DISK', route: 'GET /api/v2/entityTypes/:type', request: () => ({ path: '/api/v2/entityTypes/DISK' }),
    unfilled: { toRelationships: 'no entity of this world points at a disk (real ones: EBS volumes)' } },
  // Asked with pageSize=3, the recording is a last page of two types (its authors cut it): the sandbox's last page.
  { recorded: 'GET_api_v2_entityTypes_e0d8c23ec365525', route: 'GET /api/v2/entityTypes', request: () => ({ path: '/api/v2/entityTypes' }) },
  { recorded: 'GET_api_v2_metrics_b9525a59df51eee', route: 'GET /api/v2/metrics',
    request: () => ({ path: `/api/v2/metrics?pageSize=100&metricSelector=${enc('builtin:host.*')}&fields=${enc(METRIC_FIELDS)}&writtenSince=${enc('1970-01-19T18:17:09.621+00:00')}&metadataSelector=${enc('unit("Percent")')}` }) },
  { recorded: 'GET_api_v2_metrics_builtin_host_cpu_idle', route: 'GET /api/v2/metrics/:metricKey{.+}', request: () => ({ path: '/api/v2/metrics/builtin:host.cpu.idle' }) },
  { recorded: 'GET_api_v2_metrics_c1510d03fd2e55e', route: 'GET /api/v2/metrics', request: () => ({ path: `/api/v2/metrics?pageSize=100&fields=${enc(METRIC_FIELDS)}` }) },
  { recorded: 'GET_api_v2_metrics_c2452ee3448e535', route: 'GET /api/v2/metrics', request: () => ({ path: '/api/v2/metrics?pageSize=10' }) },
  { recorded: 'GET_api_v2_metrics_query_0f81e686e69f013', route: 'GET /api/v2/metrics/query', edited: EDITED_RATIOS,
    request: () => ({ path: `/api/v2/metrics/query?metricSelector=${enc('builtin:host.cpu.idle,builtin:host.cpu.idle:filter(eq("dt.entityhost",HOST-123))')}&from=now-3h&resolution=1h` }) },
  { recorded: 'GET_api_v2_metrics_query_3b31d1b7859b9a7', route: 'GET /api/v2/metrics/query',
    request: () => ({ path: `/api/v2/metrics/query?metricSelector=builtin:host.cpu.idle&from=now-84m` }) },
  { recorded: `GET_api_v2_problems_${PROBLEM}_8913ec9c57d7960`, route: 'GET /api/v2/problems/:problemId', request: (c) => ({ path: `/api/v2/problems/${c.problemId}` }),
  },
  { recorded: `GET_api_v2_problems_${PROBLEM}_comments_adba23bf24edbcc`, route: 'GET /api/v2/problems/:problemId/comments',
    request: (c) => ({ path: `/api/v2/problems/${c.problemId}/comments?pageSize=1` }) },
  { recorded: `GET_api_v2_problems_${PROBLEM}_comments_-7228967546616810529_1623004451641`, route: 'GET /api/v2/problems/:problemId/comments/:commentId',
    request: (c) => ({ path: `/api/v2/problems/${c.problemId}/comments/${c.commentId}` }) },
  { recorded: 'GET_api_v2_problems_0d7ed4db1cd91c2', route: 'GET /api/v2/problems', request: () => ({ path: '/api/v2/problems?from=now-3d' }) },
  { recorded: 'GET_api_v2_settings_objects_accb155250dbcbb', route: 'GET /api/v2/settings/objects', request: () => ({ path: '/api/v2/settings/objects?schemaIds=builtin:management-zones' }) },
  { recorded: `GET_api_v2_settings_objects_${SETTINGS_OBJECT}`, route: 'GET /api/v2/settings/objects/:objectId', request: (c) => ({ path: `/api/v2/settings/objects/${c.settingsId}` }) },
  { recorded: 'GET_api_v2_settings_schemas', route: 'GET /api/v2/settings/schemas', request: () => ({ path: '/api/v2/settings/schemas' }) },
  { recorded: 'POST_api_v2_metrics_ingest', route: 'POST /api/v2/metrics/ingest', status: 202,
    request: () => ({ path: '/api/v2/metrics/ingest', method: 'POST', body: 'completeness.a 1', headers: { 'content-type': 'text/plain; charset=utf-8' } }) },
  { recorded: 'POST_api_v2_settings_objects_48f5d7ab33b29d3', route: 'POST /api/v2/settings/objects',
    request: () => ({ path: '/api/v2/settings/objects?validateOnly=false', method: 'POST', body: [{ schemaId: 'builtin:tokens.token-settings', scope: 'environment', value: { patEnabled: true } }] }) },
  { recorded: `PUT_api_v2_settings_objects_${SETTINGS_OBJECT}_193f82b398660c4`, route: 'PUT /api/v2/settings/objects/:objectId',
    request: (c) => ({ path: `/api/v2/settings/objects/${c.settingsId}`, method: 'PUT', body: { value: { patEnabled: true } } }) },
];

/** Recorded answers of routes the sandbox does not serve, with the reason. */
const NOT_SERVED: Record<string, string> = {
  GET_api_v2_tags_3d3d3b0ff3c48c2: 'custom tags are read with the entities (`fields=+tags`); the tags API is not emulated',
  POST_api_v2_tags_4f8375bfcb42058: 'the sandbox\'s world is generated from its seed: entities are not written',
  POST_api_v2_tags_fe7d869df4dac8b: 'the sandbox\'s world is generated from its seed: entities are not written',
  DELETE_api_v2_tags_bfb7a4f8c7f839c: 'the sandbox\'s world is generated from its seed: entities are not written',
  [`POST_api_v2_problems_${PROBLEM}_close_91e97b2b99926eb`]: 'problems are generated from the seed: they are not closed or commented on',
  GET_api_v2_metrics_query_4fa21773411125d: 'the same route and shape as GET_api_v2_metrics_query_0f81e686e69f013 (a follow-up the metric query does not have)',
  [`GET_api_v2_problems_${PROBLEM}_comments_0fe92b50cb1bdcb`]: 'a follow-up page its authors edited into a single comment; the comment itself is compared',
};

/** Sandbox routes no recorded answer exists for. */
const NO_RECORDING: Record<string, string> = {
  'POST /api/v2/apiTokens': 'no token was created in the recordings',
  'POST /api/v2/apiTokens/lookup': 'no lookup was recorded',
  'GET /api/v2/apiTokens/:id': 'no single token was recorded',
  'PUT /api/v2/apiTokens/:id': '204, no body',
  'DELETE /api/v2/apiTokens/:id': '204, no body',
  'DELETE /api/v2/settings/objects/:objectId': '204, no body',
  'DELETE /api/v2/metrics/:metricKey{.+}': '202, no body',
};

describe('sandbox answers carry every key real answers carry', () => {
  let c: Ctx;
  beforeAll(async () => {
    const sb = createTestSandbox();
    const token = await sb.mintClassic(['apiTokens.read', 'apiTokens.write', 'entities.read', 'metrics.read', 'metrics.ingest', 'metrics.write', 'problems.read', 'settings.read', 'settings.write']);
    await sb.mintPat(DEMO.analyst, ['metrics.read']);
    const hostId = sb.deps.world.byType.get('HOST')![0]!.entityId;
    const withComments = sb.deps.world.problems.find((p) => (p.comments?.length ?? 0) > 1);
    const settings = (await (await sb.request('/api/v2/settings/objects?schemaIds=builtin:tokens.token-settings', { token })).json()) as { items: { objectId: string }[] };
    c = { sb, token, hostId, problemId: withComments!.problemId, commentId: withComments!.comments![0]!.id, settingsId: settings.items[0]!.objectId };
  });

  it('pairs every recorded answer with a sandbox route, or says why the sandbox does not serve it', () => {
    const named = [...PAIRINGS.map((p) => p.recorded), ...Object.keys(NOT_SERVED)].sort();
    expect(named).toEqual(recordedExchanges().map((e) => e.name).sort());
  });

  it('compares every route of the route table that a recorded answer exists for', () => {
    const routes = routeTable().map((r) => `${r.method} ${r.path}`);
    for (const p of PAIRINGS) expect(routes, p.recorded).toContain(p.route);
    expect(routes.filter((r) => !PAIRINGS.some((p) => p.route === r) && !(r in NO_RECORDING))).toEqual([]);
  });

  it.each(PAIRINGS.map((p) => [p.recorded, p] as const))('%s', async (_name, p) => {
    const req = p.request(c);
    const res = await c.sb.request(req.path, { token: c.token, method: req.method ?? 'GET', body: req.body, headers: req.headers });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(p.status ?? 200);
    const opts = p.route.includes('/entities') ? ENTITY_SHAPE : p.route.includes('/metrics/query') ? METRIC_DATA_SHAPE : p.route.includes('/settings/objects') ? SETTINGS_SHAPE : {};
    const real = shapeOf(JSON.parse(exchange(p.recorded).body), opts);
    const ours = shapeOf(JSON.parse(text), opts);
    const diff = compareShapes(real, ours);
    const edited = (x: string) => (p.edited ?? []).includes(x);
    expect({ missing: diff.missing.filter((m) => !edited(m)), kinds: diff.kinds.filter((k) => !edited(k)) }).toEqual({ missing: [], kinds: [] });
    expect(diff.unfilled.filter((u) => !(u in (p.unfilled ?? {})))).toEqual([]);
  });

  it.each(PAIRINGS.map((p) => [p.recorded, p] as const))('%s: a last page carries nextPageKey as the real last page does', async (_name, p) => {
    const real = JSON.parse(exchange(p.recorded).body) as Record<string, unknown>;
    // "null" as a string is the recording's authors' edit of null (reference/README.md).
    const realKey = real.nextPageKey === 'null' ? null : real.nextPageKey;
    if (typeof realKey === 'string' || Array.isArray(real)) return;
    const req = p.request(c);
    const ours = (await (await c.sb.request(req.path, { token: c.token, method: req.method ?? 'GET', body: req.body, headers: req.headers })).json()) as Record<string, unknown>;
    if (typeof ours.nextPageKey === 'string') throw new Error(`${req.path} is not a last page: choose a request that is`);
    expect({ has: 'nextPageKey' in ours, value: ours.nextPageKey ?? null }).toEqual({ has: 'nextPageKey' in real, value: realKey ?? null });
  });

  it('describes the metrics real servers have as they describe them: names, units, aggregations, dimensions, transformations', async () => {
    const recorded = new Map<string, Record<string, unknown>>();
    for (const e of recordedExchanges()) {
      const b = JSON.parse(e.body) as { metrics?: Record<string, unknown>[]; metricId?: string; aggregationTypes?: unknown };
      for (const m of b.metrics ?? (b.metricId && b.aggregationTypes ? [b as Record<string, unknown>] : [])) if (m.aggregationTypes) recorded.set(m.metricId as string, m);
    }
    const FIELDS = ['displayName', 'unit', 'aggregationTypes', 'defaultAggregation', 'dimensionDefinitions', 'entityType', 'transformations'] as const;
    const ours = (await (await c.sb.request(`/api/v2/metrics?pageSize=500&fields=${enc(FIELDS.map((f) => `+${f}`).join(','))}`, { token: c.token })).json()) as { metrics: Record<string, unknown>[] };
    const both = ours.metrics.filter((m) => recorded.has(m.metricId as string));
    expect(both.length).toBeGreaterThanOrEqual(10);
    const differences = both.flatMap((m) => FIELDS.filter((f) => JSON.stringify(m[f]) !== JSON.stringify(recorded.get(m.metricId as string)![f]))
      .map((f) => `${m.metricId as string} ${f}: ${JSON.stringify(m[f])} vs recorded ${JSON.stringify(recorded.get(m.metricId as string)![f])}`));
    expect(differences).toEqual([]);
  });
});
