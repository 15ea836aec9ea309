import { describe, expect, it } from 'vitest';
import { checkSlots, compareAnswers, comparisonCsv, type ComparedToken } from '../../../lib/compare/compare';
import { autoResolution, fixTimeframe, type ReadAnswer, type ReadQuery } from '../../../lib/compare/read-query';
import type { MetricData } from '../../../lib/dynatrace';
import type { ObjectFacts } from '../../../lib/explain/verdict';

const A: ComparedToken = { tokenId: 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', label: 'Analyst', color: '#1456c7', owner: 'analyst@example.com' };
const B: ComparedToken = { tokenId: 'dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB', label: 'Support', color: '#0f7b3f', owner: 'support@example.com' };
const host = (n: number, zone: string, name = `host-${n}`): ObjectFacts => ({ id: `HOST-${String(n).padStart(16, '0')}`, kind: 'entity', name, type: 'HOST', zones: [zone] });
const entities = (list: ObjectFacts[], truncated = false): ReadAnswer => ({ kind: 'entities', entities: list, total: list.length, truncated, requests: 1 });
const HOSTS: ReadQuery = { kind: 'entities', params: { entitySelector: 'type("HOST")' } };

function metric(hosts: number[], opts: { resolution?: string; stamps?: number[] } = {}): ReadAnswer {
  const stamps = opts.stamps ?? [60_000, 120_000];
  const data: MetricData = {
    totalCount: hosts.length, nextPageKey: null, resolution: opts.resolution ?? '1m',
    result: [{ metricId: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg', dataPointCountRatio: 0, dimensionCountRatio: 0,
      data: hosts.map((h) => ({ dimensions: [`HOST-${String(h).padStart(16, '0')}`], dimensionMap: { 'dt.entity.host': `HOST-${String(h).padStart(16, '0')}` }, timestamps: stamps, values: stamps.map(() => 1) })) }],
  };
  return { kind: 'metrics', data, names: Object.fromEntries(hosts.map((h) => [`HOST-${String(h).padStart(16, '0')}`, `host-${h}`])), requests: 2 };
}
const CPU: ReadQuery = { kind: 'metrics', params: { metricSelector: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg', from: '0', to: '7200000', resolution: '1m' } };

describe('compareAnswers', () => {
  it('names the difference with counts, the broader token first, and lists it', () => {
    const eu = [1, 2, 3, 4, 5, 6].map((n) => host(n, 'Production EU'));
    const rest = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((n) => host(n, n < 13 ? 'Production US' : 'Staging'));
    const c = compareAnswers(HOSTS, { token: A, answer: entities(eu) }, { token: B, answer: entities([...eu, ...rest]) });
    expect(c.sentence).toBe('Support sees 19 hosts, Analyst 6; 13 only with Support.');
    expect(c.onlyB.map((i) => i.id)).toEqual(rest.map((h) => h.id));
    expect(c.onlyA).toEqual([]);
    expect(c.both).toBe(6);
    expect(c.a).toMatchObject({ label: 'Analyst', color: '#1456c7', count: 6 });
    expect(c.b).toMatchObject({ label: 'Support', color: '#0f7b3f', count: 19 });
  });

  it.each([
    [[1, 2], [1, 2], '"Analyst" and "Support" see the same 2 hosts.'],
    [[1], [1], '"Analyst" and "Support" see the same 1 host.'],
    [[1, 2, 3], [3, 4], 'Analyst sees 3 hosts, Support 2; 1 only with Support, 2 only with Analyst.'],
    [[], [5], 'Support sees 1 host, Analyst 0; 1 only with Support.'],
  ])('analyst %j, support %j: %s', (a, b, sentence) => {
    const c = compareAnswers(HOSTS, { token: A, answer: entities(a.map((n) => host(n, 'Z'))) }, { token: B, answer: entities(b.map((n) => host(n, 'Z'))) });
    expect(c.sentence).toBe(sentence);
  });

  it('says when a list stopped at the page cap', () => {
    const c = compareAnswers(HOSTS, { token: A, answer: entities([host(1, 'Z')]) }, { token: B, answer: entities([host(1, 'Z'), host(2, 'Z')], true) });
    expect(c.sentence).toMatch(/"Support" stopped at the page cap: the counts are lower bounds\.$/);
  });

  it('calls the items by their type: services, and series for a metric split by several dimensions', () => {
    const svc: ObjectFacts = { id: 'SERVICE-0000000000000001', kind: 'entity', name: 'checkout', type: 'SERVICE', zones: [] };
    const c = compareAnswers({ kind: 'entities', params: { entitySelector: 'type(SERVICE)' } }, { token: A, answer: entities([]) }, { token: B, answer: entities([svc]) });
    expect(c.sentence).toBe('Support sees 1 service, Analyst 0; 1 only with Support.');
    const m = metric([1]);
    if (m.kind !== 'metrics') throw new Error('metric');
    m.data.result![0]!.data![0]!.dimensionMap = { 'dt.entity.host': 'HOST-0000000000000001', 'dt.entity.disk': 'DISK-0000000000000001' };
    expect(compareAnswers(CPU, { token: A, answer: m }, { token: B, answer: metric([]) }).noun.many).toBe('series');
  });

  it('compares metric series by metric and dimensions, labelled with entity names', () => {
    const c = compareAnswers(CPU, { token: A, answer: metric([1, 2]) }, { token: B, answer: metric([1, 2, 3]) });
    expect(c.sentence).toBe('Support sees 3 hosts, Analyst 2; 1 only with Support.');
    expect(c.onlyB).toEqual([expect.objectContaining({ label: 'host-3', id: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg', dimensions: 'dt.entity.host=HOST-0000000000000003' })]);
    expect(c.slots).toMatchObject({ same: true });
    expect(c.timeframe).toEqual({ from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T02:00:00.000Z', resolution: '1m' });
  });
});

describe('checkSlots', () => {
  const data = (a: ReadAnswer) => (a.kind === 'metrics' ? a.data : ({} as MetricData));
  it.each([
    ['the same slots', metric([1]), metric([2]), true, /^Both answers use the same 2 slots from 1970-01-01T00:01:00\.000Z to 1970-01-01T00:02:00\.000Z \(resolution 1m\)\.$/],
    ['another resolution', metric([1], { resolution: '5m' }), metric([1]), false, /"Analyst" got slots of 5m, "Support" of 1m/],
    ['other timestamps', metric([1], { stamps: [60_000] }), metric([1]), false, /cover different slots \("Analyst": 1 slots from/],
    ['nothing on one side', metric([]), metric([1]), null, /"Analyst" got no data points/],
  ])('%s', (_n, a, b, same, note) => {
    const r = checkSlots({ label: 'Analyst', data: data(a) }, { label: 'Support', data: data(b) });
    expect(r.same).toBe(same);
    expect(r.note).toMatch(note);
  });
});

describe('comparisonCsv', () => {
  it('lists the difference, one row per entity, and no cell runs as a formula', () => {
    const evil = host(2, '=HYPERLINK("x")', '=cmd|" /c calc"!A1');
    const c = compareAnswers(HOSTS, { token: { ...A, label: '@Analyst' }, answer: entities([host(1, 'Z')]) }, { token: { ...B, label: '+Support' }, answer: entities([host(1, 'Z'), evil]) });
    const lines = comparisonCsv(c).trim().split('\n');
    expect(lines[0]).toBe('difference,token,entityId,name,management zones');
    expect(lines[1]).toBe(`only with +Support,'+Support,${evil.id},"'=cmd|"" /c calc""!A1","'=HYPERLINK(""x"")"`);
    expect(lines).toHaveLength(2);
  });
});

describe('fixTimeframe', () => {
  const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
  it('resolves relative times once to epoch milliseconds and picks an explicit resolution', () => {
    expect(fixTimeframe({ from: 'now-2h' }, NOW)).toEqual({ ok: true, value: { from: String(NOW - 7_200_000), to: String(NOW), resolution: '1m', fromMs: NOW - 7_200_000, toMs: NOW } });
    expect(fixTimeframe({ from: 'now-7d' }, NOW)).toMatchObject({ ok: true, value: { resolution: '2h' } });
    expect(fixTimeframe({ from: 'now-24h', resolution: '5m' }, NOW)).toMatchObject({ ok: true, value: { resolution: '5m' } });
    expect(fixTimeframe({ from: '2026-11-20T10:00:00Z', to: '2026-11-20T11:00:00Z' }, NOW)).toMatchObject({ ok: true, value: { from: String(NOW - 7_200_000), to: String(NOW - 3_600_000) } });
  });
  it('refuses a range that ends before it starts, or a time it cannot read', () => {
    expect(fixTimeframe({ from: 'now', to: 'now-1h' }, NOW)).toMatchObject({ ok: false });
    expect(fixTimeframe({ from: 'yesterday' }, NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/^from: /) });
  });
  it.each([[30, '1m'], [120, '1m'], [360, '5m'], [1440, '15m'], [43_200, '6h'], [525_600, '7d']])('%i minutes at about 120 points: %s', (minutes, res) => {
    expect(autoResolution(0, minutes * 60_000)).toBe(res);
  });
});
