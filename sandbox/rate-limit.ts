const WINDOW_MS = 60_000;

/**
 * The injected rate limit: fixed one-minute windows per key, for at most `capacity` keys. Keys
 * come from the authenticated token or, for failed authentication, from the peer address, so the
 * number of keys follows the number of real callers, not of made-up token ids. Should the keys
 * still exceed the capacity, expired windows go first, then the oldest.
 */
export class RateLimiter {
  /** Insertion order is the order windows started in: a window that restarts is moved to the end. */
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(readonly capacity = 10_000) {}

  get size(): number { return this.windows.size; }

  /** Counts one request of `key` (`perMinute` ≥ 1); returns the seconds to wait when this one is over the limit, else null. */
  hit(key: string, now: number, perMinute: number): number | null {
    const w = this.windows.get(key);
    if (w && now - w.start < WINDOW_MS) {
      w.count++;
      return w.count > perMinute ? Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)) : null;
    }
    if (w) this.windows.delete(key);
    else if (this.windows.size >= this.capacity) this.evict(now);
    this.windows.set(key, { start: now, count: 1 });
    return null;
  }

  clear(): void { this.windows.clear(); }

  private evict(now: number): void {
    for (const [key, w] of this.windows) {
      if (now - w.start < WINDOW_MS) break; // the windows after it started later
      this.windows.delete(key);
    }
    const oldest = this.windows.keys().next();
    if (!oldest.done && this.windows.size >= this.capacity) this.windows.delete(oldest.value);
  }
}
