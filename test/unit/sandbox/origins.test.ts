import { describe, expect, it } from 'vitest';
import { corsAllows, isLoopbackAuthority, parseCorsOrigin } from '../../../sandbox/origins';

describe('isLoopbackAuthority (the Host header check)', () => {
  it.each([
    'localhost', 'localhost:8787', 'LocalHost:1', '127.0.0.1', '127.0.0.1:8787', '127.5.6.7:65535', '127.255.255.255', '[::1]', '[::1]:8787',
  ])('accepts %s', (host) => expect(isLoopbackAuthority(host)).toBe(true));

  it.each([
    '', 'evil.example', 'evil.example:8787', '127.0.0.1.evil.example', 'localhost.evil.example', 'sandbox.localhost', 'localhost.', '127.0.0.256',
    '127.0.0', '127.0.0.1.1', '128.0.0.1', '0.0.0.0', '10.0.0.1:8787', '[::2]', '[::1', '[::1]x', 'localhost:', 'localhost:80a', 'localhost:8787:1',
    '127.0.0.1:', '::1', 'user@localhost',
  ])('refuses %j', (host) => expect(isLoopbackAuthority(host)).toBe(false));
});

describe('corsAllows', () => {
  const chrome = `chrome-extension://${'abcdefghijklmnop'.repeat(2)}`;
  const firefox = 'moz-extension://0f8fad5b-d9cb-469f-a165-70867728950e';
  it.each([
    [chrome, [], true],
    [firefox, [], true],
    ['http://localhost:3000', ['http://localhost:3000'], true],
    ['http://localhost:3001', ['http://localhost:3000'], false],
    ['https://evil.example', [], false],
    ['null', [], false],
    ['', [], false],
    ['chrome-extension://evil', [], false],
    [`${chrome}.evil.example`, [], false],
    [`chrome-extension://${'q'.repeat(32)}`, [], false],
    ['moz-extension://0F8FAD5B-D9CB-469F-A165-70867728950E', [], false],
    ['safari-web-extension://0f8fad5b-d9cb-469f-a165-70867728950e', [], false],
  ] as const)('%j with %j -> %s', (origin, configured, allowed) => expect(corsAllows(origin, configured)).toBe(allowed));
});

describe('parseCorsOrigin', () => {
  it.each([
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['HTTPS://App.Example.com', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
  ])('reads %s as %s', (input, origin) => expect(parseCorsOrigin(input)).toEqual({ ok: true, origin }));

  it.each(['*', 'null', 'localhost:3000', 'ftp://files.example.com', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'http://localhost:3000/app',
    'http://localhost:3000?x', 'http://localhost:3000#x', 'http://user:pw@localhost:3000', ''])('refuses %j', (input) => {
    const r = parseCorsOrigin(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^--cors-origin/);
  });
});
