import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createTestSandbox, DEMO, type TestSandbox } from '../../helpers/sandbox';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../../helpers/spawn-sandbox';

const CHROME = `chrome-extension://${'abcdefghijklmnop'.repeat(2)}`;
const FIREFOX = 'moz-extension://0f8fad5b-d9cb-469f-a165-70867728950e';
const HOSTS = '/api/v2/entities?entitySelector=type(HOST)';

/** A raw request with a chosen Host header (fetch always sends the URL's own). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Host check (DNS rebinding)', () => {
  let sb: TestSandbox;
  let token: string;
  beforeAll(async () => {
    sb = createTestSandbox();
    token = await sb.mintPat(DEMO.analyst, ['entities.read']);
  });

  it.each(['localhost', 'localhost:8787', '127.0.0.1:8787', '127.9.9.9', '[::1]:8787'])('serves Host %s', async (host) => {
    expect((await sb.request(HOSTS, { token, headers: { host } })).status).toBe(200);
  });

  it('serves in-process requests, whose URL host is localhost', async () => {
    expect((await sb.request(HOSTS, { token })).status).toBe(200);
  });

  it.each(['evil.example', 'evil.example:8787', '127.0.0.1.nip.io:8787', 'localhost.evil.example', '10.0.0.1:8787'])(
    'answers Host %s with 421 in the error envelope, before authentication and on the admin API too', async (host) => {
      for (const [path, init] of [[HOSTS, { token }], ['/api/v2/entities', {}], ['/sandbox/admin/users', { headers: { authorization: 'Bearer test-admin-key' } }]] as const) {
        const res = await sb.request(path, { ...init, headers: { ...('headers' in init ? init.headers : {}), host } });
        expect(res.status, `${path} with Host ${host}`).toBe(421);
        expect(await res.json()).toEqual({ error: { code: 421, message: `Host '${host}' is not served here: the sandbox answers only loopback host names (127.0.0.0/8, localhost, [::1])` } });
      }
    });
});

describe('CORS', () => {
  let on: TestSandbox;
  let off: TestSandbox;
  let token: string;
  beforeAll(async () => {
    on = createTestSandbox({ cors: true, corsOrigins: ['http://localhost:3000'] });
    off = createTestSandbox();
    token = await on.mintPat(DEMO.analyst, ['entities.read']);
  });
  const preflight = (sb: TestSandbox, origin: string) => sb.request('/api/v2/entities', {
    method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });

  it.each([CHROME, FIREFOX, 'http://localhost:3000'])('answers %s, preflight and request', async (origin) => {
    const pre = await preflight(on, origin);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
    const res = await on.request(HOSTS, { token, headers: { origin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it.each(['https://evil.example', 'null', 'http://localhost:3001', 'chrome-extension://evil', 'http://127.0.0.1:3000'])('never allows %s', async (origin) => {
    expect((await preflight(on, origin)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await on.request(HOSTS, { token, headers: { origin } })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers when it is off, not even to an extension page', async () => {
    const offToken = await off.mintPat(DEMO.analyst, ['entities.read']);
    const res = await off.request(HOSTS, { token: offToken, headers: { origin: CHROME } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('Host check and --cors-origin on a sandbox process', () => {
  const KEY = 'host-cors-admin-key';
  let sb: SandboxProcess;
  let token: string;
  beforeAll(async () => {
    sb = await spawnSandbox(['--db', ':memory:', '--admin-key', KEY, '--cors-origin', 'http://localhost:5173/']);
    const res = await adminFetch(sb.url, KEY, '/users/analyst@example.com/tokens', 'POST', { name: 'host', scopes: ['entities.read'] });
    token = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => { await sb?.stop(); });

  it('refuses a rebinding Host over a real connection and serves its own', async () => {
    const port = new URL(sb.url).port;
    const evil = await rawGet(sb.url, HOSTS, { host: `rebind.evil.example:${port}`, authorization: `Api-Token ${token}` });
    expect(evil.status).toBe(421);
    expect(JSON.parse(evil.body)).toMatchObject({ error: { code: 421 } });
    const own = await rawGet(sb.url, HOSTS, { host: `localhost:${port}`, authorization: `Api-Token ${token}` });
    expect(own.status).toBe(200);
  });

  it('turns CORS on for the configured origin and extension pages only', async () => {
    const get = (origin: string) => fetch(`${sb.url}${HOSTS}`, { headers: { authorization: `Api-Token ${token}`, origin } });
    expect((await get('http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect((await get(FIREFOX)).headers.get('access-control-allow-origin')).toBe(FIREFOX);
    expect((await get('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a --cors-origin that is not an origin', async () => {
    await expect(spawnSandbox(['--db', ':memory:', '--cors-origin', 'https://app.example.com/path'])).rejects.toThrow(/exited with 2[\s\S]*--cors-origin must be scheme, host and port only/);
  });
});
