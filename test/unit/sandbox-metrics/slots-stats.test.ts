import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatResolution, makeSlots, parseResolutionParam, slotEnds } from '../../../sandbox/metrics/slots';
import { percentileEstimate, percentileOfSorted, Raw, reduceValues, aggregateSlot } from '../../../sandbox/metrics/stats';
import { SandboxError } from '../../../sandbox/errors';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('metric query slots', () => {
  it.each([
    [undefined, 2 * 60, '1m', 120],
    ['60', 2 * 60, '2m', 60],
    ['5m', 2 * 60, '5m', 24],
    ['90s', 10, '2m', 5],
    ['1h', 24 * 60, '1h', 24],
    ['1d', 7 * 24 * 60, '1d', 8], // slots align to midnight: 12:00 seven days ago starts a partial first day
    ['1w', 28 * 24 * 60, '1w', 5],
    ['Inf', 123, 'Inf', 1],
    ['1m', 30 * 24 * 60, '5m', 8640],
  ])('resolution %s over %i minutes: %s, %i slots', (res, minutes, label, count) => {
    const spec = parseResolutionParam(res).all;
    const slots = makeSlots(spec, T - minutes * MIN, T);
    expect(formatResolution(slots)).toBe(label);
    expect(slots.count).toBe(count);
    expect(slotEnds(slots).at(-1)).toBeGreaterThanOrEqual(T);
    expect(slots.count).toBeLessThanOrEqual(10_080);
  });

  it('parses the per-expression form and rejects nonsense', () => {
    const p = parseResolutionParam('0:Inf,2:10m');
    expect(p.byIndex.get(0)).toEqual({ kind: 'inf' });
    expect(p.byIndex.get(2)).toEqual({ kind: 'span', ms: 10 * MIN });
    expect(p.all).toEqual({ kind: 'points', n: 120 });
    for (const bad of ['', 'fast', '0', '5x', '-5m', '0:', 'a:Inf', '1m,2m']) expect(() => parseResolutionParam(bad), bad).toThrow(SandboxError);
  });

  it('covers the timeframe with aligned slots, whatever the timeframe and resolution', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 400 * 24 * 60 }), fc.integer({ min: 1, max: 200 * 24 * 60 }), fc.constantFrom('1m', '5m', '1h', '7', '120', 'Inf', '3d'), (offset, length, res) => {
      const to = T - offset * MIN + (offset % 7) * 1000;
      const from = to - length * MIN;
      const s = makeSlots(parseResolutionParam(res).all, from, to);
      expect(s.start).toBeLessThanOrEqual(from);
      expect(s.start + s.count * s.step).toBeGreaterThanOrEqual(to);
      expect(s.start + (s.count - 1) * s.step).toBeLessThan(to);
      if (!s.inf) { expect(s.start % s.step).toBe(0); expect(s.step % MIN).toBe(0); }
      expect(s.count).toBeLessThanOrEqual(10_080);
    }), { numRuns: 500 });
  });
});

describe('slot statistics and aggregations', () => {
  it('interpolates percentiles between closest ranks', () => {
    expect(percentileOfSorted([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentileOfSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(percentileOfSorted([1, 2, 3, 4], 100)).toBe(4);
    expect(percentileOfSorted([10], 95)).toBe(10);
    expect(percentileOfSorted([0, 10], 90)).toBe(9);
  });

  it('estimates percentiles monotonically within min and max', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('linear' as const, 'lognormal' as const), (min, a, b, dist) => {
      const max = min + 1000 * b + 1;
      const avg = min + (max - min) * a;
      let prev = -Infinity;
      for (const p of [0, 1, 10, 50, 90, 95, 99, 99.9, 100]) {
        const v = percentileEstimate(min, avg, max, p, dist);
        expect(v).toBeGreaterThanOrEqual(min);
        expect(v).toBeLessThanOrEqual(max);
        expect(v).toBeGreaterThanOrEqual(prev);
        prev = v;
      }
    }));
  });

  it('merges and combines slots exactly', () => {
    const a = new Raw(3, 'linear');
    a.add(0, 1, 5, 5, 5, 5);
    a.add(2, 1, 1, 1, 1, 1);
    const b = new Raw(3, 'linear');
    b.add(0, 1, 7, 7, 7, 7);
    b.add(1, 1, -2, -2, -2, -2);
    a.merge(b);
    expect([0, 1, 2].map((i) => aggregateSlot(a, i, { kind: 'avg' }, 'avg'))).toEqual([6, -2, 1]);
    expect([0, 1, 2].map((i) => aggregateSlot(a, i, { kind: 'count' }, 'avg'))).toEqual([2, 1, 1]);
    const all = a.combine();
    expect(aggregateSlot(all, 0, { kind: 'median' }, 'avg')).toBe(3);
    expect(aggregateSlot(all, 0, { kind: 'max' }, 'avg')).toBe(7);
    expect(aggregateSlot(all, 0, { kind: 'value' }, 'sum')).toBe(11);
    expect(aggregateSlot(new Raw(1, 'linear'), 0, { kind: 'sum' }, 'sum')).toBeNull();
    expect(reduceValues([null, 3, 1, null], 'min')).toBe(1);
    expect(reduceValues([null, null], 'sum')).toBeNull();
    expect(reduceValues([4, 2, 9], { kind: 'percentile', percentile: 50 })).toBe(4);
  });
});
