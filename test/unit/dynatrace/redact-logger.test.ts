/**
 * lib/log: redactSecrets and the redacting logger. (Kept next to the client tests because the client is their
 * main user; the source lives in lib/log/.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, formatLogArg } from '../../../lib/log/logger';
import { redactDeep, redactSecrets } from '../../../lib/log/redact';
import { toApiError } from '../../../lib/dynatrace';
import { SECRET, TOKEN, TOKEN_ID } from './fake-fetch';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('redactSecrets', () => {
  it.each([
    ['a bare token', TOKEN, `${TOKEN_ID}.***`],
    ['a token in a sentence', `token=${TOKEN}, ok`, `token=${TOKEN_ID}.***, ok`],
    ['a token glued to text', `abc${TOKEN}xyz`, `abc${TOKEN_ID}.***xyz`],
    ['other dt0 prefixes', TOKEN.replace('dt0c01', 'dt0s16'), `${TOKEN_ID.replace('dt0c01', 'dt0s16')}.***`],
    ['an Authorization header', `Authorization: Api-Token ${TOKEN}`, `Authorization: Api-Token ${TOKEN_ID}.***`],
    ['a bare secret after Api-Token', `Api-Token ${SECRET}`, 'Api-Token ***'],
    ['a malformed value after Api-Token', 'authorization: api-token hunter2-abc', 'authorization: api-token ***'],
    ['the api-token query parameter', `/api/v2/metrics?api-token=${SECRET}&x=1`, '/api/v2/metrics?api-token=***&x=1'],
    ['two tokens', `${TOKEN} ${TOKEN}`, `${TOKEN_ID}.*** ${TOKEN_ID}.***`],
    ['nothing secret', 'dt0c01.ST2EY72KQINMH574WMNVI7YN is an id', 'dt0c01.ST2EY72KQINMH574WMNVI7YN is an id'],
  ])('%s', (_label, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('redacts known secrets in any shape, case-insensitively, keeping the id', () => {
    const echoed = `secret ${SECRET.toLowerCase()} and ${SECRET} and ${TOKEN}`;
    const out = redactSecrets(echoed, [TOKEN]);
    expect(out).toBe(`secret *** and *** and ${TOKEN_ID}.***`);
  });

  it('ignores very short known strings instead of shredding text', () => {
    expect(redactSecrets('a b c', ['a'])).toBe('a b c');
  });

  it('redactDeep scrubs keys and values and cannot change the prototype', () => {
    const hostile = JSON.parse(`{"__proto__":{"polluted":true},"${TOKEN}":["${TOKEN}",{"x":"Api-Token ${SECRET}"}]}`) as unknown;
    const out = redactDeep(hostile) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(out[`${TOKEN_ID}.***`]).toEqual([`${TOKEN_ID}.***`, { x: 'Api-Token ***' }]);
  });
});

describe('createLogger', () => {
  it('redacts strings, errors, objects and ApiErrors before they reach the sink', () => {
    const lines: [string, string][] = [];
    const log = createLogger('client', (level, line) => lines.push([level, line]));
    const circular: Record<string, unknown> = { headers: { Authorization: `Api-Token ${TOKEN}` } };
    circular.self = circular;
    log.info('using', TOKEN);
    log.warn(new Error(`failed with ${TOKEN}`));
    log.error(circular, 10n);
    log.debug(toApiError({ type: 'response', status: 401, body: `{"error":{"code":401,"message":"bad ${TOKEN}"}}` }, { method: 'GET', path: '/x' }));
    log.child('retry').warn({ token: SECRET, note: `Api-Token ${SECRET}` });
    expect(lines.map(([level]) => level)).toEqual(['info', 'warn', 'error', 'debug', 'warn']);
    for (const [, line] of lines) expect(line).not.toContain(SECRET);
    expect(lines[0]?.[1]).toBe(`[client] using ${TOKEN_ID}.***`);
    expect(lines[2]?.[1]).toContain('"self":"[Circular]"');
    expect(lines[2]?.[1]).toContain('10');
    expect(lines[4]?.[1]).toMatch(/^\[client:retry\] /);
  });

  it('the default sink prints info/warn with console.warn, error with console.error and drops debug', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = createLogger('x');
    log.debug('d');
    log.info(`i ${TOKEN}`);
    log.warn('w');
    log.error('e');
    expect(warn.mock.calls).toEqual([[`[x] i ${TOKEN_ID}.***`], ['[x] w']]);
    expect(error.mock.calls).toEqual([['[x] e']]);
  });

  it('survives throwing getters', () => {
    const evil = {
      get boom(): never {
        throw new Error('no');
      },
    };
    expect(formatLogArg(evil)).toBe('[unserialisable]');
  });
});
