import { describe, expect, it } from 'vitest';
import { checkEntitySelectorLimits, checkMetricQueryLimits, QUERY_LIMITS } from '../../../lib/selectors';
import { metricQueryLimitFixtures } from '../../fixtures/selectors/limits';

describe('checkMetricQueryLimits', () => {
  it.each(metricQueryLimitFixtures)('$description', ({ input, expected }) => {
    const result = checkMetricQueryLimits(input);
    if (expected === 'ok') {
      expect(result).toEqual({ ok: true });
      return;
    }
    expect(result).toEqual({
      ok: false,
      error: { parameter: expected.parameter, message: expect.stringContaining(expected.message), offset: expected.offset },
    });
  });

  it('rejects a huge selector by its length without parsing it', () => {
    const result = checkMetricQueryLimits({ metricSelector: '('.repeat(300_000) });
    expect(result).toEqual({ ok: false, error: { parameter: 'metricSelector', message: expect.stringContaining('300,000 characters'), offset: 5_000 } });
  });

  it.each([[5_001, '5,001'], [12_345, '12,345'], [100_000, '100,000'], [1_000_000, '1,000,000']])('writes a length of %i as %s', (length, written) => {
    const result = checkMetricQueryLimits({ metricSelector: 'a'.repeat(length) });
    expect(result.ok ? '' : result.error.message).toBe(`the metric selector is ${written} characters long; at most 5,000 are allowed`);
  });

  it('publishes the documented numbers', () => {
    expect(QUERY_LIMITS).toEqual({ maxMetricExpressions: 10, maxMetricSelectorLength: 5_000, maxEntitySelectorLength: 2_000 });
  });
});

describe('checkEntitySelectorLimits', () => {
  it.each(metricQueryLimitFixtures.filter((f) => f.input.metricSelector == null && f.input.entitySelector != null))(
    'agrees with the metric query check: $description',
    ({ input }) => {
      expect(checkEntitySelectorLimits(input.entitySelector ?? '')).toEqual(checkMetricQueryLimits(input));
    },
  );
});
