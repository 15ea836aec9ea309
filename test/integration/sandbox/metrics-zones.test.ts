import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestSandbox, json, T0, type TestSandbox } from '../../helpers/sandbox';
import type { EntityRecord } from '../../../sandbox/world/world';

/**
 * Management zones on metrics, model-based: for generated users (grants on zone subsets or the
 * whole environment), selectors, entity selectors, mzSelectors and zone-denial modes, the sandbox
 * answers exactly the tuples a direct computation over the world expects, never a series (or an
 * id, or a zone name) from a zone the user lacks, and a 403 exactly when the query names a foreign
 * zone in `reject` mode or reads a metric without an entity dimension without environment-wide access.
 */

type Dims = Record<string, string>;
interface Query {
  grants: '*' | string[];
  role: 'viewer' | 'operator';
  metric: number;
  entitySelector: { type: 'HOST' | 'SERVICE'; zone: string | null } | null;
  mz: { zones: string[]; byId: boolean } | null;
  inZone: string;
  mode: 'reject' | 'filter';
}

const METRICS = [
  'builtin:host.cpu.usage:splitBy("dt.entity.host"):fold',
  'builtin:host.disk.usedPct:fold',
  'builtin:tech.generic.cpu.usage:parents:fold',
  'builtin:service.response.time:splitBy("dt.entity.service"):fold',
  'builtin:apps.web.apdex.userType:fold',
  'zones.custom.load:fold',
  'builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(HOST),mzName(~"ZONE~")"))):fold',
  'builtin:host.cpu.usage:names:fold',
  'builtin:billing.ddu.metrics.total:fold',
] as const;

describe('management zones on metrics (fast-check, model-based)', () => {
  let sb: TestSandbox;
  let zoneNames: string[];
  let run = 0;

  beforeAll(async () => {
    sb = createTestSandbox();
    zoneNames = sb.deps.world.zones.map((z) => z.name);
    const ingester = await sb.mintClassic(['metrics.ingest']);
    const lines = sb.deps.world.byType.get('HOST')!.map((h, i) => `zones.custom.load,dt.entity.host=${h.entityId} ${i} ${T0 - 5 * 60_000}`);
    lines.push(`zones.custom.load,node=unattached 1 ${T0 - 5 * 60_000}`);
    expect((await sb.request('/api/v2/metrics/ingest', { token: ingester, method: 'POST', body: lines.join('\n'), headers: { 'content-type': 'text/plain' } })).status).toBe(202);
  });

  const arbQuery = (): fc.Arbitrary<Query> => fc.record({
    grants: fc.oneof({ weight: 1, arbitrary: fc.constant('*' as const) }, { weight: 4, arbitrary: fc.subarray(zoneNames, { minLength: 1 }) }),
    role: fc.constantFrom('viewer' as const, 'operator' as const),
    metric: fc.integer({ min: 0, max: METRICS.length - 1 }),
    entitySelector: fc.option(fc.record({ type: fc.constantFrom('HOST' as const, 'SERVICE' as const), zone: fc.option(fc.constantFrom(...zoneNames)) }), { freq: 2 }),
    mz: fc.option(fc.record({ zones: fc.subarray(zoneNames, { minLength: 1, maxLength: 2 }), byId: fc.boolean() }), { freq: 2 }),
    inZone: fc.constantFrom(...zoneNames),
    mode: fc.constantFrom('reject' as const, 'filter' as const),
  });

  /** What the query must answer: a status, and for 200 the dimension maps of the (single) result. */
  function expected(q: Query): { status: 200; dims: Dims[] } | { status: 403; message: string } {
    const w = sb.deps.world;
    const email = `zone-user-${run}@example.com`;
    const mine = q.grants === '*' ? null : new Set(q.grants.map((n) => w.zoneByName.get(n)!.id));
    const sees = (e: EntityRecord) => !mine || e.zoneIds.some((z) => mine.has(z));
    // Explicit zones are checked in the order the sandbox reads its parameters.
    if (mine && q.mode === 'reject') {
      // The denial names the zone as asked: by name, or by id for mzId.
      const explicit = [
        ...(q.entitySelector?.zone ? [{ zone: q.entitySelector.zone, asked: q.entitySelector.zone }] : []),
        ...(q.mz ? q.mz.zones.map((n) => ({ zone: n, asked: q.mz!.byId ? w.zoneByName.get(n)!.id : n })) : []),
        ...(q.metric === 6 ? [{ zone: q.inZone, asked: q.inZone }] : []),
      ];
      const foreign = explicit.find((x) => !mine.has(w.zoneByName.get(x.zone)!.id));
      if (foreign) return { status: 403, message: `Management zone '${foreign.asked}' is not accessible to user '${email}'` };
    }
    const metric = METRICS[q.metric]!;
    if (metric.startsWith('builtin:billing')) {
      if (mine) return { status: 403, message: `User '${email}' lacks the permission 'environment-wide access' required to read 'builtin:billing.ddu.metrics.total': a metric without an entity dimension is not restricted to management zones` };
      return { status: 200, dims: q.mz || q.entitySelector ? [] : [{}] };
    }
    const mzIds = q.mz ? new Set(q.mz.zones.map((n) => w.zoneByName.get(n)!.id)) : null;
    const selected = q.entitySelector
      ? new Set(w.byType.get(q.entitySelector.type)!.filter((e) => sees(e) && (!q.entitySelector!.zone || e.zoneIds.includes(w.zoneByName.get(q.entitySelector!.zone)!.id))).map((e) => e.entityId))
      : null;
    const ok = (entities: (EntityRecord | undefined)[]) => entities.every((e) => e && sees(e) && (!mzIds || e.zoneIds.some((z) => mzIds.has(z))));
    const host = (e: EntityRecord, rel: string) => w.byId.get(e.fromRelationships[rel]![0]!)!;
    let tuples: { dims: Dims; entities: EntityRecord[]; byType: Record<string, string> }[] = [];
    const of = (type: string) => w.byType.get(type as never)!;
    switch (q.metric) {
      case 0: case 6: case 7: tuples = of('HOST').map((h) => ({ dims: { 'dt.entity.host': h.entityId, ...(q.metric === 7 ? { 'dt.entity.host.name': h.displayName } : {}) }, entities: [h], byType: { HOST: h.entityId } })); break;
      case 1: tuples = of('DISK').map((d) => ({ dims: { 'dt.entity.host': host(d, 'isDiskOf').entityId, 'dt.entity.disk': d.entityId }, entities: [host(d, 'isDiskOf'), d], byType: { HOST: host(d, 'isDiskOf').entityId, DISK: d.entityId } })); break;
      case 2: tuples = of('PROCESS_GROUP_INSTANCE').map((p) => ({ dims: { 'dt.entity.process_group_instance': p.entityId, 'dt.entity.host': host(p, 'isProcessOf').entityId }, entities: [p], byType: { PROCESS_GROUP_INSTANCE: p.entityId } })); break;
      case 3: tuples = of('SERVICE').map((s) => ({ dims: { 'dt.entity.service': s.entityId }, entities: [s], byType: { SERVICE: s.entityId } })); break;
      case 4: tuples = of('APPLICATION').flatMap((a) => ['Real users', 'Synthetic'].map((u) => ({ dims: { 'dt.entity.application': a.entityId, 'User type': u }, entities: [a], byType: { APPLICATION: a.entityId } }))); break;
      case 5: tuples = [...of('HOST').map((h) => ({ dims: { 'dt.entity.host': h.entityId }, entities: [h], byType: { HOST: h.entityId } })), { dims: { node: 'unattached' }, entities: [], byType: {} }]; break;
    }
    if (q.entitySelector) {
      const type = q.entitySelector.type;
      tuples = tuples.filter((t) => t.byType[type] !== undefined && selected!.has(t.byType[type]!));
    }
    tuples = tuples.filter((t) => (t.entities.length ? ok(t.entities) : !mine && !mzIds));
    if (q.metric === 6) {
      const zone = w.zoneByName.get(q.inZone)!.id;
      tuples = tuples.filter((t) => t.entities[0]!.zoneIds.includes(zone));
    }
    return { status: 200, dims: tuples.map((t) => t.dims) };
  }

  it('shows exactly the tuples of the caller\'s zones and names no foreign zone', async () => {
    let answered = 0;
    let denied = 0;
    await fc.assert(fc.asyncProperty(arbQuery(), async (q) => {
      run++;
      const email = `zone-user-${run}@example.com`;
      const created = await sb.admin('/users', 'POST', { email, grants: [{ role: q.role, zones: q.grants }] });
      expect(created.status).toBe(201);
      const token = await sb.mintPat(email, ['metrics.read']);
      await sb.admin('/settings', 'PUT', { zoneDenials: q.mode });
      const w = sb.deps.world;
      let path = `/api/v2/metrics/query?metricSelector=${encodeURIComponent(METRICS[q.metric]!.replace('ZONE', q.inZone))}`;
      if (q.entitySelector) path += `&entitySelector=${encodeURIComponent(`type(${q.entitySelector.type})${q.entitySelector.zone ? `,mzName("${q.entitySelector.zone}")` : ''}`)}`;
      if (q.mz) path += `&mzSelector=${encodeURIComponent(q.mz.byId ? `mzId(${q.mz.zones.map((n) => w.zoneByName.get(n)!.id).join(',')})` : `mzName(${q.mz.zones.map((n) => `"${n}"`).join(',')})`)}`;
      const res = await sb.request(path, { token });
      const text = await res.text();
      const want = expected(q);
      const ctx = `${JSON.stringify(q)} -> ${res.status} ${text.slice(0, 200)}`;
      expect(res.status, ctx).toBe(want.status);
      if (want.status === 403) {
        denied++;
        expect((JSON.parse(text) as { error: { message: string } }).error.message, ctx).toBe(want.message);
        return;
      }
      answered++;
      const body = JSON.parse(text) as { result: { data: { dimensionMap: Dims }[] }[] };
      const got = body.result[0]!.data.map((d) => JSON.stringify(Object.entries(d.dimensionMap).sort())).sort();
      expect(got, ctx).toEqual(want.dims.map((d) => JSON.stringify(Object.entries(d).sort())).sort());
      // Nothing in the body points to a foreign zone: no entity id, zone id or zone name.
      if (q.grants !== '*') {
        const mine = new Set(q.grants.map((n) => w.zoneByName.get(n)!.id));
        for (const m of text.matchAll(/[A-Z_]+-[0-9A-F]{16}/g)) {
          const e = w.byId.get(m[0]);
          if (e) expect(e.zoneIds.some((z) => mine.has(z)), `${ctx}: ${m[0]}`).toBe(true);
        }
        for (const z of w.zones) if (!mine.has(z.id)) { expect(text, ctx).not.toContain(z.id); expect(text, ctx).not.toContain(`"${z.name}"`); }
      }
    }), { numRuns: 300, seed: 4242 });
    expect(answered).toBeGreaterThan(50);
    expect(denied).toBeGreaterThan(10);
    await sb.admin('/settings', 'PUT', { zoneDenials: 'reject' });
  });

  it('takes grant changes into account on the next query', async () => {
    const email = 'zone-switch@example.com';
    await sb.admin('/users', 'POST', { email, grants: [{ role: 'viewer', zones: ['Staging'] }] });
    const token = await sb.mintPat(email, ['metrics.read']);
    const hostsOf = async () => (await json<{ result: { data: { dimensionMap: Dims }[] }[] }>(await sb.request(`/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:host.cpu.usage:fold')}`, { token })))
      .result[0]!.data.map((d) => sb.deps.world.byId.get(d.dimensionMap['dt.entity.host']!)!.displayName);
    expect((await hostsOf()).every((n) => n.startsWith('stg-'))).toBe(true);
    await sb.admin(`/users/${encodeURIComponent(email)}`, 'PATCH', { grants: [{ role: 'viewer', zones: ['Production US'] }] });
    expect((await hostsOf()).every((n) => n.startsWith('prd-us-'))).toBe(true);
  });
});
