import { describe, expect, it } from 'vitest';
import { formatMetricValue, unitSymbol } from '../../../lib/charts/units';

describe('formatMetricValue', () => {
  it.each([
    [42.123, 'Percent', '42.1 %'],
    [0, 'Percent', '0 %'],
    [850, 'MicroSecond', '850 µs'],
    [230_000, 'MicroSecond', '230 ms'],
    [1_234_567, 'MicroSecond', '1.23 s'],
    [90_000_000, 'MicroSecond', '1.5 min'],
    [1.5, 'MilliSecond', '1.5 ms'],
    [1536, 'Byte', '1.5 KiB'],
    [3 * 1024 ** 3, 'Byte', '3 GiB'],
    [12_000, 'Count', '12 k'],
    [3_400_000, 'Count', '3.4 M'],
    [7, 'Count', '7'],
    [120, 'PerMinute', '120 /min'],
    [null, 'Percent', '–'],
    [0.000123, 'Ratio', '0.000123'],
    // Trailing zeros of the fixed-point form go, and the point with them when nothing follows it.
    [10, 'Percent', '10 %'],
    [100, 'Percent', '100 %'],
    [2, 'Count', '2'],
    [0.5, 'Ratio', '0.5'],
    [-2.5, 'Percent', '-2.5 %'],
    [1.05, 'Ratio', '1.05'],
    [0.1, 'Ratio', '0.1'],
  ])('%s %s -> %s', (value, unit, expected) => {
    expect(formatMetricValue(value, unit)).toBe(expected);
  });

  it('uses decimal byte units when the metric asks for them', () => {
    expect(formatMetricValue(1_500_000, 'Byte', 'decimal')).toBe('1.5 MB');
  });

  it('gives axis symbols', () => {
    expect([unitSymbol('Percent'), unitSymbol('MicroSecond'), unitSymbol('Count'), unitSymbol(undefined)]).toEqual(['%', 'µs', '', '']);
  });
});
