import { describe, expect, it } from 'vitest';
import { pythonParamsHash, pythonRepr, recordedExchanges, recordedFiles } from '../../helpers/recorded';

/**
 * The replay's manifest (test/helpers/recorded.ts) against the recorded files: every file is served, and every
 * query the replay matches is the one the answer was recorded for, proven by the hash in the file's name.
 */
describe('recorded answers as replayable exchanges', () => {
  it('lists every file of reference/recorded-responses/ exactly once', () => {
    expect(recordedExchanges().map((e) => e.name).sort()).toEqual(recordedFiles());
  });

  it('computes the recording client\'s file hash like Python does', () => {
    // repr() of a dict: single quotes, None/True/False, insertion order; a changed value changes the hash.
    expect(pythonRepr({ a: null, b: true, c: 'x"y', d: [1, 'q'] })).toBe(`{'a': None, 'b': True, 'c': 'x"y', 'd': [1, 'q']}`);
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonParamsHash([['pageSize', 3]])).toBe('_e0d8c23ec365525');
    expect(pythonParamsHash([['pageSize', 4]])).not.toBe('_e0d8c23ec365525');
  });

  it.each(recordedExchanges().filter((e) => e.python).map((e) => [e.name, e] as const))('%s: the query is the one its hash names', (name, e) => {
    expect(name.endsWith(pythonParamsHash(e.python!))).toBe(true);
  });

  it('leaves no hash unexplained: a file without parameters has none, the rest are POST and PUT bodies', () => {
    const hashed = /_[0-9a-f]{15}$/;
    const unexplained = recordedExchanges().filter((e) => !e.python && hashed.test(e.name)).map((e) => e.name);
    expect(unexplained.every((n) => /^(POST|PUT)_/.test(n))).toBe(true);
    expect(recordedExchanges().filter((e) => !e.python && !hashed.test(e.name)).every((e) => e.query.length === 0 || e.method === 'POST')).toBe(true);
  });

  it('holds no full token (reference/README.md: secrets are redacted)', () => {
    for (const e of recordedExchanges()) expect(e.body, e.name).not.toMatch(/dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}/);
  });
});
