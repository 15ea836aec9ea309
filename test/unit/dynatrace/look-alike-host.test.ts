import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { domainToASCII, domainToUnicode } from 'node:url';
import { decodePunycode } from '../../../lib/dynatrace/look-alike-host';

describe('decodePunycode', () => {
  it.each([
    ['bcher-kva', 'bücher'],
    ['mnchen-3ya', 'münchen'],
    ['bc-6kc', 'аbc'],
    ['dyntrace-36g', 'dynаtrace'],
    // RFC 3492 section 7.1, (A) Arabic (Egyptian) and (L) Japanese mixed with ASCII.
    ['egbpdaj6bu4bxfgehfvwxn', '\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F'],
    ['3B-ww4c5e180e575a65lsy2b', '3\u5E74B\u7D44\u91D1\u516B\u5148\u751F'],
  ])('%s -> %s', (input, output) => expect(decodePunycode(input)).toBe(output));

  it.each(['a!b', 'bcher-kv!', 'zzzzzzzzzzzzzzzzzzzz', `${'a'.repeat(64)}`, 'ü-abc'])('refuses %j', (input) => {
    expect(decodePunycode(input)).toBeNull();
  });

  it('reverses the URL parser\'s encoding of any label', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), (text) => {
      const ascii = domainToASCII(`${text}.example`);
      fc.pre(ascii !== '' && ascii.startsWith('xn--'));
      const label = ascii.split('.')[0]!.slice(4);
      expect(decodePunycode(label)).toBe(domainToUnicode(ascii).split('.')[0]);
    }), { numRuns: 500 });
  });
});
