import { describe, expect, it } from 'vitest';
import { checkEnvironmentUrl, parseEnvironmentUrl } from '../../../lib/dynatrace';

describe('parseEnvironmentUrl: accepted forms', () => {
  it.each([
    // input, baseUrl, kind, environmentId
    ['https://abc12345.live.dynatrace.com', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['https://abc12345.live.dynatrace.com/', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['https://ABC12345.Live.Dynatrace.com//', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['abc12345.live.dynatrace.com', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['  https://abc12345.live.dynatrace.com/api/v2/metrics  ', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['https://abc12345.live.dynatrace.com/api/v2/', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['https://abc12345.live.dynatrace.com/api', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['https://dynatrace.example.com/e/1b2c3d4e-aaaa-bbbb-cccc-0123456789ab', 'https://dynatrace.example.com/e/1b2c3d4e-aaaa-bbbb-cccc-0123456789ab', 'managed', '1b2c3d4e-aaaa-bbbb-cccc-0123456789ab'],
    ['https://dynatrace.example.com/e/prod/api/v2/entities', 'https://dynatrace.example.com/e/prod', 'managed', 'prod'],
    ['https://dynatrace.example.com:8443/e/prod/', 'https://dynatrace.example.com:8443/e/prod', 'managed', 'prod'],
    ['https://activegate.example.com:9999/e/prod', 'https://activegate.example.com:9999/e/prod', 'activegate', 'prod'],
    ['https://10.0.0.5:9999/e/prod/api/v2', 'https://10.0.0.5:9999/e/prod', 'activegate', 'prod'],
    ['http://localhost:8080', 'http://localhost:8080', 'loopback', undefined],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080', 'loopback', undefined],
    ['http://127.1.2.3:3000/api/v2', 'http://127.1.2.3:3000', 'loopback', undefined],
    ['http://[::1]:8080', 'http://[::1]:8080', 'loopback', undefined],
    ['https://localhost:8443', 'https://localhost:8443', 'loopback', undefined],
    ['http://127.0.0.1:8080/e/sandbox', 'http://127.0.0.1:8080/e/sandbox', 'loopback', 'sandbox'],
    ['https://dynatrace-proxy.example.com', 'https://dynatrace-proxy.example.com', 'custom', undefined],
  ])('%s', (input, baseUrl, kind, environmentId) => {
    const result = parseEnvironmentUrl(input);
    expect(result).toEqual({
      ok: true,
      value: {
        baseUrl,
        apiBase: `${baseUrl}/api/v2`,
        origin: new URL(baseUrl).origin,
        kind,
        ...(environmentId === undefined ? {} : { environmentId }),
      },
    });
  });
});

describe('parseEnvironmentUrl: refused', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['http://abc12345.live.dynatrace.com', 'insecure'],
    ['http://dynatrace.example.com/e/prod', 'insecure'],
    ['http://10.0.0.5:9999/e/prod', 'insecure'],
    ['http://192.168.1.10:8080', 'insecure'],
    ['http://0.0.0.0:8080', 'insecure'],
    ['ftp://abc12345.live.dynatrace.com', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['https://user:pass@abc12345.live.dynatrace.com', 'credentials'],
    ['https://user@abc12345.live.dynatrace.com', 'credentials'],
    ['https://abc12345.live.dynatrace.com/?api-token=x', 'query'],
    ['https://abc12345.live.dynatrace.com/?', 'query'],
    ['https://abc12345.live.dynatrace.com/#/dashboards', 'fragment'],
    ['https://abc12345.live.dynatrace.com/#', 'fragment'],
    ['https://abc12345.live.dynatrace.com/e/foo', 'path'],
    ['https://dynatrace.example.com/ui/dashboards', 'path'],
    ['https://dynatrace.example.com/e/', 'path'],
    ['https://dynatrace.example.com/e/a%2Fb', 'path'],
    ['https://exa mple.com', 'invalid'],
    ['https://', 'invalid'],
  ])('%j -> %s', (input, code) => {
    const result = parseEnvironmentUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it('refuses an apps.dynatrace.com URL and names the matching live host', () => {
    const result = parseEnvironmentUrl('https://abc12345.apps.dynatrace.com/ui/apps/dynatrace.classic.tokens');
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'platform-host',
        message: expect.stringContaining('https://abc12345.live.dynatrace.com') as unknown,
        suggestion: 'https://abc12345.live.dynatrace.com',
      },
    });
  });

  // The URL is pasted by the user; a quadratic scan of a long path would freeze the popup for seconds.
  it.each([
    ['50 kB of slashes before more path', `https://dynatrace.example.com${'/'.repeat(50_000)}x`, 'path'],
    ['50 kB of slashes inside a Managed path', `https://dynatrace.example.com/e/prod${'/'.repeat(50_000)}x/api`, 'path'],
  ])('refuses %s at once', (_name, input, code) => {
    const started = performance.now();
    const result = parseEnvironmentUrl(input);
    expect(result.ok ? 'ok' : result.error.code).toBe(code);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('strips any number of trailing slashes, before and after /api', () => {
    const result = parseEnvironmentUrl(`https://dynatrace.example.com/e/prod${'/'.repeat(50_000)}`);
    expect(result.ok && result.value.baseUrl).toBe('https://dynatrace.example.com/e/prod');
    const api = parseEnvironmentUrl('https://dynatrace.example.com/e/prod///api/v2///');
    expect(api.ok && api.value.baseUrl).toBe('https://dynatrace.example.com/e/prod');
  });

  it('never repeats a password or query string in its message', () => {
    for (const input of ['https://me:hunter2secret@abc12345.live.dynatrace.com', 'https://abc12345.live.dynatrace.com/?api-token=dt0c01.SECRETSECRET']) {
      const result = parseEnvironmentUrl(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).not.toMatch(/hunter2|SECRETSECRET/);
    }
  });
});

describe('parseEnvironmentUrl: the trailing dot of a fully qualified host', () => {
  it.each([
    ['https://abc12345.live.dynatrace.com.', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['abc12345.live.dynatrace.com./api/v2', 'https://abc12345.live.dynatrace.com', 'saas', 'abc12345'],
    ['https://dynatrace.example.com./e/prod', 'https://dynatrace.example.com/e/prod', 'managed', 'prod'],
    ['http://localhost.:8080', 'http://localhost:8080', 'loopback', undefined],
    ['https://proxy.example.com.', 'https://proxy.example.com', 'custom', undefined],
  ])('%s is the host without the dot', (input, baseUrl, kind, environmentId) => {
    expect(parseEnvironmentUrl(input)).toEqual({
      ok: true,
      value: { baseUrl, apiBase: `${baseUrl}/api/v2`, origin: new URL(baseUrl).origin, kind, ...(environmentId === undefined ? {} : { environmentId }) },
    });
  });

  it('still refuses a platform (apps) host written with the dot', () => {
    const result = parseEnvironmentUrl('https://abc12345.apps.dynatrace.com.');
    expect(result.ok ? 'ok' : result.error.code).toBe('platform-host');
  });

  it.each(['https://abc12345.live.dynatrace.com..', 'https://a..b.example.com', 'https://.'])('refuses %s (an empty label)', (input) => {
    const result = parseEnvironmentUrl(input);
    expect(result.ok ? 'ok' : result.error.code).toBe('invalid');
  });
});

describe('checkEnvironmentUrl: hosts that imitate Dynatrace', () => {
  // [input, host as parsed, what the warning must name as imitated]
  it.each([
    ['https://аbc.live.dynatrace.com', 'xn--bc-6kc.live.dynatrace.com', 'abc.live.dynatrace.com'], // Cyrillic а
    ['https://abc.live.dynаtrace.com', 'abc.live.xn--dyntrace-36g.com', 'abc.live.dynatrace.com'], // Cyrillic а in the domain
    ['https://abc.live.xn--dyntrace-36g.com', 'abc.live.xn--dyntrace-36g.com', 'abc.live.dynatrace.com'], // the same, pasted as Punycode
    ['https://dýnatrace.com', 'xn--dnatrace-g6a.com', 'dynatrace.com'], // a diacritic
    ['https://abc.live.dynατrace.com', 'abc.live.xn--dynrace-3lf5o.com', 'abc.live.dynatrace.com'], // Greek α and τ
    ['https://dynаtrace.example.com/e/prod', 'xn--dyntrace-36g.example.com', 'dynatrace.example.com'], // Managed form, look-alike label
    ['https://abc.live.dynatrace.com.evil.io', 'abc.live.dynatrace.com.evil.io', 'abc.live.dynatrace.com'],
    ['https://abc.apps.dynatrace.com.evil.io', 'abc.apps.dynatrace.com.evil.io', 'abc.apps.dynatrace.com'],
    ['https://abc.live.dynatrace.com.evil.io/e/abc', 'abc.live.dynatrace.com.evil.io', 'abc.live.dynatrace.com'],
    ['https://dynatrace.com.login.example.net', 'dynatrace.com.login.example.net', 'dynatrace.com'],
    ['https://dynatrace-live.com', 'dynatrace-live.com', 'dynatrace.com'],
    ['https://abc-live-dynatrace.com', 'abc-live-dynatrace.com', 'dynatrace.com'],
    ['https://abc.live.dynatrace.co', 'abc.live.dynatrace.co', 'abc.live.dynatrace.com'],
    ['https://dynatrace.co.uk', 'dynatrace.co.uk', 'dynatrace.com'],
    ['https://mydynatrace.io:9999/e/prod', 'mydynatrace.io', 'dynatrace.com'],
  ])('%s warns, naming %s and %s', (input, host, imitated) => {
    const result = checkEnvironmentUrl(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(new URL(result.value.origin).hostname).toBe(host);
    expect(result.value.warning).toContain(host);
    expect(result.value.warning).toContain(imitated);
    expect(result.value.warning).toMatch(/^[A-Z\p{L}a-z0-9].*\.$/u);
  });

  it.each([
    'https://abc12345.live.dynatrace.com',
    'https://abc12345.live.dynatrace.com.',
    'https://abc.sprint.dynatracelabs.com',
    'https://abc.dynatrace-managed.com/e/1b2c3d4e-aaaa-bbbb-cccc-0123456789ab',
    'https://dynatrace.example.com/e/prod',
    'https://dynatrace-proxy.example.com',
    'https://dynatrace.corp.example.co.uk:9999/e/prod',
    'https://bücher.example.com',
    'https://example.com',
    'http://localhost:8787',
  ])('%s does not warn', (input) => {
    const result = checkEnvironmentUrl(input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).not.toHaveProperty('warning');
  });

  it('names the host as shown too, so the look-alike letters can be found', () => {
    const result = checkEnvironmentUrl('https://аbc.live.dynatrace.com');
    expect(result.ok && result.value.warning).toBe(
      'The host xn--bc-6kc.live.dynatrace.com (аbc.live.dynatrace.com) is written with letters that only look like abc.live.dynatrace.com: '
      + 'it is a different host. Check the URL before you save a token for it.',
    );
    const suffix = checkEnvironmentUrl('https://abc.live.dynatrace.com.evil.io');
    expect(suffix.ok && suffix.value.warning).toBe(
      'abc.live.dynatrace.com.evil.io is not a Dynatrace address: it belongs to evil.io, though it looks like abc.live.dynatrace.com. '
      + 'Check the URL before you save a token for it.',
    );
  });

  it('is parseEnvironmentUrl plus the warning; parseEnvironmentUrl alone never warns', () => {
    for (const input of ['https://аbc.live.dynatrace.com', 'https://abc.live.dynatrace.com.evil.io/e/x', 'https://abc12345.live.dynatrace.com', 'http://localhost:8787', 'ftp://x']) {
      const plain = parseEnvironmentUrl(input);
      const checked = checkEnvironmentUrl(input);
      if (!plain.ok || !checked.ok) { expect(checked).toEqual(plain); continue; }
      expect(plain.value).not.toHaveProperty('warning');
      const { warning: _warning, ...rest } = checked.value;
      expect(rest).toEqual(plain.value);
    }
  });

  it('stays fast on a long host name', () => {
    const started = performance.now();
    const result = checkEnvironmentUrl(`https://${'xn--dyntrace-36g.'.repeat(4000)}com`);
    expect(result.ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);
  });
});
