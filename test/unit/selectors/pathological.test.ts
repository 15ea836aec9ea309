/**
 * Huge and hostile inputs must come back as ordinary errors, quickly (linear scanning, a depth
 * limit instead of a stack overflow). Timing is not asserted here; the cases are sized so a
 * quadratic or exponential parser would make this file visibly slow.
 */
import { describe, expect, it } from 'vitest';
import { checkMetricQueryLimits, parseEntitySelector, parseMetricSelector } from '../../../lib/selectors';

const SIZE = 300_000;

/** Deterministic junk: printable ASCII including every syntax character. */
function junk(length: number, seed: number): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    out += String.fromCharCode(32 + (state % 95));
  }
  return out;
}

const hostileEntityInputs: readonly [string, string][] = [
  ['300 kB of "("', '('.repeat(SIZE)],
  ['300 kB of nested not(', 'not('.repeat(SIZE / 4)],
  ['300 kB of nested relationships', 'toRelationships.runsOn('.repeat(SIZE / 23)],
  ['300 kB of ")"', ')'.repeat(SIZE)],
  ['300 kB of commas', ','.repeat(SIZE)],
  ['300 kB of junk', junk(SIZE, 1)],
  ['an unterminated 300 kB quoted value', `tag("${'a'.repeat(SIZE)}`],
  ['300 kB of tildes inside quotes', `tag("${'~'.repeat(SIZE - 1)}x")`],
  ['a 300 kB list of values without the closing parenthesis', `tag(${'a,'.repeat(SIZE / 2)}`],
  ['300 kB of criteria with a trailing comma', 'type(HOST),'.repeat(SIZE / 11)],
];

describe('entity selector on hostile input', () => {
  it.each(hostileEntityInputs)('%s returns an error', (_name, input) => {
    const result = parseEntitySelector(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).not.toMatch(/internal error/);
    expect(result.error.offset).toBeGreaterThanOrEqual(0);
    expect(result.error.offset).toBeLessThanOrEqual(input.length);
  });

  it('parses a 300 kB valid selector', () => {
    const input = `type(HOST),tag(${Array.from({ length: SIZE / 8 }, (_, i) => `"t${i}"`).join(',')})`;
    const result = parseEntitySelector(input);
    expect(result.ok && result.value.criteria[1]?.kind === 'tag' && result.value.criteria[1].tags.length).toBe(SIZE / 8);
  });
});

const hostileMetricInputs: readonly [string, string][] = [
  ['300 kB of "("', '('.repeat(SIZE)],
  ['300 kB of "-"', '-'.repeat(SIZE)],
  ['300 kB of operators', 'a.b+'.repeat(SIZE / 4)],
  ['300 kB of nested transformation arguments', `a.b:filter(${'and('.repeat(SIZE / 4)}`],
  ['300 kB of nested entity selectors inside in()', `a.b:filter(in(d,entitySelector(${'not('.repeat(SIZE / 4)}`],
  ['300 kB of ")"', ')'.repeat(SIZE)],
  ['300 kB of commas', ','.repeat(SIZE)],
  ['300 kB of colons', `a.b${':'.repeat(SIZE)}`],
  ['300 kB of junk', junk(SIZE, 2)],
  ['an unterminated 300 kB quoted key', `"${'a'.repeat(SIZE)}`],
  ['a 300 kB sibling group without the closing parenthesis', `builtin:host.(${'a,'.repeat(SIZE / 2)}`],
  ['a 300 kB argument list without the closing parenthesis', `a.b:splitBy(${'"d",'.repeat(SIZE / 4)}`],
  ['300 kB of expressions with a trailing comma', 'a.b:avg,'.repeat(SIZE / 8)],
];

describe('metric selector on hostile input', () => {
  it.each(hostileMetricInputs)('%s returns an error', (_name, input) => {
    const result = parseMetricSelector(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).not.toMatch(/internal error/);
    expect(result.error.offset).toBeGreaterThanOrEqual(0);
    expect(result.error.offset).toBeLessThanOrEqual(input.length);
  });

  it('parses a 300 kB key (length limits are checkMetricQueryLimits\' job)', () => {
    const input = `custom.${'k'.repeat(SIZE)}:avg`;
    expect(parseMetricSelector(input).ok).toBe(true);
    expect(checkMetricQueryLimits({ metricSelector: input }).ok).toBe(false);
  });
});
