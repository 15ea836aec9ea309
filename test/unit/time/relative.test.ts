import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../../lib/time/relative';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const MIN = 60_000;

describe('relativeTime', () => {
  it.each([
    [NOW - 20_000, 'just now'],
    [NOW + 20_000, 'just now'],
    [NOW - 3 * MIN, '3 min ago'],
    [NOW - 3 * 60 * MIN, '3 h ago'],
    [NOW - 26 * 60 * MIN, '1 day ago'],
    [NOW + 5 * 24 * 60 * MIN, 'in 5 days'],
    [NOW + 90 * 24 * 60 * MIN, 'in 3 months'],
    [NOW - 800 * 24 * 60 * MIN, '2 years ago'],
  ])('%d reads %j', (at, text) => {
    expect(relativeTime(at, NOW)).toBe(text);
  });
});
