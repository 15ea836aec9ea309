import { describe, expect, it } from 'vitest';
import { sparklinePath, starterTiles, summarizeTile } from '../../../lib/board/tile-summary';
import type { TileResult } from '../../../lib/board/run-tile';

const metric = (values: (number | null)[]): TileResult => ({
  kind: 'metric', names: new Map(),
  data: { totalCount: 1, nextPageKey: null, resolution: '5m', result: [{ metricId: 'm', data: [{ dimensions: [], dimensionMap: {}, timestamps: values.map((_, i) => i), values }] }] } as never,
});

describe('summarizeTile', () => {
  it('takes the last non-null value of the first series, with its unit, and its points for a sparkline', () => {
    expect(summarizeTile(metric([10, 20, null, 42.125, null]), 'Percent', 5)).toEqual({ value: '42.1 %', points: [10, 20, 42.125], at: 5 });
  });
  it('says "no data" for an empty series, counts entities and open problems', () => {
    expect(summarizeTile(metric([null]), 'Percent', 1).value).toBe('no data');
    expect(summarizeTile({ kind: 'entity', entities: [], total: 12 }, undefined, 1).value).toBe('12 entities');
    expect(summarizeTile({ kind: 'problem', problems: [], total: 4 }, undefined, 1, true).value).toBe('4 open');
  });
  it('thins a long series to 48 points, keeping the newest', () => {
    const long = Array.from({ length: 500 }, (_, i) => i);
    const s = summarizeTile(metric(long), undefined, 1);
    expect(s.points).toHaveLength(48);
    expect(s.points.at(-1)).toBe(499);
  });
});

describe('sparklinePath and starter tiles', () => {
  it('scales the points into the box; a constant series is a flat line', () => {
    expect(sparklinePath([0, 10], 100, 20)).toBe('0.0,19.0 100.0,1.0');
    expect(sparklinePath([5, 5, 5], 100, 20).split(' ').map((p) => p.split(',')[1])).toEqual(['19.0', '19.0', '19.0']);
    expect(sparklinePath([1], 100, 20)).toBe('');
  });
  it('offers only what the scopes allow', () => {
    expect(starterTiles(['metrics.read']).map((t) => t.title)).toEqual(['CPU by host', 'Service response time']);
    expect(starterTiles(['problems.read']).map((t) => t.title)).toEqual(['Open problems']);
  });
});

describe('summarizeTile of a top list tile', () => {
  it('lists the three leading series by display name with their mean, formatted with the unit', () => {
    const hosts = ['HOST-1', 'HOST-2', 'HOST-3', 'HOST-4'];
    const result: TileResult = {
      kind: 'metric', names: new Map(hosts.map((h, i) => [h, `web-0${i + 1}`])),
      data: { totalCount: 4, nextPageKey: null, resolution: '5m', result: [{ metricId: 'm', data: hosts.map((h, i) => ({ dimensions: [h], dimensionMap: { 'dt.entity.host': h }, timestamps: [1, 2], values: [i * 10, i * 10 + 2] })) }] } as never,
    };
    const s = summarizeTile(result, 'Percent', 1, false, 'top');
    expect(s.top).toEqual([{ label: 'web-04', value: '31 %' }, { label: 'web-03', value: '21 %' }, { label: 'web-02', value: '11 %' }]);
    expect(summarizeTile(result, 'Percent', 1, false, 'line').top).toBeUndefined();
  });
});
