import { describe, expect, it } from 'vitest';
import { excerpt, fail, runParser } from '../../../lib/selectors/result';

describe('runParser', () => {
  it('returns the value of a successful parse', () => {
    expect(runParser('x', () => 42)).toEqual({ ok: true, value: 42 });
  });

  it('turns syntax errors into results and keeps the offset inside the input', () => {
    expect(runParser('abc', () => fail('bad', 2))).toEqual({ ok: false, error: { message: 'bad', offset: 2 } });
    expect(runParser('abc', () => fail('bad', 99))).toEqual({ ok: false, error: { message: 'bad', offset: 3 } });
    expect(runParser('abc', () => fail('bad', -1))).toEqual({ ok: false, error: { message: 'bad', offset: 0 } });
  });

  it('reports a bug as an internal error instead of throwing or hiding it', () => {
    const result = runParser('abc', () => {
      throw new TypeError('x is undefined');
    });
    expect(result).toEqual({ ok: false, error: { message: 'internal error in the selector parser (TypeError: x is undefined)', offset: 0 } });
  });
});

describe('excerpt', () => {
  it('shows the text before the problem, shortened from the left', () => {
    expect(excerpt('tag("env"', 0, 9)).toBe('tag("env"');
    expect(excerpt(`tag("${'x'.repeat(100)}"`, 0, 106)).toBe(`…${'x'.repeat(39)}"`);
  });
});
