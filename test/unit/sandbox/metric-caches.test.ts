import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUILTIN_METRICS, builtinTuples, generateRaw, slotCacheSize, SLOT_CACHE_MAX_BLOCKS } from '../../../sandbox/metrics/builtin';
import { JsonBytes } from '../../../sandbox/metrics/json-bytes';
import { generateWorld } from '../../../sandbox/world/generate';
import { World } from '../../../sandbox/world/world';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 30);
const anchor = Math.floor(NOW / DAY) * DAY;

function freshWorld(): World {
  const { zones, entities } = generateWorld(7, 'demo', anchor);
  return new World(zones, entities, 7, anchor);
}

function written(values: number[]): string {
  return new TextDecoder().decode(new JsonBytes(16).numbers(Float64Array.from(values)).result());
}

/** What the engine answers: rounded to millionths below 1e9 (`tidy` in sandbox/metrics/engine.ts). */
const tidy = (v: number) => (v >= 1e9 || v <= -1e9 ? v : Math.round(v * 1e6) / 1e6);

describe('JSON numbers written as bytes', () => {
  it('are exactly what JSON.stringify writes, for tidied values and any other double', () => {
    const anyDouble = fc.double({ noNaN: false });
    const tidied = fc.oneof(
      fc.double({ min: -2e9, max: 2e9, noNaN: true }).map(tidy),
      fc.integer({ min: -1e15, max: 1e15 }).map((n) => n / 1e6),
      fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1e6),
      fc.constantFrom(0, -0, 1e-6, -1e-6, 5e-7, 999_999_999.999999, 1e9, -1e9, 1e21, Infinity, -Infinity, NaN, 0.1, 0.3, 31.560000000000002),
    );
    fc.assert(fc.property(fc.array(fc.oneof(tidied, anyDouble), { maxLength: 40 }), (values) => {
      expect(written(values)).toBe(JSON.stringify(values.map((v) => (Number.isNaN(v) ? null : v))));
    }), { numRuns: 20_000 });
  });
});

describe('cached slot statistics', () => {
  it('equal the statistics computed afresh, bit for bit, for every metric, grid, shift and now', () => {
    const world = freshWorld();
    fc.assert(fc.property(
      fc.integer({ min: 0, max: BUILTIN_METRICS.length - 1 }), fc.nat(), fc.constantFrom(1, 2, 5, 10, 60, 1440),
      fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom(0, -60, -1440, 7),
      fc.integer({ min: -180, max: 180 }),
      (mi, ti, stepMin, agoMin, count, shiftMin, nowShiftMin) => {
        const m = BUILTIN_METRICS[mi]!;
        const tuples = builtinTuples(m, world);
        const t = tuples[ti % tuples.length]!;
        const step = stepMin * MIN;
        const now = NOW + nowShiftMin * MIN + 17_000;
        const slots = { start: Math.floor((now - agoMin * MIN) / step) * step - count * step, step, count, inf: false };
        for (const pass of [0, 1]) {
          const fresh = generateRaw(m, t, slots, world, now, shiftMin * MIN, false);
          const cached = generateRaw(m, t, slots, world, now, shiftMin * MIN);
          for (const col of ['count', 'sum', 'min', 'max'] as const) {
            expect(Array.from(cached[col]), `${m.metricId} ${col} pass ${pass}`).toEqual(Array.from(fresh[col]));
          }
        }
      },
    ), { numRuns: 400 });
  });

  it('stays bounded', () => {
    const world = freshWorld();
    // Whole days at one minute of every tuple of every metric: far more blocks than the cache holds.
    let asked = 0;
    for (const day of [2, 3, 4]) {
      for (const m of BUILTIN_METRICS) {
        for (const t of builtinTuples(m, world)) {
          generateRaw(m, t, { start: anchor - day * DAY, step: MIN, count: 1440, inf: false }, world, NOW, 0);
          asked += 1440 / 64;
        }
      }
    }
    expect(asked).toBeGreaterThan(SLOT_CACHE_MAX_BLOCKS * 2);
    expect(slotCacheSize(world)).toBe(SLOT_CACHE_MAX_BLOCKS);
  });

  it('restricts tuples to the given entities like the metric itself does', () => {
    const world = freshWorld();
    for (const m of BUILTIN_METRICS) {
      const some = (m.primaryType ? world.byType.get(m.primaryType as never) ?? [] : []).filter((_, i) => i % 3 === 0);
      const key = (t: { dims: Record<string, string> }) => JSON.stringify(t.dims);
      expect(builtinTuples(m, world, some).map(key).sort(), m.metricId).toEqual(m.tuples(world, some).map(key).sort());
      expect(builtinTuples(m, world).map(key), m.metricId).toEqual(m.tuples(world).map(key));
    }
  });
});
