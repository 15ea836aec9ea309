/**
 * Per-slot statistics of a series before time aggregation (count, sum, min, max and, for ingested
 * data, the point values themselves for exact percentiles), and the aggregations over them.
 */
import type { Aggregation } from '../../lib/selectors/metric-ast';
import { normInv } from './noise';

/** How percentiles are estimated when the raw point values are not known (generated data). */
export type Dist = 'linear' | 'lognormal';

/** What the `value` aggregation means for a metric: the slot's sum (counts) or its mean (pre-aggregated gauges). */
export type ValueKind = 'sum' | 'avg';

/** How already aggregated values combine when series merge, or a series folds (from the aggregation applied). */
export type Reduce = 'sum' | 'min' | 'max' | 'avg';

/** Slot statistics of one series, column-wise; count 0 marks an empty slot. */
export class Raw {
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Point values per slot, only for ingested data (exact percentiles); generated data estimates them. */
  vals: (number[] | undefined)[] | null = null;

  constructor(readonly length: number, readonly dist: Dist) {
    this.count = new Float64Array(length);
    this.sum = new Float64Array(length);
    this.min = new Float64Array(length).fill(Infinity);
    this.max = new Float64Array(length).fill(-Infinity);
  }

  add(i: number, count: number, sum: number, min: number, max: number, value?: number): void {
    this.count[i]! += count;
    this.sum[i]! += sum;
    if (min < this.min[i]!) this.min[i] = min;
    if (max > this.max[i]!) this.max[i] = max;
    if (value !== undefined) {
      this.vals ??= new Array<number[] | undefined>(this.length);
      (this.vals[i] ??= []).push(value);
    }
  }

  /** Adds another series' slots into this one (merging tuples before time aggregation). */
  merge(other: Raw): void {
    for (let i = 0; i < this.length; i++) {
      if (other.count[i] === 0) continue;
      this.count[i]! += other.count[i]!;
      this.sum[i]! += other.sum[i]!;
      if (other.min[i]! < this.min[i]!) this.min[i] = other.min[i]!;
      if (other.max[i]! > this.max[i]!) this.max[i] = other.max[i]!;
      const ov = other.vals?.[i];
      if (ov) {
        this.vals ??= new Array<number[] | undefined>(this.length);
        (this.vals[i] ??= []).push(...ov);
      }
    }
  }

  /** Slots [from, to] combined into a one-slot series (fold, series(), sort by value, rollup). */
  combine(from = 0, to = this.length - 1): Raw {
    const out = new Raw(1, this.dist);
    for (let i = Math.max(0, from); i <= to; i++) {
      if (this.count[i] === 0) continue;
      out.count[0]! += this.count[i]!;
      out.sum[0]! += this.sum[i]!;
      if (this.min[i]! < out.min[0]!) out.min[0] = this.min[i]!;
      if (this.max[i]! > out.max[0]!) out.max[0] = this.max[i]!;
      const v = this.vals?.[i];
      if (v) {
        out.vals ??= [undefined];
        (out.vals[0] ??= []).push(...v);
      }
    }
    return out;
  }

  /** Empties the series for reuse (see {@link acquireRaw}). */
  reset(dist: Dist): this {
    this.count.fill(0);
    this.sum.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.vals = null;
    (this as { dist: Dist }).dist = dist;
    return this;
  }

  hasData(): boolean {
    for (let i = 0; i < this.length; i++) if (this.count[i]! > 0) return true;
    return false;
  }
}

/*
 * A query over thousands of generated series at hundreds of slots aggregates them one by one:
 * reusing the column arrays of series already aggregated keeps the garbage collector out of it.
 */
const pool: Raw[] = [];
const POOL_MAX = 64;

export function acquireRaw(length: number, dist: Dist): Raw {
  for (let i = pool.length - 1; i >= 0; i--) {
    if (pool[i]!.length === length) return pool.splice(i, 1)[0]!.reset(dist);
  }
  return new Raw(length, dist);
}

/** Gives a series back for reuse; the caller must hold no other reference to it. */
export function releaseRaw(raw: Raw): void {
  if (pool.length >= POOL_MAX) pool.shift();
  pool.push(raw);
}

/** Percentile with linear interpolation between closest ranks (the "R-7" definition) of sorted values. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile estimate from a slot's min/mean/max when the points are not stored: log-normal for
 * response times (σ = 0.6, median = mean·e^(−σ²/2)), piecewise linear through min–mean–max otherwise.
 */
export function percentileEstimate(min: number, avg: number, max: number, p: number, dist: Dist): number {
  let v: number;
  if (dist === 'lognormal') {
    const sigma = 0.6;
    v = avg * Math.exp(-(sigma * sigma) / 2) * Math.exp(sigma * normInv(Math.min(0.9999, Math.max(0.0001, p / 100))));
  } else {
    v = p <= 50 ? min + ((avg - min) * p) / 50 : avg + ((max - avg) * (p - 50)) / 50;
  }
  return Math.min(max, Math.max(min, v));
}

/** Time aggregation of one slot; null for an empty slot. */
export function aggregateSlot(raw: Raw, i: number, agg: Aggregation, valueKind: ValueKind): number | null {
  const n = raw.count[i]!;
  if (n === 0) return null;
  switch (agg.kind) {
    case 'avg': return raw.sum[i]! / n;
    case 'sum': return raw.sum[i]!;
    case 'min': return raw.min[i]!;
    case 'max': return raw.max[i]!;
    case 'count': return n;
    case 'value': return valueKind === 'sum' ? raw.sum[i]! : raw.sum[i]! / n;
    case 'median':
    case 'percentile': {
      const p = agg.kind === 'percentile' ? agg.percentile : 50;
      const vals = raw.vals?.[i];
      if (vals?.length) return percentileOfSorted([...vals].sort((x, y) => x - y), p);
      return percentileEstimate(raw.min[i]!, raw.sum[i]! / n, raw.max[i]!, p, raw.dist);
    }
  }
}

/** How values produced by `agg` combine later (splitBy after aggregation, fold without argument). */
export function reduceOf(agg: Aggregation, valueKind: ValueKind): Reduce {
  switch (agg.kind) {
    case 'sum': case 'count': return 'sum';
    case 'min': return 'min';
    case 'max': return 'max';
    case 'value': return valueKind === 'sum' ? 'sum' : 'avg';
    default: return 'avg';
  }
}

/**
 * Combines already aggregated values (nulls ignored; null when nothing is left). Callers map the
 * `value` aggregation to the series' {@link Reduce} first; here it sums.
 */
export function reduceValues(values: readonly (number | null)[], agg: Aggregation | Reduce): number | null {
  const xs: number[] = [];
  for (const v of values) if (v !== null) xs.push(v);
  if (!xs.length) return null;
  if (typeof agg !== 'string' && agg.kind === 'percentile') return percentileOfSorted(xs.sort((x, y) => x - y), agg.percentile);
  const kind = typeof agg === 'string' ? agg : agg.kind;
  switch (kind) {
    case 'sum': case 'value': return xs.reduce((s, x) => s + x, 0);
    case 'avg': return xs.reduce((s, x) => s + x, 0) / xs.length;
    case 'min': return xs.reduce((m, x) => (x < m ? x : m), Infinity);
    case 'max': return xs.reduce((m, x) => (x > m ? x : m), -Infinity);
    case 'count': return xs.length;
    case 'median': return percentileOfSorted(xs.sort((x, y) => x - y), 50);
    default: return null;
  }
}
