import { describe, expect, it } from 'vitest';
import { entityIdsIn, toChartModel, toCsv } from '../../../lib/charts/metric-series';
import type { MetricData } from '../../../lib/dynatrace/types';

const data: MetricData = {
  totalCount: 2, nextPageKey: null, resolution: '1m',
  result: [{
    metricId: 'builtin:host.cpu.usage:splitBy("dt.entity.host")', dataPointCountRatio: 0, dimensionCountRatio: 0,
    data: [
      { dimensions: ['HOST-0000000000000001'], dimensionMap: { 'dt.entity.host': 'HOST-0000000000000001' }, timestamps: [60_000, 120_000, 180_000], values: [10, null, 12] },
      { dimensions: ['HOST-0000000000000002'], dimensionMap: { 'dt.entity.host': 'HOST-0000000000000002', 'dt.entity.host.name': 'db-01' }, timestamps: [120_000, 180_000], values: [50, 51] },
    ],
  }],
};

describe('toChartModel', () => {
  it('aligns series on the union of timestamps, keeps gaps as null, and names entities', () => {
    const model = toChartModel(data, new Map([['HOST-0000000000000001', 'web-01']]));
    expect(model.timestamps).toEqual([60_000, 120_000, 180_000]);
    expect(model.series.map((s) => s.label)).toEqual(['web-01', 'db-01']);
    expect(model.series[0]!.values).toEqual([10, null, 12]);
    expect(model.series[1]!.values).toEqual([null, 50, 51]);
  });

  it('falls back to the metric key for dimensionless series and marks the metric when several are shown', () => {
    const two: MetricData = { ...data, result: [
      { metricId: 'a', dataPointCountRatio: 0, dimensionCountRatio: 0, data: [{ dimensions: [], dimensionMap: {}, timestamps: [1], values: [1] }] },
      { metricId: 'b', dataPointCountRatio: 0, dimensionCountRatio: 0, data: [{ dimensions: ['x'], dimensionMap: { d: 'x' }, timestamps: [1], values: [2] }] },
    ] };
    expect(toChartModel(two).series.map((s) => s.label)).toEqual(['a', 'x · b']);
  });

  it('lists entity ids for a name lookup', () => {
    expect(entityIdsIn(data)).toEqual(['HOST-0000000000000001', 'HOST-0000000000000002']);
  });

  it('exports CSV with one row per point; formula-looking cells are prefixed with a quote so spreadsheets show them as text', () => {
    const csv = toCsv(toChartModel({ ...data, result: [{ ...data.result[0]!, data: [{ dimensions: [], dimensionMap: { 'dt.entity.host': '=cmd()' }, timestamps: [60_000], values: [-1.5] }] }] }));
    expect(csv).toBe('metricId,dt.entity.host,timestamp,value\n"builtin:host.cpu.usage:splitBy(""dt.entity.host"")",\'=cmd(),1970-01-01T00:01:00.000Z,-1.5\n');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('neutralises a dimension value starting like a formula: %j', (value) => {
    const csv = toCsv(toChartModel({ ...data, result: [{ ...data.result[0]!, data: [{ dimensions: [], dimensionMap: { k: value }, timestamps: [0], values: [1] }] }] }));
    const cell = csv.split('\n')[1]!.split(',')[1]!;
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('escapes the header row of dimension keys: a key with a comma and a line break stays one cell of one row', () => {
    const key = 'evil,key\n=HYPERLINK("x")';
    const csv = toCsv(toChartModel({ ...data, result: [{ ...data.result[0]!, data: [{ dimensions: [], dimensionMap: { [key]: 'v' }, timestamps: [0], values: [1] }] }] }));
    expect(csv.startsWith('metricId,"evil,key\n=HYPERLINK(""x"")",timestamp,value\n')).toBe(true);
    // Header, one data row, the final newline: the line break inside the quoted key does not add a row.
    expect(csv.split(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter(Boolean)).toHaveLength(2);
  });
});
