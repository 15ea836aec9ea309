import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, T0, type TestSandbox } from '../../helpers/sandbox';

type MetricData = { totalCount: number; resolution: string; result: { data: { dimensionMap: Record<string, string>; timestamps: number[]; values: (number | null)[] }[] }[] };

/** The large world (about 10,000 hosts): shapes and zones only; speed is measured by hand, never asserted. */
describe('metrics on the large world', () => {
  let sb: TestSandbox;
  let admin: string;
  let analyst: string;
  const query = async (sel: string, extra: string, token: string) => {
    const res = await sb.request(`/api/v2/metrics/query?metricSelector=${encodeURIComponent(sel)}${extra}`, { token });
    expect(res.status).toBe(200);
    return json<MetricData>(res);
  };

  beforeAll(async () => {
    sb = createTestSandbox({ world: 'large' });
    admin = await sb.mintPat(DEMO.admin, ['metrics.read']);
    analyst = await sb.mintPat(DEMO.analyst, ['metrics.read']);
  });

  it('answers CPU by host over a day at 5 minutes for every host, and only the EU hosts for the EU analyst', async () => {
    const hosts = sb.deps.world.byType.get('HOST')!;
    expect(hosts.length).toBeGreaterThanOrEqual(10_000);
    const sel = 'builtin:host.cpu.usage:splitBy("dt.entity.host")';
    const all = await query(sel, '&from=now-1d&resolution=5m', admin);
    expect(all.resolution).toBe('5m');
    const series = all.result[0]!.data;
    expect(series).toHaveLength(hosts.length);
    expect(new Set(series.map((s) => s.dimensionMap['dt.entity.host'])).size).toBe(hosts.length);
    expect(series.every((s) => s.timestamps.length === 288 && s.timestamps.at(-1) === T0)).toBe(true);
    const eu = sb.deps.world.zoneByName.get('Production EU')!.id;
    const mine = await query(sel, '&from=now-1d&resolution=5m', analyst);
    expect(mine.result[0]!.data).toHaveLength(hosts.filter((h) => h.zoneIds.includes(eu)).length);
    expect(mine.result[0]!.data.every((s) => sb.deps.world.byId.get(s.dimensionMap['dt.entity.host']!)!.zoneIds.includes(eu))).toBe(true);
  });

  it('answers single-entity filters, entity selectors and top lists', async () => {
    const service = sb.deps.world.byType.get('SERVICE')![1234]!.entityId;
    const one = await query(`builtin:service.response.time:filter(eq("dt.entity.service","${service}")):percentile(95)`, '&from=now-7d&resolution=1h', admin);
    expect(one.result[0]!.data.map((s) => s.dimensionMap['dt.entity.service'])).toEqual([service]);
    expect(one.result[0]!.data[0]!.timestamps).toHaveLength(168);
    const sel = await query('builtin:host.disk.usedPct:fold', `&entitySelector=${encodeURIComponent('type(HOST),entityName.startsWith("prd-us-db-00")')}`, admin);
    expect(sel.result[0]!.data.length).toBeGreaterThan(0);
    expect(sel.result[0]!.data.every((s) => sb.deps.world.byId.get(s.dimensionMap['dt.entity.host']!)!.displayName.startsWith('prd-us-db-00'))).toBe(true);
    const top = await query('builtin:service.response.time:splitBy("dt.entity.service"):avg:fold:sort(value(avg,descending)):limit(10)', '&from=now-1h', analyst);
    expect(top.result[0]!.data).toHaveLength(10);
  });

  it('refuses a query that reads more than 20,000,000 data points, but not one whose filter keeps it small', async () => {
    const res = await sb.request(`/api/v2/metrics/query?metricSelector=${encodeURIComponent('builtin:host.cpu.usage:splitBy():avg')}&from=now-7d&resolution=5m`, { token: admin });
    expect(res.status).toBe(400);
    expect((await json<{ error: { constraintViolations: { message: string }[] } }>(res)).error.constraintViolations[0]!.message).toContain('more than 20,000,000 data points');
    const host = sb.deps.world.byType.get('HOST')![42]!.entityId;
    const one = await query(`builtin:host.cpu.usage:filter(eq("dt.entity.host","${host}"))`, '&from=now-7d&resolution=1m', admin);
    expect(one.result[0]!.data[0]!.timestamps).toHaveLength(10_080);
  });
});
