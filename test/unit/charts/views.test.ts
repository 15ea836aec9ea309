import { describe, expect, it } from 'vitest';
import { lastValue, singleValue, topList } from '../../../lib/charts/views';
import type { ChartModel } from '../../../lib/charts/metric-series';

const series = (label: string, values: (number | null)[], extra = {}) => ({ label, metricId: 'm', query: 0, dimensionMap: {}, values, ...extra });

describe('single value and top list', () => {
  const model: ChartModel = { timestamps: [1, 2, 3], series: [series('web-01', [5, 7, null]), series('db-01', [50, 60, 70]), series('idle', [null, null, null]), series('db-01 (1 day earlier)', [99, 99, 99], { shiftLabel: '1 day earlier' })] };

  it('the single value is the latest non-null value of the first series', () => {
    expect(lastValue([1, null, 3, null])).toBe(3);
    expect(lastValue([null])).toBeNull();
    expect(singleValue(model)).toEqual({ label: 'web-01', value: 7 });
    expect(singleValue({ timestamps: [], series: [] })).toBeNull();
  });

  it('the top list ranks series by their mean, leaves out empty and shifted series, and cuts at n', () => {
    expect(topList(model)).toEqual([{ label: 'db-01', value: 60 }, { label: 'web-01', value: 6 }]);
    expect(topList(model, 1)).toEqual([{ label: 'db-01', value: 60 }]);
  });

  it('ties keep the answer\'s order', () => {
    const tie: ChartModel = { timestamps: [1], series: [series('b', [1]), series('a', [1])] };
    expect(topList(tie).map((e) => e.label)).toEqual(['b', 'a']);
  });
});
