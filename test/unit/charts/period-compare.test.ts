import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { shiftedSelector, shiftOf, withShifted } from '../../../lib/charts/period-compare';
import { toChartModel, type ChartModel } from '../../../lib/charts/metric-series';
import { parseMetricSelector } from '../../../lib/selectors';
import type { MetricData } from '../../../lib/dynatrace/types';

const NOW = Date.UTC(2026, 11, 2, 12, 0);
const MIN = 60_000;
const DAY = 86_400_000;

describe('shiftOf', () => {
  it('shifts by a day, a week, or the timeframe\'s own length in its coarsest whole unit', () => {
    expect(shiftOf('1d', 'now-2h', undefined, NOW)).toEqual({ ok: true, shift: { amount: -1, unit: 'd' }, ms: DAY });
    expect(shiftOf('1w', 'now-2h', undefined, NOW)).toEqual({ ok: true, shift: { amount: -1, unit: 'w' }, ms: 7 * DAY });
    expect(shiftOf('previous', 'now-2h', undefined, NOW)).toEqual({ ok: true, shift: { amount: -2, unit: 'h' }, ms: 2 * 3_600_000 });
    expect(shiftOf('previous', 'now-7d', undefined, NOW)).toEqual({ ok: true, shift: { amount: -1, unit: 'w' }, ms: 7 * DAY });
    expect(shiftOf('previous', 'now-30m', undefined, NOW)).toMatchObject({ ok: true, shift: { amount: -30, unit: 'm' } });
    // A zoomed custom range of 95 minutes.
    expect(shiftOf('previous', new Date(NOW - 95 * MIN).toISOString(), new Date(NOW).toISOString(), NOW)).toMatchObject({ ok: true, shift: { amount: -95, unit: 'm' } });
  });

  it('refuses a timeframe it cannot shift, saying why', () => {
    const r = shiftOf('previous', 'tomorrow', undefined, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/cannot be compared with its previous period.*tomorrow/);
    const long = shiftOf('previous', 'now-6y', undefined, NOW);
    expect(long.ok).toBe(false);
  });
});

describe('shiftedSelector', () => {
  it('ends every expression in a timeshift, an arithmetic one as a whole, and stays a valid selector', () => {
    const r = shiftedSelector('builtin:host.cpu.usage:splitBy("dt.entity.host"):avg,builtin:host.cpu.idle,(builtin:a + builtin:b):splitBy()', { amount: -1, unit: 'd' });
    expect(r).toEqual({ ok: true, value: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:timeshift(-1d),builtin:host.cpu.idle:timeshift(-1d),(builtin:a + builtin:b):splitBy():timeshift(-1d)' });
    expect(shiftedSelector('builtin:a * 100', { amount: -2, unit: 'h' })).toEqual({ ok: true, value: '(builtin:a * 100):timeshift(-2h)' });
  });

  it('returns the parser\'s message for a selector that does not parse', () => {
    const r = shiftedSelector('builtin:a:avg(', { amount: -1, unit: 'd' });
    expect(r.ok).toBe(false);
  });

  it('keeps the number of expressions (property)', () => {
    const key = fc.stringMatching(/^builtin:[a-z]{1,8}\.[a-z]{1,8}$/);
    fc.assert(fc.property(fc.array(key, { minLength: 1, maxLength: 10 }), fc.constantFrom('1d', '2h', '1w'), (keys, shift) => {
      const r = shiftedSelector(keys.join(','), { amount: -Number(shift[0]), unit: shift[1] as 'd' | 'h' | 'w' });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const parsed = parseMetricSelector(r.value);
      expect(parsed.ok && parsed.value.expressions.length).toBe(keys.length);
    }), { numRuns: 500 });
  });
});

function answer(metricId: string, series: { host: string; ts: number[]; values: (number | null)[] }[]): MetricData {
  return { totalCount: series.length, nextPageKey: null, resolution: '1m', result: [{ metricId, dataPointCountRatio: 0, dimensionCountRatio: 0,
    data: series.map((s) => ({ dimensions: [s.host], dimensionMap: { 'dt.entity.host': s.host }, timestamps: s.ts, values: s.values })) }] };
}

describe('withShifted', () => {
  const ts = [NOW - 2 * MIN, NOW - MIN, NOW];
  const base = toChartModel(answer('cpu', [{ host: 'HOST-A', ts, values: [1, 2, 3] }, { host: 'HOST-B', ts, values: [4, 5, 6] }]), new Map([['HOST-A', 'web-01'], ['HOST-B', 'db-01']]));
  const names = new Map([['HOST-A', 'web-01'], ['HOST-B', 'db-01'], ['HOST-C', 'new-01']]);

  it('draws each shifted series in the colour of the one it shifts, dashed, labelled with the period', () => {
    // The server reports the earlier answer on the current period's timestamps (as the sandbox does).
    const earlier = toChartModel(answer('cpu:timeshift(-1d)', [{ host: 'HOST-B', ts, values: [40, 50, 60] }, { host: 'HOST-C', ts, values: [7, 8, 9] }]), names);
    const m: ChartModel = withShifted(base, earlier, DAY, '1 day earlier');
    expect(m.timestamps).toEqual(ts);
    expect(m.series.map((s) => [s.label, s.color, s.shiftLabel])).toEqual([
      ['web-01', 0, undefined], ['db-01', 1, undefined], ['db-01 (1 day earlier)', 1, '1 day earlier'], ['new-01 (1 day earlier)', 2, '1 day earlier'],
    ]);
    expect(m.series[2]!.values).toEqual([40, 50, 60]);
  });

  it('moves an earlier answer that carries the earlier timestamps onto the current period, slot by slot', () => {
    const earlier = toChartModel(answer('cpu:timeshift(-1d)', [{ host: 'HOST-A', ts: ts.map((t) => t - DAY), values: [10, null, 30] }]), names);
    const m = withShifted(base, earlier, DAY, '1 day earlier');
    expect(m.timestamps).toEqual(ts);
    expect(m.series[2]).toMatchObject({ label: 'web-01 (1 day earlier)', color: 0, values: [10, null, 30] });
  });
});
