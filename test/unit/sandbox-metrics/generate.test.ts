import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUILTIN_METRICS, generateRaw } from '../../../sandbox/metrics/builtin';
import { generateWorld } from '../../../sandbox/world/generate';
import { World } from '../../../sandbox/world/world';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const anchor = Math.floor(NOW / DAY) * DAY;
const { zones, entities } = generateWorld(7, 'demo', anchor);
const world = new World(zones, entities, 7, anchor);

describe('generated built-in metric data', () => {
  it('is plausible for every metric, tuple, timeframe and resolution: bounds, whole counts, nothing before first seen or after now', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: BUILTIN_METRICS.length - 1 }), fc.nat(), fc.constantFrom(1, 2, 5, 15, 60, 360, 1440),
      fc.integer({ min: 0, max: 20 * 24 * 60 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: -120, max: 120 }),
      (mi, ti, stepMin, agoMin, count, shiftMin) => {
        const m = BUILTIN_METRICS[mi]!;
        const tuples = m.tuples(world);
        const t = tuples[ti % tuples.length]!;
        const step = stepMin * MIN;
        const start = Math.floor((NOW - agoMin * MIN) / step) * step - count * step;
        const slots = { start, step, count, inf: false };
        const raw = generateRaw(m, t, slots, world, NOW, shiftMin * MIN);
        const again = generateRaw(m, t, slots, world, NOW, shiftMin * MIN);
        for (let i = 0; i < count; i++) {
          expect(again.count[i]).toBe(raw.count[i]);
          expect(again.sum[i]).toBe(raw.sum[i]);
          const n = raw.count[i]!;
          const a = start + i * step + shiftMin * MIN;
          if (a + step <= t.from || a >= NOW) expect(n, `${m.metricId} slot ${i}`).toBe(0);
          if (n === 0) continue;
          expect(Number.isInteger(n) && n > 0).toBe(true);
          const avg = raw.sum[i]! / n;
          expect(raw.min[i]!, m.metricId).toBeLessThanOrEqual(avg + 1e-6 * Math.abs(avg));
          expect(raw.max[i]!, m.metricId).toBeGreaterThanOrEqual(avg - 1e-6 * Math.abs(avg));
          if (m.minimumValue !== undefined) expect(raw.min[i]!).toBeGreaterThanOrEqual(m.minimumValue);
          if (m.maximumValue !== undefined) expect(raw.max[i]!).toBeLessThanOrEqual(m.maximumValue);
          if (m.valueKind === 'sum') expect(Number.isInteger(raw.sum[i]!), `${m.metricId} ${raw.sum[i]}`).toBe(true);
        }
      },
    ), { numRuns: 1500 });
  });

  it('computes a year at one slot without walking its minutes, and agrees with the day slots it spans', () => {
    const m = BUILTIN_METRICS.find((x) => x.metricId === 'builtin:host.mem.usage')!;
    const t = m.tuples(world)[0]!;
    const start = anchor - 30 * DAY;
    const month = generateRaw(m, t, { start, step: 30 * DAY, count: 1, inf: true }, world, NOW, 0);
    const days = generateRaw(m, t, { start, step: DAY, count: 30, inf: false }, world, NOW, 0);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < 30; i++) { sum += days.sum[i]!; n += days.count[i]!; }
    expect(Math.abs(month.count[0]! - n) / n).toBeLessThan(0.02);
    expect(Math.abs(month.sum[0]! / month.count[0]! - sum / n) / (sum / n)).toBeLessThan(0.05);
  });
});
