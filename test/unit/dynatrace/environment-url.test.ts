import { describe, expect, it } from 'vitest';
import { parseEnvironmentUrl } from '../../../lib/dynatrace';

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

  // The URL is pasted by the user; a quadratic scan of a long path froze the popup for seconds.
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
