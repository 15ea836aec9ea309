import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../sandbox/rate-limit';

const T = 1_800_000_000_000;

describe('RateLimiter', () => {
  it('allows perMinute requests per key and window, then answers the seconds left', () => {
    const r = new RateLimiter();
    expect([r.hit('a', T, 2), r.hit('a', T + 1000, 2), r.hit('a', T + 15_500, 2)]).toEqual([null, null, 45]);
    expect(r.hit('b', T + 15_500, 2)).toBeNull();
    expect(r.hit('a', T + 59_999, 2)).toBe(1);
    expect(r.hit('a', T + 60_000, 2)).toBeNull();
  });

  it('never holds more than its capacity of keys, however many arrive', () => {
    const r = new RateLimiter(100);
    for (let i = 0; i < 10_000; i++) r.hit(`k${i}`, T + i, 5);
    expect(r.size).toBe(100);
    // The newest windows are the ones kept: the latest key is still counted.
    for (let i = 0; i < 4; i++) r.hit('k9999', T + 10_000, 5);
    expect(r.hit('k9999', T + 10_000, 5)).not.toBeNull();
  });

  it('drops expired windows before live ones when full', () => {
    const r = new RateLimiter(3);
    r.hit('old', T, 1);
    r.hit('live1', T + 50_000, 1);
    r.hit('live2', T + 50_000, 1);
    r.hit('new', T + 61_000, 1);
    expect(r.size).toBe(3);
    expect(r.hit('live1', T + 61_000, 1)).not.toBeNull(); // still in its window, still limited
  });

  it('moves a restarted window to the end, so an active key is not the next to go', () => {
    const r = new RateLimiter(2);
    r.hit('a', T, 1);
    r.hit('b', T + 1000, 1);
    r.hit('a', T + 60_000, 1); // a's new window starts after b's
    r.hit('c', T + 60_500, 1); // full: b's window, still live, is now the oldest and goes
    expect(r.hit('a', T + 60_600, 1)).not.toBeNull();
    expect(r.hit('b', T + 60_600, 1)).toBeNull();
  });
});
