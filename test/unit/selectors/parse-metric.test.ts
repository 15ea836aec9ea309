import { describe, expect, it } from 'vitest';
import { formatMetricSelector, parseMetricSelector } from '../../../lib/selectors';
import { invalidMetricSelectors, validMetricSelectors } from '../../fixtures/selectors/metric-selectors';

describe('parseMetricSelector', () => {
  it.each(validMetricSelectors)('parses $description: $input', ({ input, expected }) => {
    expect(parseMetricSelector(input)).toEqual({ ok: true, value: expected });
  });

  it.each(validMetricSelectors)('formats $description', ({ expected, formatted }) => {
    expect(formatMetricSelector(expected)).toBe(formatted);
    expect(parseMetricSelector(formatted)).toEqual({ ok: true, value: expected });
  });

  it.each(invalidMetricSelectors)('rejects $description: $input', ({ input, message, offset }) => {
    const result = parseMetricSelector(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(message);
    expect(result.error.offset).toBe(offset);
  });

  it('points into the outer input for errors inside an escaped entity selector', () => {
    // The inner selector is `tag("a~x")` after unescaping; its bad escape sits at outer offset of `~x`.
    const input = 'a.b:filter(in("d",entitySelector("tag(~"a~~x~")")))';
    const result = parseMetricSelector(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('unknown escape "~x"');
    expect(input.slice(result.error.offset)).toMatch(/^~~x/);
  });

  it('reports "(" typed where a key section belongs', () => {
    expect(parseMetricSelector('builtin:host.cpu.usage:filter(eq("a","b")')).toEqual({
      ok: false,
      error: { message: 'expected a closing parenthesis after filter(eq("a","b")', offset: 41 },
    });
  });

  it('quotes keys only when needed', () => {
    const keys = ['builtin:host.cpu.usage', 'cpu:avg', '5xx', 'a b', 'a.b:c', 'builtin:x'];
    const formatted = keys.map((key) => formatMetricSelector({ expressions: [{ kind: 'metric', keys: [key], transformations: [] }] }));
    expect(formatted).toEqual(['builtin:host.cpu.usage', '"cpu:avg"', '"5xx"', '"a b"', '"a.b:c"', 'builtin:x']);
  });

  it('allows 32 levels of parentheses', () => {
    expect(parseMetricSelector(`${'('.repeat(32)}a.b${')'.repeat(32)}`)).toEqual({
      ok: true,
      value: { expressions: [{ kind: 'metric', keys: ['a.b'], transformations: [] }] },
    });
  });
});
