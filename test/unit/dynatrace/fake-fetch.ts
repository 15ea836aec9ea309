/**
 * Test doubles for the Dynatrace client: a recording fake `fetch`, response builders and token makers.
 * The fake records every request (URL, method, headers, body, signal), so tests can assert where the token went.
 */
import { vi } from 'vitest';
import { createDynatraceClient, type DynatraceClientOptions } from '../../../lib/dynatrace';
import { createLogger } from '../../../lib/log/logger';

export const ENV = 'https://abc12345.live.dynatrace.com';
export const API = `${ENV}/api/v2`;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A deterministic well-formed token; `seed` varies the public part and the secret. */
export function makeToken(seed = 1): string {
  let x = seed >>> 0 || 1;
  const next = (): string => {
    // xorshift32: cheap, deterministic, good enough to make distinct strings.
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return ALNUM[x % ALNUM.length] ?? 'A';
  };
  const part = (n: number): string => Array.from({ length: n }, next).join('');
  return `dt0c01.${part(24)}.${part(64)}`;
}

export const TOKEN = makeToken(42);
export const TOKEN_ID = TOKEN.slice(0, 31);
export const SECRET = TOKEN.slice(32);

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  redirect: RequestRedirect | undefined;
  signal: AbortSignal | undefined;
}

export type Reply = Response | Error | ((req: RecordedRequest) => Response | Promise<Response>);

/**
 * A fake fetch answering with `replies` in order (the last one repeats). A reply is a Response (used once; give a
 * function for repeats), an Error (thrown, like a network failure) or a function of the request.
 */
export function fakeFetch(...replies: Reply[]) {
  const requests: RecordedRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const req: RecordedRequest = {
      url,
      method: (init?.method ?? 'GET').toUpperCase(),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      redirect: init?.redirect,
      signal: init?.signal ?? undefined,
    };
    requests.push(req);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
    if (reply === undefined) throw new Error('fakeFetch: no reply configured');
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(req);
    return reply.clone();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests, mock: fetch };
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A Dynatrace error envelope response. */
export function envelope(status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return json(status, { error: { code: status, message, ...extra } }, headers);
}

/** A plain-text (or HTML) response. */
export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain', ...headers } });
}

/** A redirect response. */
export function redirect(status: number, location: string): Response {
  return new Response(null, { status, headers: { location } });
}

export const METRIC_DATA = {
  totalCount: 1,
  nextPageKey: null,
  resolution: '1m',
  result: [
    {
      metricId: 'builtin:host.cpu.usage',
      dataPointCountRatio: 1.8e-5,
      dimensionCountRatio: 3e-5,
      data: [
        {
          dimensions: ['HOST-0990886B7D39FE29'],
          dimensionMap: { 'dt.entity.host': 'HOST-0990886B7D39FE29' },
          timestamps: [1589456100000, 1589456160000, 1589456220000],
          values: [19.0, null, 21.0],
        },
      ],
    },
  ],
};

/** Records sleeps and returns at once, so retry tests need no timers. */
export function instantSleep() {
  const delays: number[] = [];
  const sleep = vi.fn(async (ms: number) => {
    delays.push(ms);
  });
  return { sleep, delays };
}

/** A client for tests: fixed token, instant sleeps, deterministic jitter, silent logger. */
export function testClient(fetch: typeof globalThis.fetch, overrides: Partial<DynatraceClientOptions> = {}) {
  const { sleep, delays } = instantSleep();
  const logLines: string[] = [];
  const client = createDynatraceClient({
    environmentUrl: ENV,
    getToken: () => TOKEN,
    fetch,
    retry: { sleep, random: () => 0.5 },
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    logger: createLogger('test', (level, line) => logLines.push(`${level} ${line}`)),
    ...overrides,
  });
  return { client, sleep, delays, logLines };
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
