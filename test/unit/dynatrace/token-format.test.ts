import { describe, expect, it } from 'vitest';
import { checkTokenFormat, isTokenFormat, isTokenId, tokenId } from '../../../lib/dynatrace';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Minted at run time (no token is committed): the documented example's public id with a fresh secret. */
const mintSecret = () => Array.from(crypto.getRandomValues(new Uint8Array(64)), (b) => ALPHABET[b % 36]).join('');
const SECRET = mintSecret();
const DOC_TOKEN = `dt0c01.ST2EY72KQINMH574WMNVI7YN.${SECRET}`;

describe('token format', () => {
  it('accepts the documented format and derives the id', () => {
    expect(isTokenFormat(DOC_TOKEN)).toBe(true);
    expect(tokenId(DOC_TOKEN)).toBe('dt0c01.ST2EY72KQINMH574WMNVI7YN');
    expect(isTokenId(tokenId(DOC_TOKEN))).toBe(true);
  });

  it.each([
    ['lower-case secret', DOC_TOKEN.toLowerCase().replace('dt0c01', 'dt0c01')],
    ['other prefix', DOC_TOKEN.replace('dt0c01', 'dt0s16')],
    ['short public part', `dt0c01.ST2EY72KQINMH574WMNVI7Y.${SECRET}`],
    ['short secret', DOC_TOKEN.slice(0, -1)],
    ['long secret', `${DOC_TOKEN}A`],
    ['surrounding space', ` ${DOC_TOKEN}`],
    ['line break (header injection)', `${DOC_TOKEN}\r\nX-Evil: 1`],
    ['two parts', 'dt0c01.ST2EY72KQINMH574WMNVI7YN'],
  ])('rejects %s', (_label, value) => {
    expect(isTokenFormat(value)).toBe(false);
    expect(() => tokenId(value)).toThrow(TypeError);
  });

  it('explains what is wrong without echoing the input', () => {
    const cases: [string, RegExp][] = [
      ['', /Enter a token/],
      ['abc', /starts with "dt0c01\."/],
      ['dt0c01.ABC', /three parts/],
      ['dt0c01.abc.DEF', /public part/],
      [`dt0c01.ST2EY72KQINMH574WMNVI7YN.${'x'.repeat(64)}`, /secret part/],
    ];
    for (const [input, message] of cases) {
      const result = checkTokenFormat(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.message).toMatch(message);
        if (input.length > 3) expect(result.error.message).not.toContain(input);
      }
    }
    expect(checkTokenFormat(` ${DOC_TOKEN}\n`)).toEqual({
      ok: true,
      value: { token: DOC_TOKEN, id: 'dt0c01.ST2EY72KQINMH574WMNVI7YN' },
    });
  });
});
