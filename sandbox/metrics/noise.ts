/**
 * Deterministic noise for generated metric data: integer hashing (no strings in the hot path),
 * multi-octave value noise whose slot means can be taken at any resolution, and the daily shape.
 *
 * Why octaves: a slot of k minutes must agree with the minutes it contains. Every octave is
 * piecewise constant on cells of a fixed size (1 min, 5 min, 30 min, 3 h), so the mean of an
 * octave over a slot is exact when the slot covers few cells and, for octaves much finer than the
 * slot, replaced by one deterministic draw scaled like the mean of that many independent cells.
 * A 1-minute slot evaluates every octave exactly, which makes it the base the coarser slots follow.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** A 32-bit avalanche mix of two integers (murmur3 finaliser over a combined word). */
export function mix(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from a seed and two integers. */
export function unit(seed: number, a: number, b: number): number {
  return mix(mix(seed, a), b) / 4294967296;
}

/** Triangular in (-1, 1), mean 0: the sum of two 16-bit uniforms (both halves of one hash), re-centred. */
export function tri(seed: number, a: number, b: number): number {
  const h = mix(mix(seed, a), b);
  return ((h & 0xffff) + (h >>> 16)) / 65536 - 1;
}

/** Cell index of a timestamp (times before 1970 never occur, but stay correct). */
function cellOf(t: number, size: number): number {
  return Math.floor(t / size);
}

const OCTAVES = [
  { size: MINUTE, amp: 0.45 },
  { size: 5 * MINUTE, amp: 0.35 },
  { size: 30 * MINUTE, amp: 0.35 },
  { size: 3 * HOUR, amp: 0.3 },
] as const;

/** Spread (roughly the largest excursion) of the octave sum; used to scale min/max. */
export const NOISE_SPAN = OCTAVES.reduce((s, o) => s + o.amp, 0);

/**
 * Mean of the octave noise over [a, b) and the part of its variation the slot hides (octaves finer
 * than the slot), which widens min/max. Cells are hashed with their absolute index, so any slot
 * grid (aligned, shifted by a timeshift, an `Inf` timeframe) reads the same underlying noise.
 */
export interface NoiseOut { mean: number; hidden: number }

export function noiseMean(seed: number, a: number, b: number, out: NoiseOut): NoiseOut {
  let mean = 0;
  let hidden = 0;
  for (let j = 0; j < OCTAVES.length; j++) {
    const { size, amp } = OCTAVES[j]!;
    const first = cellOf(a, size);
    const last = cellOf(b - 1, size);
    const cells = last - first + 1;
    if (cells === 1) {
      mean += amp * tri(seed, j, first);
      continue;
    }
    hidden += amp;
    if (cells <= 12) {
      let acc = 0;
      if (a % size === 0 && b % size === 0) {
        // Whole cells (the usual aligned slot): equal weights.
        for (let c = first; c <= last; c++) acc += tri(seed, j, c);
        mean += (amp * acc) / cells;
        continue;
      }
      for (let c = first; c <= last; c++) {
        const lo = Math.max(a, c * size);
        const hi = Math.min(b, (c + 1) * size);
        acc += tri(seed, j, c) * (hi - lo);
      }
      mean += (amp * acc) / (b - a);
    } else {
      // The mean of many independent cells: one draw with the matching standard deviation.
      mean += (amp * tri(seed, j + 97, first * 31 + last)) / Math.sqrt(cells);
    }
  }
  out.mean = mean;
  out.hidden = hidden;
  return out;
}

/** Mean over [a, b) of cos(2π(t − peak)/day): 1 at the daily peak, −1 twelve hours later. */
export function dailyMean(a: number, b: number, peakHour: number): number {
  const w = (2 * Math.PI) / DAY;
  const p = peakHour * HOUR;
  if (b - a < MINUTE * 2) return Math.cos(w * ((a + b) / 2 - p));
  return (Math.sin(w * (b - p)) - Math.sin(w * (a - p))) / (w * (b - a));
}

/** Saturday or Sunday (UTC) at the slot's middle (day 0 of the epoch was a Thursday). */
export function isWeekend(a: number, b: number): boolean {
  const d = (Math.floor((a + b) / 2 / DAY) + 4) % 7;
  return d === 0 || d === 6;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9),
 * for percentiles of log-normally distributed response times.
 */
export function normInv(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
