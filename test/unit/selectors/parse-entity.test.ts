import { describe, expect, it } from 'vitest';
import { formatEntitySelector, parseEntitySelector } from '../../../lib/selectors';
import { invalidEntitySelectors, validEntitySelectors } from '../../fixtures/selectors/entity-selectors';

describe('parseEntitySelector', () => {
  it.each(validEntitySelectors)('parses $description: $input', ({ input, expected }) => {
    expect(parseEntitySelector(input)).toEqual({ ok: true, value: expected });
  });

  it.each(validEntitySelectors)('formats $description', ({ expected, formatted }) => {
    expect(formatEntitySelector(expected)).toBe(formatted);
    expect(parseEntitySelector(formatted)).toEqual({ ok: true, value: expected });
  });

  it.each(invalidEntitySelectors)('rejects $description: $input', ({ input, message, offset }) => {
    const result = parseEntitySelector(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain(message);
    expect(result.error.offset).toBe(offset);
  });

  it('keeps the written type and exposes the normalised one', () => {
    const result = parseEntitySelector('type("dt.entity.custom_device")');
    expect(result).toEqual({
      ok: true,
      value: { criteria: [{ kind: 'type', value: 'dt.entity.custom_device', entityType: 'CUSTOM_DEVICE' }] },
    });
  });

  it('parses the tag forms into context, key and value', () => {
    const result = parseEntitySelector(String.raw`tag("[Kubernetes]app:web","\[not-context]:x","a\\b","k\:1\:2")`);
    expect(result).toEqual({
      ok: true,
      value: {
        criteria: [
          {
            kind: 'tag',
            tags: [
              { context: 'Kubernetes', key: 'app', value: 'web' },
              { key: '[not-context]', value: 'x' },
              { key: String.raw`a\b` },
              { key: 'k:1:2' },
            ],
          },
        ],
      },
    });
  });

  it('allows 32 levels of nesting and rejects the 33rd', () => {
    const nest = (n: number) => `${'not('.repeat(n)}tag(a)${')'.repeat(n)}`;
    expect(parseEntitySelector(nest(32)).ok).toBe(true);
    expect(parseEntitySelector(nest(33))).toEqual({
      ok: false,
      error: { message: expect.stringContaining('nested too deeply'), offset: 32 * 4 + 3 },
    });
  });
});
