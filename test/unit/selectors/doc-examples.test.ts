import { describe, expect, it } from 'vitest';
import { formatEntitySelector, formatMetricSelector, parseEntitySelector, parseMetricSelector } from '../../../lib/selectors';
import { entityDocExamples, metricDocExamples, unsupportedMetricDocExamples } from '../../fixtures/selectors/doc-examples';

describe('the documentation examples', () => {
  it.each(entityDocExamples)('entity selector $section: $input', ({ input }) => {
    const parsed = parseEntitySelector(input);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parseEntitySelector(formatEntitySelector(parsed.value))).toEqual(parsed);
  });

  it.each(metricDocExamples)('metric selector $section: $input', ({ input }) => {
    const parsed = parseMetricSelector(input);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parseMetricSelector(formatMetricSelector(parsed.value))).toEqual(parsed);
  });

  it.each(unsupportedMetricDocExamples)('unsupported $section: $input', ({ input, message }) => {
    const parsed = parseMetricSelector(input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toContain(message);
  });
});
