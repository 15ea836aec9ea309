import { request } from 'node:http';

/**
 * A `fetch` over node:http for the client in component tests. happy-dom's own fetch applies the page's CORS rules
 * (its window lives on http://localhost:3000), which an extension page with host access never meets; this one
 * talks to loopback servers only, as the extension does to the sandbox. It answers with the environment's
 * `Response`, so the client reads it like any other.
 */
export const nodeFetch: typeof globalThis.fetch = (input, init = {}) => new Promise<Response>((resolve, reject) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (url.hostname !== '127.0.0.1') { reject(new TypeError(`nodeFetch serves loopback only, not ${url.hostname}`)); return; }
  const headers = new Headers(init.headers);
  const body = typeof init.body === 'string' ? init.body : undefined;
  const req = request(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers.entries()) }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const out = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out.set(k, v);
      const status = res.statusCode ?? 500;
      resolve(new Response(status === 204 ? null : Buffer.concat(chunks).toString('utf8'), { status, headers: out }));
    });
    res.on('error', reject);
  });
  req.on('error', reject);
  const signal = init.signal;
  if (signal) {
    if (signal.aborted) { req.destroy(); reject(new DOMException('aborted', 'AbortError')); return; }
    signal.addEventListener('abort', () => { req.destroy(); reject(new DOMException('aborted', 'AbortError')); }, { once: true });
  }
  req.end(body);
});
