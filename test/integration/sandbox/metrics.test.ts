import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, T0, type TestSandbox } from '../../helpers/sandbox';
import { BUILTIN_METRICS } from '../../../sandbox/metrics/builtin';

type Series = { dimensions: string[]; dimensionMap: Record<string, string>; timestamps: number[]; values: (number | null)[] };
type Result = { metricId: string; data: Series[]; warnings?: string[]; dataPointCountRatio: number; dimensionCountRatio: number };
type MetricData = { totalCount: number; nextPageKey: null; resolution: string; result: Result[]; warnings?: string[] };
type Descriptor = Record<string, unknown> & { metricId: string; dimensionDefinitions?: { key: string; index: number; type: string }[]; aggregationTypes?: string[] };
type Collection = { totalCount: number; nextPageKey: string | null; metrics: Descriptor[] };
type Envelope = { error: { code: number; message: string; constraintViolations?: { path: string; message: string }[] } };

const MIN = 60_000;
const HOUR = 3_600_000;

function mean(xs: (number | null)[]): number {
  const v = xs.filter((x): x is number => x !== null);
  return v.reduce((s, x) => s + x, 0) / v.length;
}

describe('sandbox metrics API (docs/dynatrace-api-notes.md §5, §6)', () => {
  let sb: TestSandbox;
  let admin: string;
  let analyst: string;
  let ingester: string;
  const get = (path: string, token = admin, headers: Record<string, string> = {}) => sb.request(path, { token, headers });
  const query = (sel: string, extra = '', token = admin) => get(`/api/v2/metrics/query?metricSelector=${encodeURIComponent(sel)}${extra}`, token);
  const data = async (sel: string, extra = '', token = admin): Promise<MetricData> => {
    const res = await query(sel, extra, token);
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(200);
    return JSON.parse(text) as MetricData;
  };
  const ingest = (body: string, token = ingester) => sb.request('/api/v2/metrics/ingest', { token, method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const hosts = () => sb.deps.world.byType.get('HOST')!;
  const zoneOf = (id: string) => sb.deps.world.byId.get(id)!.zoneIds.map((z) => sb.deps.world.zoneById.get(z)!.name);

  beforeAll(async () => {
    sb = createTestSandbox();
    admin = await sb.mintPat(DEMO.admin, ['metrics.read']);
    analyst = await sb.mintPat(DEMO.analyst, ['metrics.read']);
    ingester = await sb.mintClassic(['metrics.ingest', 'metrics.read']);
  });

  describe('descriptors', () => {
    it('lists about 25 built-in metrics with the default fields, capped pages and nextPageKey-only paging', async () => {
      const all = await json<Collection>(await get('/api/v2/metrics?pageSize=1000'));
      expect(all.totalCount).toBeGreaterThanOrEqual(24);
      expect(all.metrics).toHaveLength(all.totalCount);
      expect(all.nextPageKey).toBeNull();
      expect(Object.keys(all.metrics[0]!).sort()).toEqual(['description', 'displayName', 'metricId', 'unit']);
      const ids = all.metrics.map((m) => m.metricId);
      for (const k of ['builtin:host.cpu.usage', 'builtin:host.mem.avail.bytes', 'builtin:service.response.time', 'builtin:tech.generic.cpu.usage', 'builtin:apps.web.apdex.userType', 'builtin:billing.ddu.metrics.total']) expect(ids).toContain(k);
      const units = Object.fromEntries(all.metrics.map((m) => [m.metricId, m.unit]));
      expect(units).toMatchObject({ 'builtin:host.cpu.usage': 'Percent', 'builtin:host.mem.avail.bytes': 'Byte', 'builtin:host.net.nic.bytesRx': 'BytePerSecond', 'builtin:service.response.time': 'MicroSecond', 'builtin:service.requestCount.total': 'Count', 'builtin:apps.web.apdex.userType': 'NotApplicable' });

      const seen: string[] = [];
      let page = await json<Collection>(await get('/api/v2/metrics?pageSize=7&fields=metricId'));
      expect(page.metrics[0]).toEqual({ metricId: ids[0] });
      seen.push(...page.metrics.map((m) => m.metricId));
      while (page.nextPageKey) {
        expect((await get(`/api/v2/metrics?nextPageKey=${encodeURIComponent(page.nextPageKey)}&pageSize=7`)).status).toBe(400);
        page = await json<Collection>(await get(`/api/v2/metrics?nextPageKey=${encodeURIComponent(page.nextPageKey)}`));
        seen.push(...page.metrics.map((m) => m.metricId));
      }
      expect(seen).toEqual(ids);
      expect((await get('/api/v2/metrics?nextPageKey=garbage')).status).toBe(400);
      expect((await get('/api/v2/metrics?pageSize=0')).status).toBe(400);
    });

    it('selects by keys, sibling groups, wildcards and text, with field modifiers and a metadata selector', async () => {
      const ids = async (q: string) => (await json<Collection>(await get(`/api/v2/metrics?${q}`))).metrics.map((m) => m.metricId);
      const host = await ids(`metricSelector=${encodeURIComponent('builtin:host.*')}`);
      expect(host.length).toBeGreaterThanOrEqual(10);
      expect(host.every((k) => k.startsWith('builtin:host.'))).toBe(true);
      expect(await ids(`metricSelector=${encodeURIComponent('builtin:host.cpu.(usage,idle),builtin:service.response.time:splitBy()')}`))
        .toEqual(['builtin:host.cpu.usage', 'builtin:host.cpu.idle', 'builtin:service.response.time:splitBy()']);
      expect((await ids('metricSelector=builtin:*')).length).toBe(BUILTIN_METRICS.length);
      const cpu = await ids('text=CPU');
      expect(cpu).toContain('builtin:tech.generic.cpu.usage');
      expect(cpu.every((k) => /cpu|load/i.test(k))).toBe(true);
      expect(await ids(`metadataSelector=${encodeURIComponent('unit("MicroSecond"),dimensionKey("dt.entity.service")')}`)).toEqual(['builtin:service.response.server', 'builtin:service.response.time']);
      const extra = await json<Collection>(await get('/api/v2/metrics?metricSelector=builtin:host.disk.usedPct&fields=%2BaggregationTypes,%2BdimensionDefinitions,-description'));
      expect(Object.keys(extra.metrics[0]!).sort()).toEqual(['aggregationTypes', 'dimensionDefinitions', 'displayName', 'metricId', 'unit']);
      expect(extra.metrics[0]!.dimensionDefinitions!.map((d) => d.key)).toEqual(['dt.entity.host', 'dt.entity.disk']);

      const bad = await get(`/api/v2/metrics?metricSelector=${encodeURIComponent('builtin:host.cpu.usage:fold')}`);
      expect(bad.status).toBe(400);
      expect((await json<Envelope>(bad)).error.constraintViolations![0]!.message).toContain('fold');
      const missing = await get('/api/v2/metrics?metricSelector=builtin:host.cpu.nope');
      expect(missing.status).toBe(404);
      expect((await json<Envelope>(missing)).error.message).toContain('builtin:host.cpu.nope');
      expect((await get('/api/v2/metrics?fields=nonsense')).status).toBe(400);
    });

    it('refuses a metric key longer than 255 characters with a 400 (no metric can have it), in the list, the descriptor and the query', async () => {
      const long = `custom.${'a'.repeat(249)}`;
      expect(long).toHaveLength(256);
      for (const [path, param] of [
        [`/api/v2/metrics?metricSelector=${long}`, 'metricSelector'],
        [`/api/v2/metrics/${long}`, 'metricKey'],
        [`/api/v2/metrics/query?metricSelector=${encodeURIComponent(`(builtin:host.cpu.usage + ${long}:avg):fold`)}`, 'metricSelector'],
      ] as const) {
        const res = await get(path);
        expect(res.status, path).toBe(400);
        const body = await json<Envelope>(res);
        expect(body.error.constraintViolations?.[0]?.path).toBe(param);
        expect(body.error.constraintViolations?.[0]?.message).toContain('at most 255 characters');
        expect(JSON.stringify(body)).not.toContain(long);
      }
      expect((await get(`/api/v2/metrics/${long.slice(0, 255)}`)).status).toBe(404);
    });

    it('counts dimension cardinalities over what the caller can see', async () => {
      type Card = { key: string; estimate: number; relative: number };
      const cards = async (key: string, token: string) => {
        const listed = await json<Collection>(await get(`/api/v2/metrics?metricSelector=${encodeURIComponent(key)}&fields=dimensionCardinalities`, token));
        const single = await json<Descriptor>(await get(`/api/v2/metrics/${encodeURIComponent(key)}`, token));
        expect(listed.metrics[0]!.dimensionCardinalities).toEqual(single.dimensionCardinalities);
        return Object.fromEntries((single.dimensionCardinalities as Card[]).map((c) => [c.key, c.estimate]));
      };
      const eu = sb.deps.world.zoneByName.get('Production EU')!.id;
      const visible = (type: 'HOST' | 'DISK' | 'SERVICE') => sb.deps.world.byType.get(type)!.filter((e) => e.zoneIds.includes(eu)).length;
      const all = (type: 'HOST' | 'DISK' | 'SERVICE') => sb.deps.world.byType.get(type)!.length;
      expect(visible('HOST')).toBeLessThan(all('HOST'));
      expect(await cards('builtin:host.cpu.usage', admin)).toEqual({ 'dt.entity.host': all('HOST') });
      expect(await cards('builtin:host.cpu.usage', analyst)).toEqual({ 'dt.entity.host': visible('HOST') });
      expect(await cards('builtin:host.disk.avail', analyst)).toEqual({ 'dt.entity.host': visible('HOST'), 'dt.entity.disk': visible('DISK') });
      expect(await cards('builtin:service.response.time', analyst)).toEqual({ 'dt.entity.service': visible('SERVICE') });
      // Ingested series: one per host, plus one without an entity (a zone-restricted caller sees none of those).
      const lines = hosts().map((h, i) => `cardinality.test.load,dt.entity.host=${h.entityId},slot=s${i % 3} ${i} ${T0 - 5 * MIN}`);
      lines.push(`cardinality.test.load,slot=unattached 1 ${T0 - 5 * MIN}`);
      expect((await ingest(lines.join('\n'))).status).toBe(202);
      expect(await cards('cardinality.test.load', admin)).toEqual({ 'dt.entity.host': all('HOST'), slot: 4 });
      const euSlots = new Set(hosts().map((h, i) => (h.zoneIds.includes(eu) ? `s${i % 3}` : null)).filter(Boolean)).size;
      expect(await cards('cardinality.test.load', analyst)).toEqual({ 'dt.entity.host': visible('HOST'), slot: euSlots });
    });

    it('describes one metric, also with transformations that change its dimensions', async () => {
      const d = await json<Descriptor>(await get('/api/v2/metrics/builtin:host.cpu.usage'));
      expect(d).toMatchObject({
        metricId: 'builtin:host.cpu.usage', unit: 'Percent', entityType: ['HOST'], aggregationTypes: ['auto', 'avg', 'max', 'min'],
        defaultAggregation: { type: 'avg' }, dimensionDefinitions: [{ key: 'dt.entity.host', name: 'Host', displayName: 'Host', index: 0, type: 'ENTITY' }],
        minimumValue: 0, maximumValue: 100,
      });
      const rt = await json<Descriptor>(await get(`/api/v2/metrics/${encodeURIComponent('builtin:service.response.time')}`));
      expect(rt.aggregationTypes).toContain('percentile');
      const split = await json<Descriptor>(await get(`/api/v2/metrics/${encodeURIComponent('builtin:host.disk.avail:splitBy()')}`));
      expect(split.metricId).toBe('builtin:host.disk.avail:splitBy()');
      expect(split.dimensionDefinitions).toEqual([]);
      const names = await json<Descriptor>(await get('/api/v2/metrics/builtin:host.disk.avail:names'));
      expect(names.dimensionDefinitions!.map((x) => `${x.index}:${x.key}`)).toEqual(['0:dt.entity.host.name', '1:dt.entity.host', '2:dt.entity.disk.name', '3:dt.entity.disk']);
      const parents = await json<Descriptor>(await get('/api/v2/metrics/builtin:tech.generic.cpu.usage:parents'));
      expect(parents.dimensionDefinitions!.map((x) => x.key)).toEqual(['dt.entity.process_group_instance', 'dt.entity.host']);
      const agg = await json<Descriptor>(await get(`/api/v2/metrics/${encodeURIComponent('builtin:host.cpu.usage:splitBy("dt.entity.host"):max')}`));
      expect(agg).toMatchObject({ aggregationTypes: ['auto', 'value'], defaultAggregation: { type: 'value' } });
      const missing = await get('/api/v2/metrics/builtin:host.cpu.nope');
      expect(missing.status).toBe(404);
      expect((await json<Envelope>(missing)).error.message).toBe("Metric key 'builtin:host.cpu.nope' not found");
      expect((await get(`/api/v2/metrics/${encodeURIComponent('builtin:host.cpu.usage + 1')}`)).status).toBe(400);
      expect((await get('/api/v2/metrics/builtin:host.cpu.usage', admin, { accept: 'application/xml' })).status).toBe(406);
    });
  });

  describe('data points', () => {
    it('answers 120 one-minute slots for the default two hours, timestamps at slot ends', async () => {
      const d = await data('builtin:host.cpu.usage');
      expect(d.resolution).toBe('1m');
      expect(d.nextPageKey).toBeNull();
      expect(d.totalCount).toBe(hosts().length);
      const s = d.result[0]!.data[0]!;
      expect(s.timestamps).toHaveLength(120);
      expect(s.timestamps[0]).toBe(T0 - 2 * HOUR + MIN);
      expect(s.timestamps.at(-1)).toBe(T0);
      expect(s.dimensions).toEqual([s.dimensionMap['dt.entity.host']]);
      expect(d.result[0]!.dataPointCountRatio).toBeGreaterThan(0);
      expect(d.result[0]!.dimensionCountRatio).toBeGreaterThan(0);
    });

    it.each([
      ['60', 'now-2h', '2m', 60],
      ['5m', 'now-2h', '5m', 24],
      ['1h', 'now-1d', '1h', 24],
      ['30s', 'now-10m', '1m', 10],
      ['Inf', 'now-1d', 'Inf', 1],
      [undefined, 'now-1d', '15m', 96],
      [undefined, 'now-7d', '2h', 84],
    ])('resolution %s over %s is %s with %i points', async (resolution, from, expected, points) => {
      const d = await data('builtin:host.cpu.usage:splitBy()', `&from=${from}${resolution ? `&resolution=${resolution}` : ''}`);
      expect(d.resolution).toBe(expected);
      expect(d.result[0]!.data[0]!.timestamps).toHaveLength(points);
      expect(d.result[0]!.data[0]!.timestamps.at(-1)).toBe(T0);
    });

    it('takes per-expression resolutions and answers the finest one', async () => {
      const d = await data('builtin:host.cpu.usage:splitBy(),builtin:host.mem.usage:splitBy()', '&resolution=0:Inf,1:10m&from=now-1h');
      expect(d.resolution).toBe('10m');
      expect(d.result[0]!.data[0]!.timestamps).toHaveLength(1);
      expect(d.result[1]!.data[0]!.timestamps).toHaveLength(6);
    });

    it.each([
      ['resolution=fast', 'resolution'],
      ['resolution=0', 'resolution'],
      ['from=yesterday', 'from'],
      ['to=2026-13-01', 'to'],
      ['from=now&to=now-1h', 'from'],
    ])('rejects %s with 400 naming the parameter', async (param, name) => {
      const res = await query('builtin:host.cpu.usage', `&${param}`);
      expect(res.status).toBe(400);
      expect((await json<Envelope>(res)).error.constraintViolations![0]!.path).toBe(name);
    });

    it('accepts epoch milliseconds and ISO dates as well as relative times', async () => {
      const rel = await data('builtin:host.cpu.usage:splitBy()', '&from=now-3h&to=now-1h&resolution=10m');
      const ms = await data('builtin:host.cpu.usage:splitBy()', `&from=${T0 - 3 * HOUR}&to=${T0 - HOUR}&resolution=10m`);
      const iso = await data('builtin:host.cpu.usage:splitBy()', '&from=2026-11-20T09:00:00Z&to=2026-11-20 11:00&resolution=10m');
      expect(ms.result).toEqual(rel.result);
      expect(iso.result).toEqual(rel.result);
    });

    it('is deterministic: the same query gives the same answer, in another sandbox with the same seed too', async () => {
      const sel = 'builtin:service.response.time:splitBy("dt.entity.service"):percentile(90),builtin:host.disk.avail';
      const a = await data(sel, '&from=now-1d&resolution=1h');
      const b = await data(sel, '&from=now-1d&resolution=1h');
      expect(b).toEqual(a);
      const other = createTestSandbox();
      const token = await other.mintPat(DEMO.admin, ['metrics.read']);
      const c = await json<MetricData>(await other.request(`/api/v2/metrics/query?metricSelector=${encodeURIComponent(sel)}&from=now-1d&resolution=1h`, { token }));
      expect(c).toEqual(a);
    });

    it('generates plausible values: percentages within 0-100, whole non-negative counts, microsecond response times that peak by day', async () => {
      const pct = await data('builtin:host.cpu.usage,builtin:host.mem.usage,builtin:host.disk.usedPct,builtin:service.errors.total.rate,builtin:tech.generic.cpu.usage', '&from=now-1d&resolution=10m');
      for (const r of pct.result) for (const s of r.data) for (const v of s.values) if (v !== null) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThanOrEqual(100); }
      const counts = await data('builtin:service.requestCount.total,builtin:service.errors.total.count,builtin:apps.web.actionCount.load.browser', '&from=now-1d&resolution=1m');
      let nonZero = 0;
      for (const r of counts.result) for (const s of r.data) for (const v of s.values) if (v !== null) { expect(Number.isInteger(v)).toBe(true); expect(v).toBeGreaterThanOrEqual(0); if (v > 0) nonZero++; }
      expect(nonZero).toBeGreaterThan(1000);
      const req = await data('builtin:service.requestCount.total:splitBy("dt.entity.service"):fold(value)', '&from=now-1d');
      const err = await data('builtin:service.errors.total.count:splitBy("dt.entity.service"):fold(value)', '&from=now-1d');
      const reqBy = new Map(req.result[0]!.data.map((s) => [s.dimensionMap['dt.entity.service'], s.values[0]!]));
      for (const s of err.result[0]!.data) expect(s.values[0]!).toBeLessThanOrEqual(reqBy.get(s.dimensionMap['dt.entity.service']!)!);
      // EU services peak at 13:00 UTC: afternoon response times and loads are above the night's.
      const rt = await data('builtin:service.response.time:filter(in("dt.entity.service",entitySelector("type(SERVICE),mzName(~"Production EU~")"))):splitBy():avg', '&from=now-1d&resolution=1h');
      const rc = await data('builtin:service.requestCount.total:filter(in("dt.entity.service",entitySelector("type(SERVICE),mzName(~"Production EU~")"))):splitBy()', '&from=now-1d&resolution=1h');
      const at = (d: MetricData, hour: number) => d.result[0]!.data[0]!.values[d.result[0]!.data[0]!.timestamps.findIndex((t) => new Date(t - 1).getUTCHours() === hour)]!;
      expect(at(rc, 13)).toBeGreaterThan(at(rc, 1) * 1.5);
      expect(at(rt, 13)).toBeGreaterThan(at(rt, 1));
      expect(at(rt, 13)).toBeGreaterThan(1_000); // microseconds
    });

    it('has outages (null slots) and no data before a host was first seen', async () => {
      const d = await data('builtin:host.cpu.usage', '&from=now-1d&resolution=1m');
      const nulls = d.result[0]!.data.map((s) => s.values.filter((v) => v === null).length);
      expect(nulls.some((n) => n > 0)).toBe(true);
      const late = hosts().find((h) => h.firstSeenTms > T0 - 86_400_000)!;
      expect(late).toBeDefined();
      const s = d.result[0]!.data.find((x) => x.dimensionMap['dt.entity.host'] === late.entityId)!;
      s.timestamps.forEach((t, i) => { if (t <= late.firstSeenTms) expect(s.values[i]).toBeNull(); });
      expect(s.values.filter((v, i) => v !== null && s.timestamps[i]! > late.firstSeenTms + 10 * MIN).length).toBeGreaterThan(600);
      // A timeframe before the host existed has no series for it at all.
      const before = await data('builtin:host.cpu.usage', `&from=${late.firstSeenTms - 4 * HOUR}&to=${late.firstSeenTms - HOUR}`);
      expect(before.result[0]!.data.some((x) => x.dimensionMap['dt.entity.host'] === late.entityId)).toBe(false);
    });

    it('keeps coarse slots consistent with the one-minute base', async () => {
      const fine = await data('builtin:host.cpu.usage,builtin:service.requestCount.total', '&from=now-3h&to=now-1h&resolution=1m');
      const coarse = await data('builtin:host.cpu.usage,builtin:service.requestCount.total', '&from=now-3h&to=now-1h&resolution=1h');
      for (const [r, agg] of [[0, 'avg'], [1, 'sum']] as const) {
        for (const s of coarse.result[r]!.data) {
          const f = fine.result[r]!.data.find((x) => x.dimensions.join() === s.dimensions.join())!;
          s.timestamps.forEach((t, i) => {
            const minutes = f.values.filter((_, j) => f.timestamps[j]! > t - HOUR && f.timestamps[j]! <= t);
            const v = s.values[i]!;
            if (v === null) { expect(minutes.every((m) => m === null)).toBe(true); return; }
            const expected = agg === 'avg' ? mean(minutes) : minutes.reduce<number>((a, x) => a + (x ?? 0), 0);
            expect(Math.abs(v - expected) / Math.max(1, expected), `${r} ${s.dimensions.join()} ${t}`).toBeLessThan(0.06);
          });
        }
      }
    });

    it('restricts entity dimensions with an entity selector', async () => {
      const d = await data('builtin:host.cpu.usage:fold,builtin:host.disk.usedPct:fold', `&entitySelector=${encodeURIComponent('type(HOST),entityName.startsWith("prd-eu-web")')}`);
      const web = hosts().filter((h) => h.displayName.startsWith('prd-eu-web')).map((h) => h.entityId).sort();
      expect(d.result[0]!.data.map((s) => s.dimensionMap['dt.entity.host']).sort()).toEqual(web);
      expect(d.result[1]!.data.length).toBeGreaterThanOrEqual(web.length);
      expect(new Set(d.result[1]!.data.map((s) => s.dimensionMap['dt.entity.host'])).size).toBe(web.length);
      const other = await data('builtin:service.response.time', `&entitySelector=${encodeURIComponent('type(HOST)')}`);
      expect(other.result[0]!.data).toEqual([]);
      expect(other.result[0]!.warnings![0]).toContain('no dimension of that type');
      expect((await query('builtin:host.cpu.usage', '&entitySelector=tag(x)')).status).toBe(400);
    });

    it('filters by management zone with mzSelector (ids and names, criteria AND-ed)', async () => {
      const w = sb.deps.world;
      const us = w.zoneByName.get('Production US')!;
      const byId = await data('builtin:host.cpu.usage:fold', `&mzSelector=mzId(${us.id})`);
      expect(byId.result[0]!.data.length).toBe(hosts().filter((h) => h.zoneIds.includes(us.id)).length);
      const byName = await data('builtin:host.cpu.usage:fold', `&mzSelector=${encodeURIComponent('mzName("Production US","Staging")')}`);
      expect(byName.result[0]!.data.every((s) => ['Production US', 'Staging'].includes(zoneOf(s.dimensionMap['dt.entity.host']!)[0]!))).toBe(true);
      const both = await data('builtin:service.response.time:fold', `&mzSelector=${encodeURIComponent('mzName("Production EU"),mzName("Shared Services")')}`);
      expect(both.result[0]!.data.length).toBeGreaterThan(0);
      expect(both.result[0]!.data.every((s) => zoneOf(s.dimensionMap['dt.entity.service']!).includes('Shared Services'))).toBe(true);
      expect((await query('builtin:host.cpu.usage', '&mzSelector=zone(1)')).status).toBe(400);
    });

    it('answers 404 naming an unknown metric, 400 for too many metrics or a bad selector, warnings for unknown dimensions', async () => {
      const res = await query('builtin:host.cpu.usage,custom.does.not.exist');
      expect(res.status).toBe(404);
      expect((await json<Envelope>(res)).error.message).toBe("Metric key 'custom.does.not.exist' not found");
      const many = await query(Array.from({ length: 11 }, () => 'builtin:host.cpu.usage').join(','));
      expect(many.status).toBe(400);
      expect((await json<Envelope>(many)).error.constraintViolations![0]!.message).toContain('at most 10 metrics');
      const syntax = await query('builtin:host.cpu.usage:splitBy(');
      expect(syntax.status).toBe(400);
      expect((await json<Envelope>(syntax)).error.constraintViolations![0]!.path).toBe('metricSelector');
      expect((await get('/api/v2/metrics/query')).status).toBe(400);
      const agg = await query('builtin:service.requestCount.total:avg');
      expect(agg.status).toBe(400);
      expect((await json<Envelope>(agg)).error.constraintViolations![0]!.message).toContain("use one of auto, value");
      const unsupported = await query('builtin:host.cpu.usage:smooth(skipfirst)');
      expect(unsupported.status).toBe(400);
      expect((await json<Envelope>(unsupported)).error.constraintViolations![0]!.message).toContain('not supported');
      const dim = await data('builtin:host.cpu.usage:filter(eq("dt.entityhost","HOST-1")),builtin:host.cpu.idle:splitBy("dt.entity.host")');
      expect(dim.result[0]!.data).toEqual([]);
      expect(dim.result[0]!.warnings).toEqual(['The dimension key `dt.entityhost` has been referenced, but the metric has no such key.']);
      expect(dim.warnings).toEqual(dim.result[0]!.warnings);
      expect(dim.result[1]!.data.length).toBe(hosts().length);
    });

    it('serves CSV with and without a header, JSON by default and 406 otherwise', async () => {
      const sel = encodeURIComponent('builtin:host.cpu.usage:filter(eq("dt.entity.host","HOST-484F3E32248C1E89")):names');
      const path = `/api/v2/metrics/query?metricSelector=${sel}&from=now-10m`;
      const withHeader = await get(path, admin, { accept: 'text/csv; header=present' });
      expect(withHeader.headers.get('content-type')).toBe('text/csv; header=present; charset=utf-8');
      const lines = (await withHeader.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe('metricId,dt.entity.host.name,dt.entity.host,time,value');
      expect(lines).toHaveLength(11);
      expect(lines[10]).toMatch(/^"builtin:host\.cpu\.usage:filter\(eq\(""dt\.entity\.host"",""HOST-484F3E32248C1E89""\)\):names",prd-eu-web-01,HOST-484F3E32248C1E89,2026-11-20 12:00:00,[\d.]*$/);
      const noHeader = await get(path, admin, { accept: 'text/csv; header=absent' });
      expect(noHeader.headers.get('content-type')).toBe('text/csv; header=absent; charset=utf-8');
      expect((await noHeader.text()).trimEnd().split('\r\n')).toEqual(lines.slice(1));
      expect((await get(path, admin, { accept: 'application/json' })).headers.get('content-type')).toMatch(/^application\/json/);
      expect((await get(path, admin, { accept: 'text/html' })).status).toBe(406);
    });
  });

  describe('the documentation examples (docs/dynatrace-api-notes.md §5.4, §6.2)', () => {
    it('builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)', async () => {
      const sel = 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)';
      const d = await data(sel, '&from=now-6h');
      expect(d.result[0]!.metricId).toBe(sel);
      const series = d.result[0]!.data;
      expect(series).toHaveLength(10);
      const avgs = series.map((s) => mean(s.values));
      expect([...avgs].sort((a, b) => b - a)).toEqual(avgs);
      expect(series.every((s) => Object.keys(s.dimensionMap).join() === 'dt.entity.host')).toBe(true);
      const all = await data('builtin:host.cpu.usage:splitBy("dt.entity.host"):avg', '&from=now-6h');
      expect(Math.min(...avgs)).toBeGreaterThanOrEqual(Math.max(...all.result[0]!.data.map((s) => mean(s.values)).sort((a, b) => b - a).slice(10)));
    });

    it('builtin:service.response.time:filter(eq("dt.entity.service","SERVICE-…")):percentile(95)', async () => {
      const service = sb.deps.world.byType.get('SERVICE')![3]!.entityId;
      const d = await data(`builtin:service.response.time:filter(eq("dt.entity.service","${service}")):percentile(95)`, '&from=now-2h&resolution=10m');
      const avg = await data(`builtin:service.response.time:filter(eq("dt.entity.service","${service}")):avg`, '&from=now-2h&resolution=10m');
      expect(d.result[0]!.data).toHaveLength(1);
      expect(d.result[0]!.data[0]!.dimensionMap).toEqual({ 'dt.entity.service': service });
      d.result[0]!.data[0]!.values.forEach((v, i) => { if (v !== null) expect(v).toBeGreaterThan(avg.result[0]!.data[0]!.values[i]!); });
    });

    it('builtin:host.cpu.(usage,idle):fold', async () => {
      const d = await data('builtin:host.cpu.(usage,idle):fold');
      expect(d.result.map((r) => r.metricId)).toEqual(['builtin:host.cpu.usage:fold', 'builtin:host.cpu.idle:fold']);
      const idle = new Map(d.result[1]!.data.map((s) => [s.dimensions[0], s.values[0]!]));
      for (const s of d.result[0]!.data) {
        expect(s.timestamps).toEqual([T0]);
        expect(s.values[0]! + idle.get(s.dimensions[0])!).toBeCloseTo(100, 6);
      }
    });

    it('names, parents, default, last, lastReal, rate, delta, rollup, timeshift and series filters', async () => {
      const pgi = sb.deps.world.byType.get('PROCESS_GROUP_INSTANCE')![0]!;
      const host = sb.deps.world.byId.get(pgi.fromRelationships.isProcessOf![0]!)!;
      const p = await data(`builtin:tech.generic.cpu.usage:filter(eq("dt.entity.process_group_instance","${pgi.entityId}")):parents:names:fold`);
      expect(p.result[0]!.data[0]!.dimensionMap).toEqual({
        'dt.entity.process_group_instance.name': pgi.displayName, 'dt.entity.process_group_instance': pgi.entityId,
        'dt.entity.host.name': host.displayName, 'dt.entity.host': host.entityId,
      });
      expect(p.result[0]!.data[0]!.dimensions).toEqual([pgi.displayName, pgi.entityId, host.displayName, host.entityId]);

      const base = await data('builtin:host.cpu.usage:splitBy():avg', '&from=now-1h&resolution=5m');
      const v = base.result[0]!.data[0]!.values as number[];
      const check = async (suffix: string, f: (vals: (number | null)[]) => (number | null)[] | void) => {
        const d = await data(`builtin:host.cpu.usage:splitBy():avg${suffix}`, '&from=now-1h&resolution=5m');
        return f(d.result[0]!.data[0]!.values);
      };
      await check(':delta', (vals) => { expect(vals[0]).toBeNull(); vals.slice(1).forEach((x, i) => expect(x).toBeCloseTo(Math.max(0, v[i + 1]! - v[i]!), 5)); });
      await check(':rate(1h)', (vals) => vals.forEach((x, i) => expect(x).toBeCloseTo(v[i]! * 12, 4)));
      await check(':rollup(max,15m)', (vals) => vals.forEach((x, i) => expect(x).toBeCloseTo(Math.max(...v.slice(Math.max(0, i - 2), i + 1)), 5)));
      await check(':lastReal', (vals) => expect(vals).toEqual([v.at(-1)]));
      await check(':last', (vals) => expect(vals).toEqual([v.at(-1)]));
      await check(':default(0)', (vals) => expect(vals).toEqual(v));
      const shifted = await data('builtin:host.cpu.usage:splitBy():avg:timeshift(-1d)', '&from=now-1h&resolution=5m');
      const yesterday = await data('builtin:host.cpu.usage:splitBy():avg', '&from=now-25h&to=now-24h&resolution=5m');
      expect(shifted.result[0]!.data[0]!.values).toEqual(yesterday.result[0]!.data[0]!.values);
      expect(shifted.result[0]!.data[0]!.timestamps).toEqual(base.result[0]!.data[0]!.timestamps);

      const busy = await data('builtin:host.cpu.usage:filter(series(avg,gt(30))):avg:fold', '&from=now-6h');
      const all = await data('builtin:host.cpu.usage:avg:fold', '&from=now-6h');
      expect(busy.result[0]!.data.map((s) => s.dimensions[0])).toEqual(all.result[0]!.data.filter((s) => s.values[0]! > 30).map((s) => s.dimensions[0]));
      const empty = await data('builtin:host.cpu.usage:filter(eq("dt.entity.host","HOST-0000000000000000")):splitBy():default(7,always)', '&from=now-10m');
      expect(empty.result[0]!.data).toEqual([{ dimensions: [], dimensionMap: {}, timestamps: Array.from({ length: 10 }, (_, i) => T0 - 9 * MIN + i * MIN), values: Array(10).fill(7) }]);
    });

    it('evaluates arithmetic: tuples pair by identical dimensions, numbers pair with all, nulls propagate', async () => {
      const d = await data('builtin:host.cpu.user + builtin:host.cpu.system,builtin:host.cpu.usage,(builtin:host.cpu.idle - 100) * -1', '&from=now-30m');
      const usage = new Map(d.result[1]!.data.map((s) => [s.dimensions[0], s.values]));
      expect(d.result[0]!.metricId).toBe('builtin:host.cpu.user + builtin:host.cpu.system');
      expect(d.result[0]!.data).toHaveLength(hosts().length);
      for (const s of d.result[0]!.data) s.values.forEach((x, i) => { if (x === null) expect(usage.get(s.dimensions[0])![i]).toBeNull(); else expect(x).toBeLessThanOrEqual(usage.get(s.dimensions[0])![i]! + 1e-9); });
      for (const s of d.result[2]!.data) s.values.forEach((x, i) => { if (x !== null) expect(x).toBeCloseTo(usage.get(s.dimensions[0])![i]!, 6); });
      const ratio = await data('builtin:service.errors.total.count:splitBy() / builtin:service.requestCount.total:splitBy() * 100', '&from=now-1h&resolution=10m');
      ratio.result[0]!.data[0]!.values.forEach((x) => { expect(x).toBeGreaterThanOrEqual(0); expect(x).toBeLessThan(100); });
    });
  });

  describe('analyst queries, zone-restricted for the EU analyst', () => {
    const euIds = () => new Set(sb.deps.world.zones.filter((z) => z.name === 'Production EU').map((z) => z.id));
    const inEu = (id: string) => sb.deps.world.byId.get(id)!.zoneIds.some((z) => euIds().has(z));

    it('CPU by host', async () => {
      const sel = 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:names';
      const mine = await data(sel, '&from=now-1d&resolution=1h', analyst);
      const all = await data(sel, '&from=now-1d&resolution=1h');
      expect(mine.result[0]!.data.map((s) => s.dimensionMap['dt.entity.host'])).toEqual(all.result[0]!.data.map((s) => s.dimensionMap['dt.entity.host']).filter((id) => inEu(id!)));
      expect(mine.result[0]!.data.length).toBe(hosts().filter((h) => inEu(h.entityId)).length);
      expect(mine.result[0]!.data.every((s) => s.dimensionMap['dt.entity.host.name']!.startsWith('prd-eu-'))).toBe(true);
    });

    it('load actions by browser: browsers are named and in no zone, the application decides who sees a series', async () => {
      const sel = 'builtin:apps.web.actionCount.load.browser:splitBy("dt.entity.application","dt.entity.browser"):fold:names';
      const mine = await data(sel, '&from=now-2h', analyst);
      const all = await data(sel, '&from=now-2h');
      const apps = (d: MetricData) => [...new Set(d.result[0]!.data.map((s) => s.dimensionMap['dt.entity.application']!))];
      expect(apps(mine).length).toBeGreaterThan(0);
      expect(apps(mine)).toEqual(apps(all).filter((id) => inEu(id)));
      const series = mine.result[0]!.data;
      expect(new Set(series.map((s) => s.dimensionMap['dt.entity.browser.name'])).size).toBe(4);
      expect(series.every((s) => /^BROWSER-[0-9A-F]{16}$/.test(s.dimensionMap['dt.entity.browser']!))).toBe(true);
      // Chrome carries the largest share of every application's actions.
      for (const app of apps(mine)) {
        const byBrowser = series.filter((s) => s.dimensionMap['dt.entity.application'] === app);
        const top = byBrowser.reduce((a, b) => ((a.values[0] ?? 0) >= (b.values[0] ?? 0) ? a : b));
        expect(top.dimensionMap['dt.entity.browser.name']).toBe('Chrome');
      }
      // The descriptor lists what the query splits by.
      const d = await json<{ dimensionDefinitions: { key: string }[] }>(await get('/api/v2/metrics/builtin:apps.web.actionCount.load.browser'));
      expect(d.dimensionDefinitions.map((x) => x.key)).toEqual(['dt.entity.application', 'dt.entity.browser']);
    });

    it('top 10 slowest services', async () => {
      const sel = 'builtin:service.response.time:splitBy("dt.entity.service"):avg:fold:sort(value(avg,descending)):limit(10):names';
      const mine = await data(sel, '&from=now-1d', analyst);
      expect(mine.result[0]!.data.length).toBeGreaterThan(3);
      expect(mine.result[0]!.data.length).toBeLessThanOrEqual(10);
      expect(mine.result[0]!.data.every((s) => inEu(s.dimensionMap['dt.entity.service']!))).toBe(true);
      const values = mine.result[0]!.data.map((s) => s.values[0]!);
      expect([...values].sort((a, b) => b - a)).toEqual(values);
    });

    it('errors over a week at 1h', async () => {
      const sel = 'builtin:service.errors.total.count:splitBy()';
      const mine = await data(sel, '&from=now-7d&resolution=1h', analyst);
      const all = await data(sel, '&from=now-7d&resolution=1h');
      const s = mine.result[0]!.data[0]!;
      expect(s.timestamps).toHaveLength(168);
      expect(s.values.every((v) => v !== null && Number.isInteger(v) && v >= 0)).toBe(true);
      s.values.forEach((v, i) => expect(v!).toBeLessThanOrEqual(all.result[0]!.data[0]!.values[i]!));
      expect(s.values.reduce((a, b) => a! + b!, 0)!).toBeLessThan(all.result[0]!.data[0]!.values.reduce((a, b) => a! + b!, 0)!);
      const byService = await data('builtin:service.errors.total.count:splitBy("dt.entity.service"):fold(value)', '&from=now-7d&resolution=1h', analyst);
      expect(byService.result[0]!.data.every((x) => inEu(x.dimensionMap['dt.entity.service']!))).toBe(true);
    });

    it('a custom ingested metric', async () => {
      const eu = hosts().filter((h) => inEu(h.entityId));
      const us = hosts().filter((h) => !inEu(h.entityId));
      const lines = [...eu.slice(0, 2), ...us.slice(0, 2)].flatMap((h, i) => [
        `shop.checkout.duration,dt.entity.host=${h.entityId},step=pay ${100 + i} ${T0 - 5 * MIN}`,
        `shop.checkout.duration,dt.entity.host=${h.entityId},step=pay ${200 + i} ${T0 - 4 * MIN}`,
      ]);
      lines.push(`shop.checkout.duration,step=pay 999 ${T0 - 4 * MIN}`);
      expect((await ingest(lines.join('\n'))).status).toBe(202);
      const mine = await data('shop.checkout.duration:splitBy("dt.entity.host"):avg:fold', '&from=now-10m', analyst);
      expect(mine.result[0]!.data.map((s) => s.dimensionMap['dt.entity.host']).sort()).toEqual(eu.slice(0, 2).map((h) => h.entityId).sort());
      expect(mine.result[0]!.data.map((s) => s.values[0]).sort()).toEqual([150, 151]);
      const all = await data('shop.checkout.duration:splitBy("dt.entity.host"):avg:fold', '&from=now-10m');
      expect(all.result[0]!.data).toHaveLength(5); // four hosts and the tuple without a host
      expect((await query('shop.checkout.duration', `&mzSelector=${encodeURIComponent('mzName("Production US")')}`, analyst)).status).toBe(403);
    });

    it('environment-wide metrics need environment-wide access', async () => {
      const res = await query('builtin:billing.ddu.metrics.byMetric');
      expect(res.status).toBe(200);
      const denied = await query('builtin:host.cpu.usage,builtin:billing.ddu.metrics.byMetric', '', analyst);
      expect(denied.status).toBe(403);
      expect((await json<Envelope>(denied)).error.message).toMatch(/^User 'analyst@example\.com' lacks the permission 'environment-wide access' required to read 'builtin:billing\.ddu\.metrics\.byMetric'/);
      const support = await sb.mintPat(DEMO.support, ['metrics.read']);
      expect((await query('builtin:billing.ddu.metrics.total', '', support)).status).toBe(403);
      const classic = await sb.mintClassic(['metrics.read']);
      expect((await query('builtin:billing.ddu.metrics.total', '', classic)).status).toBe(200);
    });
  });

  describe('deleting ingested metrics (DELETE /metrics/{metricKey})', () => {
    it('deletes an ingested metric two hours after its last point, never a built-in one or one written since', async () => {
      const writer = await sb.mintClassic(['metrics.ingest', 'metrics.read', 'metrics.write']);
      const t = sb.now();
      expect((await ingest(`delete.me.gauge,host="a" 5 ${t - 60_000}`, writer)).status).toBe(202);
      const del = (key: string, token = writer) => sb.request(`/api/v2/metrics/${key}`, { token, method: 'DELETE' });
      expect((await del('delete.me.gauge')).status).toBe(400);
      sb.setNow(t + 2 * 3_600_000);
      try {
        const res = await del('delete.me.gauge');
        expect(res.status).toBe(202);
        expect(await res.text()).toBe('');
        expect((await get('/api/v2/metrics/delete.me.gauge', writer)).status).toBe(404);
        expect((await del('delete.me.gauge')).status).toBe(404);
        expect((await del('builtin:host.cpu.usage')).status).toBe(400);
        // Without metrics.write the scope check answers first; a zone-restricted owner lacks environment-wide access.
        expect((await del('delete.me.other', ingester)).status).toBe(403);
        const operator = await sb.mintPat(DEMO.operator, ['metrics.write']);
        const denied = await del('delete.me.other', operator);
        expect(denied.status).toBe(403);
        expect(await denied.text()).toContain('environment-wide access');
      } finally {
        sb.setNow(t);
      }
    });
  });

  describe('descriptors as CSV (the spec offers text/csv on GET /metrics and GET /metrics/{metricKey})', () => {
    it('answers one row per metric, the JSON fields as columns, with and without a header', async () => {
      const res = await get('/api/v2/metrics?metricSelector=builtin:host.cpu.(usage,idle)&fields=%2BaggregationTypes', admin, { accept: 'text/csv; header=present' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; header=present; charset=utf-8');
      const lines = (await res.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe('metricId,displayName,description,unit,aggregationTypes');
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['builtin:host.cpu.usage', 'builtin:host.cpu.idle']);
      expect(lines[2]).toContain('"[""auto"",""avg"",""max"",""min""]"');
      const one = await get('/api/v2/metrics/builtin:host.cpu.idle', admin, { accept: 'text/csv; header=absent' });
      expect(one.headers.get('content-type')).toBe('text/csv; header=absent; charset=utf-8');
      expect((await one.text()).startsWith('builtin:host.cpu.idle,CPU idle,')).toBe(true);
      expect((await get('/api/v2/metrics', admin, { accept: 'application/xml' })).status).toBe(406);
    });
  });

  describe('ingest (line protocol, docs/dynatrace-api-notes.md §5.5)', () => {
    it('stores every payload form, metadata and comments, and answers 202', async () => {
      const t = T0 - 3 * MIN;
      const body = [
        '# a comment line',
        '#ingest.demo.temp gauge dt.meta.unit=percent,dt.meta.displayName="Demo temperature",dt.meta.description="Room, in ~C"',
        `ingest.demo.temp,room=a 20 ${t}`,
        `ingest.demo.temp,room="b c" gauge,21.5 ${t}`,
        `ingest.demo.temp,room=a gauge,min=18,max=24,sum=63,count=3 ${t + 1000}`,
        '',
        `ingest.demo.hits,room=a count,delta=5 ${t}`,
        `ingest.demo.hits,room=a count,delta=7 ${t + MIN}`,
      ].join('\r\n');
      const res = await ingest(body);
      expect(res.status).toBe(202);
      expect(await json(res)).toEqual({ linesOk: 6, linesInvalid: 0, error: null, warnings: null });
      const d = await json<Descriptor>(await get('/api/v2/metrics/ingest.demo.temp', ingester));
      expect(d).toMatchObject({ metricId: 'ingest.demo.temp', displayName: 'Demo temperature', description: 'Room, in ~C', unit: 'Percent', dduBillable: true, entityType: [],
        dimensionDefinitions: [{ key: 'room', index: 0, type: 'STRING' }], aggregationTypes: ['auto', 'avg', 'count', 'max', 'median', 'min', 'percentile', 'sum'] });
      const listed = await json<Collection>(await get(`/api/v2/metrics?metadataSelector=${encodeURIComponent('custom("true")')}&fields=%2BlastWritten`, ingester));
      expect(listed.metrics.find((m) => m.metricId === 'ingest.demo.hits')).toMatchObject({ lastWritten: t + MIN });
      const q = await data('ingest.demo.temp:splitBy("room"):avg,ingest.demo.temp:splitBy():count,ingest.demo.temp:splitBy():max,ingest.demo.hits:splitBy("room"),ingest.demo.hits:splitBy():fold(sum)', '&from=now-10m&resolution=10m', ingester);
      const byRoom = Object.fromEntries(q.result[0]!.data.map((s) => [s.dimensionMap.room, s.values[0]]));
      expect(byRoom).toEqual({ a: (20 + 63) / 4, 'b c': 21.5 });
      expect(q.result[1]!.data[0]!.values).toEqual([5]);
      expect(q.result[2]!.data[0]!.values).toEqual([24]);
      expect(q.result[3]!.data[0]!.values).toEqual([12]);
      expect(q.result[4]!.data[0]!.values).toEqual([12]);
    });

    it('reports invalid lines (first ten) with line numbers and still stores the valid ones', async () => {
      const t = T0 - MIN;
      const lines = [
        `ingest.partial.ok 1 ${t}`,
        'system.load.average.1m 2.33 ' + t,
        `dt.reserved 1 ${t}`,
        `ingest.partial.ok abc ${t}`,
        `ingest.partial.ok 1 ${T0 - 2 * HOUR}`,
        `ingest.partial.ok count,delta=1 ${t}`,
        `ingest.partial.ok gauge,min=3,max=1,sum=2,count=1 ${t}`,
        `ingest.partial.ok,${Array.from({ length: 51 }, (_, i) => `d${i}=x`).join(',')} 1`,
        'ingest.partial.ok,k=v,k=w 1',
        `ingest.partial.ok 2 ${t} extra`,
        'ingest.partial.ok count,delta=-1',
        'ab 1',
        `ingest.partial.ok,Upper.Case=v 3 ${t}`,
      ];
      const res = await ingest(lines.join('\n'));
      expect(res.status).toBe(400);
      const body = await json<{ linesOk: number; linesInvalid: number; error: { code: number; message: string; invalidLines: { line: number; error: string }[] }; warnings: null }>(res);
      expect(body.linesOk).toBe(2);
      expect(body.linesInvalid).toBe(11);
      expect(body.error.code).toBe(400);
      expect(body.error.message).toBe('First 10 errors reported');
      expect(body.error.invalidLines.map((l) => l.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(body.error.invalidLines[0]!.error).toBe(`failed to parse metric key of message 'system.load.average.1m 2.33 ${t}'; error at '1' (index 20)`);
      expect(body.error.invalidLines[4]!.error).toContain('is a gauge metric');
      const q = await data('ingest.partial.ok:splitBy("upper.case"):sum', '&from=now-5m', ingester);
      expect(q.result[0]!.data.map((s) => [s.dimensionMap, s.values.filter((v) => v !== null)])).toEqual([[{}, [1]], [{ 'upper.case': 'v' }, [3]]]);
      const empty = await ingest('# only a comment\n\n');
      expect(empty.status).toBe(400);
      expect((await json<{ error: { message: string } }>(empty)).error.message).toBe('The request contains no data points');
    });

    it('needs the metrics.ingest scope, which PATs cannot hold, and refuses bodies over 1 MB', async () => {
      expect((await ingest('ingest.scope.test 1', admin)).status).toBe(403);
      const denied = await sb.admin(`/users/${encodeURIComponent(DEMO.operator)}/tokens`, 'POST', { name: 'x', scopes: ['metrics.ingest'] });
      expect(denied.status).toBe(400);
      const big = await ingest(`ingest.big.metric ${'1'.repeat(1_100_000)}`);
      expect(big.status).toBe(413);
    });
  });
});
