/**
 * Retry policy of the client (what servers send: docs/dynatrace-api-notes.md §2.3): GET only, on 429/502/503/504
 * and network errors, at most 3 retries, waiting what the server asks for (`Retry-After`, or the deprecated
 * `X-RateLimit-Reset`) and otherwise full-jitter exponential backoff.
 */

/** Anything with `get(name)`, like `Headers`; lets tests pass plain stubs. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Sleeps `ms`; should reject (or resolve early) when `signal` aborts. The client also races it against the signal. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Retry configuration; every field has a default. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 disables retrying). */
  retries?: number;
  /** Backoff base in ms (default 500): attempt n waits up to `base * 2^n`. */
  baseDelayMs?: number;
  /** Backoff cap in ms (default 30,000). */
  maxDelayMs?: number;
  /**
   * Longest server-requested wait (`Retry-After`) the client sits out before retrying (default 30,000 ms). A longer
   * request is not waited for: the call fails with `rate-limited` and `retryAfterMs`, and the UI can say when.
   */
  maxRetryAfterMs?: number;
  /** Random number in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
  /** Sleep implementation (default: a `setTimeout` that honours the signal). */
  sleep?: Sleep;
  /** Clock in epoch ms, for HTTP-date `Retry-After` and `X-RateLimit-Reset` (default `Date.now`). */
  now?: () => number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

/** Statuses worth retrying: throttling and gateway trouble, which are usually transient. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Only idempotent reads are retried; a repeated POST could create a second token. */
export function isRetryableMethod(method: string): boolean {
  return method.toUpperCase() === 'GET';
}

/** A `setTimeout` sleep that rejects with the signal's reason when aborted. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    retries: Math.max(0, Math.floor(options.retries ?? 3)),
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
  };
}

/**
 * Full-jitter exponential backoff (AWS "Exponential Backoff And Jitter"): a uniform wait in
 * `[0, min(cap, base * 2^attempt))`. `attempt` is 0 for the first retry.
 */
export function backoffDelayMs(attempt: number, options: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(options.random() * ceiling);
}

/**
 * `X-RateLimit-Reset` is documented as a timestamp in microseconds, but Dynatrace's own tools read it as seconds
 * (and some as milliseconds), so the unit is detected by magnitude: today is ~1.7e9 s, ~1.7e12 ms, ~1.7e15 µs.
 * Small values (< 1e9) are treated as a number of seconds to wait.
 */
export function rateLimitResetToEpochMs(value: number, nowMs: number): number {
  if (value >= 1e14) return value / 1000;
  if (value >= 1e11) return value;
  if (value >= 1e9) return value * 1000;
  return nowMs + value * 1000;
}

/**
 * How long the server asked us to wait, in ms, or `undefined` if it did not say (or said something unparsable).
 * `Retry-After` (delta seconds or an HTTP date) wins over `X-RateLimit-Reset`.
 */
export function serverRequestedDelayMs(headers: HeaderReader | undefined, nowMs: number): number | undefined {
  if (headers === undefined) return undefined;
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    // Only accept something that looks like an HTTP date; Date.parse is lenient with junk.
    if (/[a-z]{3},? /i.test(retryAfter) || /GMT|UTC/i.test(retryAfter)) {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) return Math.max(0, at - nowMs);
    }
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset)) {
    const at = rateLimitResetToEpochMs(Number(reset), nowMs);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil(at - nowMs));
  }
  return undefined;
}
