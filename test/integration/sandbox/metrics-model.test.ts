import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestSandbox, json, T0, type TestSandbox } from '../../helpers/sandbox';

/**
 * A reference model of the metric selector over ingested data: for generated data points and
 * generated transformation chains, the sandbox's answer equals a direct computation here, which
 * keeps every data point (no statistics, no laziness) and applies the documented rules one by one.
 *
 * Rules the model shares with the sandbox (docs/dynatrace-api-notes.md §6.2, plus the decisions of
 * docs/sandbox-behaviour.md, "Metrics"):
 * slots aligned to their length with end timestamps; tuples without points in the timeframe are
 * left out and tuples are listed by dimension values; percentiles interpolate between closest
 * ranks; once aggregated, merged values combine by the aggregation applied (sum/count add,
 * min/max keep extremes, others average); fold/last/lastReal use the metric's default when the
 * aggregation given is not supported; delta nulls its first point and clamps at 0; a referenced
 * dimension the tuples lack empties the result with a warning.
 */

const MIN = 60_000;
type Kind = 'gauge' | 'count';
type Dims = Record<string, string>;
type AggName = 'avg' | 'count' | 'max' | 'median' | 'min' | 'sum' | 'value' | 'percentile';
interface Agg { kind: AggName; p?: number }
type Reduce = 'sum' | 'min' | 'max' | 'avg';

interface PointSpec { dims: Dims; t: number; v: number }
interface MetricSpec { key: string; kind: Kind; points: PointSpec[] }

type Cond =
  | { kind: 'eq' | 'ne' | 'prefix' | 'suffix' | 'contains'; dim: string; value: string }
  | { kind: 'existsKey'; dim: string }
  | { kind: 'in'; dim: string; hosts: string[] }
  | { kind: 'series'; agg: Agg; op: 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne'; value: number }
  | { kind: 'and' | 'or'; conds: Cond[] }
  | { kind: 'not'; cond: Cond };

type Step =
  | { t: 'agg'; agg: Agg }
  | { t: 'auto' }
  | { t: 'splitBy' | 'merge'; dims: string[] }
  | { t: 'filter'; cond: Cond }
  | { t: 'fold' | 'last' | 'lastReal'; agg?: Agg }
  | { t: 'sort'; by: { kind: 'value'; agg: Agg; desc: boolean } | { kind: 'dimension'; dim: string; desc: boolean } }
  | { t: 'limit'; n: number }
  | { t: 'default'; value: number; always: boolean }
  | { t: 'delta' }
  | { t: 'rate'; perMin: number }
  | { t: 'rollup'; agg: Agg; windowMin: number }
  | { t: 'timeshift'; minutes: number }
  | { t: 'names' };

type Expr =
  | { e: 'chain'; metric: 0 | 1; steps: Step[] }
  | { e: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { e: 'number'; value: number }
  | { e: 'negate'; operand: Expr };

interface Case { metrics: [MetricSpec, MetricSpec]; expr: Expr; fromMin: number; resolution: string }

// ---- formatting the generated query as a metric selector --------------------------------------------

const q = (s: string) => `"${s.replace(/~/g, '~~').replace(/"/g, '~"')}"`;
const fmtAgg = (a: Agg) => (a.kind === 'percentile' ? `percentile(${a.p})` : a.kind);
function fmtCond(c: Cond): string {
  switch (c.kind) {
    case 'existsKey': return `existsKey(${q(c.dim)})`;
    case 'in': return `in(${q(c.dim)},entitySelector(${q(`type(HOST),entityId(${c.hosts.join(',')})`)}))`;
    case 'series': return `series(${fmtAgg(c.agg)},${c.op}(${c.value}))`;
    case 'and': case 'or': return `${c.kind}(${c.conds.map(fmtCond).join(',')})`;
    case 'not': return `not(${fmtCond(c.cond)})`;
    default: return `${c.kind}(${q(c.dim)},${q(c.value)})`;
  }
}
function fmtStep(s: Step): string {
  switch (s.t) {
    case 'agg': return fmtAgg(s.agg);
    case 'auto': case 'delta': case 'names': return s.t;
    case 'splitBy': case 'merge': return `${s.t}(${s.dims.map(q).join(',')})`;
    case 'filter': return `filter(${fmtCond(s.cond)})`;
    case 'fold': case 'last': case 'lastReal': return s.agg ? `${s.t}(${fmtAgg(s.agg)})` : s.t;
    case 'sort': return s.by.kind === 'value' ? `sort(value(${fmtAgg(s.by.agg)},${s.by.desc ? 'descending' : 'ascending'}))` : `sort(dimension(${q(s.by.dim)},${s.by.desc ? 'descending' : 'ascending'}))`;
    case 'limit': return `limit(${s.n})`;
    case 'default': return `default(${s.value}${s.always ? ',always' : ''})`;
    case 'rate': return `rate(${s.perMin}m)`;
    case 'rollup': return `rollup(${fmtAgg(s.agg)},${s.windowMin}m)`;
    case 'timeshift': return `timeshift(-${s.minutes}m)`;
  }
}
function fmtExpr(e: Expr, keys: [string, string]): string {
  switch (e.e) {
    case 'chain': return keys[e.metric] + e.steps.map((s) => `:${fmtStep(s)}`).join('');
    case 'number': return String(e.value);
    case 'negate': return `-(${fmtExpr(e.operand, keys)})`;
    case 'binary': return `(${fmtExpr(e.left, keys)}) ${e.op} (${fmtExpr(e.right, keys)})`;
  }
}

// ---- the model ---------------------------------------------------------------------------------------------

interface Slots { start: number; step: number; count: number; inf: boolean; ends: number[] }
interface MTuple { dims: Dims; pts?: number[][]; ts: number[]; vals?: (number | null)[]; constant?: number }
interface MSet { keys: string[]; tuples: MTuple[]; raw: boolean; reduce: Reduce; empty: boolean; warnings: string[]; stepMs: number; slots: Slots; kind: Kind | null }

function slotsFor(res: string, from: number, to: number): Slots {
  if (res === 'Inf') return { start: from, step: to - from, count: 1, inf: true, ends: [to] };
  let step: number;
  if (/m$/.test(res)) step = Number(res.slice(0, -1)) * MIN;
  else step = [1, 2, 5, 10, 15, 30, 60].map((m) => m * MIN).find((s) => s >= (to - from) / Number(res))!;
  const start = Math.floor(from / step) * step;
  const count = Math.ceil(to / step) - start / step;
  return { start, step, count, inf: false, ends: Array.from({ length: count }, (_, i) => start + (i + 1) * step) };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = ((s.length - 1) * p) / 100;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * (s[Math.min(s.length - 1, lo + 1)]! - s[lo]!);
}

function aggPoints(xs: number[], a: Agg, kind: Kind): number | null {
  if (!xs.length) return null;
  switch (a.kind) {
    case 'avg': return xs.reduce((s, x) => s + x, 0) / xs.length;
    case 'sum': return xs.reduce((s, x) => s + x, 0);
    case 'min': return Math.min(...xs);
    case 'max': return Math.max(...xs);
    case 'count': return xs.length;
    case 'value': return kind === 'count' ? xs.reduce((s, x) => s + x, 0) : xs.reduce((s, x) => s + x, 0) / xs.length;
    case 'median': return pct(xs, 50);
    case 'percentile': return pct(xs, a.p!);
  }
}

function reduceVals(vs: (number | null)[], how: Agg | Reduce): number | null {
  const xs = vs.filter((v): v is number => v !== null);
  if (!xs.length) return null;
  const k = typeof how === 'string' ? how : how.kind;
  if (k === 'percentile') return pct(xs, (how as Agg).p!);
  if (k === 'median') return pct(xs, 50);
  if (k === 'count') return xs.length;
  return aggPoints(xs, { kind: k === 'value' ? 'sum' : k } as Agg, 'gauge');
}

const GAUGE_AGGS: AggName[] = ['avg', 'count', 'max', 'median', 'min', 'percentile', 'sum'];
const COUNT_AGGS: AggName[] = ['avg', 'count', 'max', 'min', 'sum', 'value'];
const defaultAgg = (kind: Kind): Agg => (kind === 'gauge' ? { kind: 'avg' } : { kind: 'value' });
const supports = (kind: Kind, a: Agg) => (kind === 'gauge' ? GAUGE_AGGS : COUNT_AGGS).includes(a.kind);
function reduceOf(a: Agg, kind: Kind | null): Reduce {
  if (a.kind === 'sum' || a.kind === 'count') return 'sum';
  if (a.kind === 'min' || a.kind === 'max') return a.kind;
  if (a.kind === 'value') return kind === 'count' ? 'sum' : 'avg';
  return 'avg';
}

function cmp(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
const byDims = (keys: string[]) => (a: MTuple, b: MTuple) => keys.reduce((c, k) => c || cmp(a.dims[k], b.dims[k]), 0);
const project = (d: Dims, keys: string[]) => Object.fromEntries(keys.filter((k) => d[k] !== undefined).map((k) => [k, d[k]!]));

class Model {
  constructor(private readonly c: Case, private readonly names: Map<string, string>, private readonly dimOrder: [string[], string[]]) {}

  run(): { data: { dimensionMap: Dims; timestamps: number[]; values: (number | null)[] }[]; warnings: string[] } {
    const slots = slotsFor(this.c.resolution, T0 - this.c.fromMin * MIN, T0);
    const s = this.values(this.expr(this.c.expr, slots, 0));
    return {
      data: s.empty ? [] : s.tuples.map((t) => ({ dimensionMap: project(t.dims, s.keys), timestamps: t.ts, values: t.vals! })),
      warnings: s.warnings,
    };
  }

  private expr(e: Expr, slots: Slots, shift: number): MSet {
    switch (e.e) {
      case 'number': return { keys: [], tuples: [{ dims: {}, ts: slots.ends, vals: slots.ends.map(() => e.value), constant: e.value }], raw: false, reduce: 'avg', empty: false, warnings: [], stepMs: slots.step, slots, kind: null };
      case 'negate': {
        const s = this.values(this.expr(e.operand, slots, shift));
        return { ...s, tuples: s.tuples.map((t) => ({ ...t, vals: t.vals!.map((v) => (v === null ? null : -v)), ...(t.constant === undefined ? {} : { constant: -t.constant }) })) };
      }
      case 'binary': return this.binary(this.values(this.expr(e.left, slots, shift)), this.values(this.expr(e.right, slots, shift)), e.op);
      case 'chain': {
        const own = shift + e.steps.reduce((n, s) => n + (s.t === 'timeshift' ? s.minutes * MIN : 0), 0);
        let s = this.source(e.metric, slots, own);
        for (const step of e.steps) { if (s.empty) break; s = this.step(s, step); }
        return s;
      }
    }
  }

  private source(m: 0 | 1, slots: Slots, shiftBack: number): MSet {
    const spec = this.c.metrics[m];
    const start = slots.start - shiftBack;
    const groups = new Map<string, MTuple>();
    for (const p of spec.points) {
      const i = Math.floor((p.t - start) / slots.step);
      if (i < 0 || i >= slots.count) continue;
      const key = JSON.stringify(Object.entries(p.dims).sort());
      let t = groups.get(key);
      if (!t) { t = { dims: p.dims, pts: slots.ends.map(() => []), ts: slots.ends }; groups.set(key, t); }
      t.pts![i]!.push(p.v);
    }
    const keys = this.dimOrder[m];
    return { keys, tuples: [...groups.values()].sort(byDims(keys)), raw: true, reduce: 'avg', empty: false, warnings: [], stepMs: slots.step, slots, kind: spec.kind };
  }

  private aggregate(s: MSet, a: Agg): MSet {
    if (!s.raw) return s;
    return { ...s, raw: false, reduce: reduceOf(a, s.kind), tuples: s.tuples.map((t) => ({ dims: t.dims, ts: t.ts, vals: t.pts!.map((xs) => aggPoints(xs, a, s.kind!)) })) };
  }

  private values(s: MSet): MSet {
    return s.raw ? this.aggregate(s, defaultAgg(s.kind!)) : s;
  }

  private whole(s: MSet, t: MTuple, a: Agg): number | null {
    return s.raw ? aggPoints(t.pts!.flat(), a, s.kind!) : reduceVals(t.vals!, a.kind === 'value' ? s.reduce : a);
  }

  private unknown(s: MSet, dims: string[]): MSet | null {
    const missing = dims.filter((d) => !s.keys.includes(d));
    return missing.length ? { ...s, empty: true, tuples: [], warnings: [...s.warnings, ...missing.map((k) => `The dimension key \`${k}\` has been referenced, but the metric has no such key.`)] } : null;
  }

  private regroup(s: MSet, keys: string[]): MSet {
    const groups = new Map<string, MTuple[]>();
    for (const t of s.tuples) {
      const k = JSON.stringify(keys.map((x) => t.dims[x] ?? null));
      groups.set(k, [...(groups.get(k) ?? []), t]);
    }
    const tuples = [...groups.values()].map((parts): MTuple => {
      const dims = project(parts[0]!.dims, keys);
      if (s.raw) return { dims, ts: parts[0]!.ts, pts: parts[0]!.pts!.map((_, i) => parts.flatMap((p) => p.pts![i]!)) };
      return { dims, ts: parts[0]!.ts, vals: parts[0]!.ts.map((_, i) => reduceVals(parts.map((p) => p.vals![i]!), s.reduce)) };
    });
    return { ...s, keys, tuples: tuples.sort(byDims(keys)) };
  }

  private holds(s: MSet, t: MTuple, c: Cond): boolean {
    const v = 'dim' in c ? t.dims[c.dim] : undefined;
    switch (c.kind) {
      case 'eq': return v === c.value;
      case 'ne': return v !== c.value;
      case 'prefix': return v !== undefined && v.startsWith(c.value);
      case 'suffix': return v !== undefined && v.endsWith(c.value);
      case 'contains': return v !== undefined && v.includes(c.value);
      case 'existsKey': return v !== undefined;
      case 'in': return v !== undefined && c.hosts.includes(v);
      case 'series': {
        const x = this.whole(s, t, c.agg);
        if (x === null) return false;
        return { lt: x < c.value, le: x <= c.value, gt: x > c.value, ge: x >= c.value, eq: x === c.value, ne: x !== c.value }[c.op];
      }
      case 'and': return c.conds.every((x) => this.holds(s, t, x));
      case 'or': return c.conds.some((x) => this.holds(s, t, x));
      case 'not': return !this.holds(s, t, c.cond);
    }
  }

  private step(s: MSet, st: Step): MSet {
    switch (st.t) {
      case 'agg': return this.aggregate(s, st.agg);
      case 'auto': return this.values(s);
      case 'splitBy': return this.unknown(s, st.dims) ?? this.regroup(s, [...new Set(st.dims)]);
      case 'merge': return this.unknown(s, st.dims) ?? this.regroup(s, s.keys.filter((k) => !st.dims.includes(k)));
      case 'filter': {
        const dims: string[] = [];
        const walk = (c: Cond) => { if (c.kind === 'and' || c.kind === 'or') c.conds.forEach(walk); else if (c.kind === 'not') walk(c.cond); else if (c.kind !== 'existsKey' && 'dim' in c) dims.push(c.dim); };
        walk(st.cond);
        return this.unknown(s, dims) ?? { ...s, tuples: s.tuples.filter((t) => this.holds(s, t, st.cond)) };
      }
      case 'fold': {
        const at = [s.slots.ends.at(-1)!];
        const stepMs = s.slots.step * s.slots.count;
        if (s.raw) {
          const a = st.agg && supports(s.kind!, st.agg) ? st.agg : defaultAgg(s.kind!);
          return { ...s, raw: false, stepMs, reduce: reduceOf(a, s.kind), tuples: s.tuples.map((t) => ({ dims: t.dims, ts: at, vals: [aggPoints(t.pts!.flat(), a, s.kind!)] })) };
        }
        const how = st.agg ? (st.agg.kind === 'value' ? s.reduce : st.agg) : s.reduce;
        return { ...s, stepMs, tuples: s.tuples.map((t) => ({ dims: t.dims, ts: at, vals: [reduceVals(t.vals!, how)] })) };
      }
      case 'last': case 'lastReal': {
        const v = s.raw ? this.aggregate(s, st.agg && supports(s.kind!, st.agg) ? st.agg : defaultAgg(s.kind!)) : s;
        if (st.t === 'lastReal') {
          return { ...v, tuples: v.tuples.map((t) => {
            const i = t.vals!.map((x) => x !== null).lastIndexOf(true);
            return i < 0 ? { dims: t.dims, ts: [], vals: [] } : { dims: t.dims, ts: [t.ts[i]!], vals: [t.vals![i]!] };
          }) };
        }
        const latest = Math.max(-Infinity, ...v.tuples.flatMap((t) => t.ts.filter((_, i) => t.vals![i] !== null)));
        return { ...v, tuples: v.tuples.map((t) => (latest === -Infinity ? { dims: t.dims, ts: [], vals: [] } : { dims: t.dims, ts: [latest], vals: [t.ts.includes(latest) ? t.vals![t.ts.indexOf(latest)]! : null] })) };
      }
      case 'sort': {
        if (st.by.kind === 'dimension') { const bad = this.unknown(s, [st.by.dim]); if (bad) return bad; }
        const by = st.by;
        const rows = s.tuples.map((t, i) => ({ t, i, k: by.kind === 'value' ? this.whole(s, t, by.agg) : t.dims[by.dim] }));
        rows.sort((a, b) => {
          if (a.k !== b.k) {
            if (a.k === null || a.k === undefined) return 1;
            if (b.k === null || b.k === undefined) return -1;
            const c = typeof a.k === 'number' ? a.k - (b.k as number) : a.k < (b.k as string) ? -1 : 1;
            if (c) return by.desc ? -c : c;
          }
          return a.i - b.i;
        });
        return { ...s, tuples: rows.map((r) => r.t) };
      }
      case 'limit': return { ...s, tuples: s.tuples.slice(0, st.n) };
      case 'default': {
        const v = this.values(s);
        const tuples = v.tuples.map((t) => ({ ...t, vals: t.vals!.map((x) => x ?? st.value) }));
        if (st.always && !tuples.length && !v.keys.length) tuples.push({ dims: {}, ts: v.slots.ends, vals: v.slots.ends.map(() => st.value) });
        return { ...v, tuples };
      }
      case 'delta': {
        const v = this.values(s);
        return { ...v, tuples: v.tuples.map((t) => ({ ...t, vals: t.vals!.map((x, i) => (i === 0 || x === null || t.vals![i - 1] === null ? null : Math.max(0, x - t.vals![i - 1]!))) })) };
      }
      case 'rate': {
        const v = this.values(s);
        return { ...v, tuples: v.tuples.map((t) => ({ ...t, vals: t.vals!.map((x) => (x === null ? null : (x * st.perMin * MIN) / v.stepMs)) })) };
      }
      case 'rollup': {
        const n = (st.windowMin * MIN) / s.stepMs;
        if (s.raw) {
          return { ...s, raw: false, reduce: reduceOf(st.agg, s.kind), tuples: s.tuples.map((t) => ({ dims: t.dims, ts: t.ts, vals: t.pts!.map((_, i) => aggPoints(t.pts!.slice(Math.max(0, i - n + 1), i + 1).flat(), st.agg, s.kind!)) })) };
        }
        const how = st.agg.kind === 'value' ? s.reduce : st.agg;
        return { ...s, reduce: reduceOf(st.agg, s.kind), tuples: s.tuples.map((t) => ({ ...t, vals: t.vals!.map((_, i) => reduceVals(t.vals!.slice(Math.max(0, i - n + 1), i + 1), how)) })) };
      }
      case 'timeshift': return s;
      case 'names': {
        if (!s.keys.includes('dt.entity.host') || s.keys.includes('dt.entity.host.name')) return s;
        const keys = s.keys.flatMap((k) => (k === 'dt.entity.host' ? ['dt.entity.host.name', k] : [k]));
        return { ...s, keys, tuples: s.tuples.map((t) => ({ ...t, dims: t.dims['dt.entity.host'] ? { ...t.dims, 'dt.entity.host.name': this.names.get(t.dims['dt.entity.host'])! } : t.dims })) };
      }
    }
  }

  private binary(l: MSet, r: MSet, op: '+' | '-' | '*' | '/'): MSet {
    const f = (a: number | null, b: number | null) => (a === null || b === null ? null : op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : b === 0 ? null : a / b);
    const base = l.keys.length || !r.keys.length ? l : r;
    const out: MSet = { ...base, warnings: [...l.warnings, ...r.warnings], reduce: l.reduce === r.reduce ? l.reduce : 'avg', kind: null };
    if (l.empty || r.empty) return { ...out, empty: true, tuples: [] };
    const at = (t: MTuple, ts: number) => (t.constant !== undefined ? t.constant : t.ts.includes(ts) ? t.vals![t.ts.indexOf(ts)]! : null);
    const pair = (a: MTuple, b: MTuple, dims: Dims, ts: number[]): MTuple => ({ dims, ts, vals: ts.map((x) => f(at(a, x), at(b, x))) });
    const tuples: MTuple[] = [];
    if (!l.keys.length && l.tuples.length <= 1) { for (const b of r.tuples) if (l.tuples[0]) tuples.push(pair(l.tuples[0], b, b.dims, b.ts)); }
    else if (!r.keys.length && r.tuples.length <= 1) { for (const a of l.tuples) if (r.tuples[0]) tuples.push(pair(a, r.tuples[0], a.dims, a.ts)); }
    else {
      for (const a of l.tuples) {
        const b = r.tuples.find((x) => JSON.stringify(Object.entries(x.dims).sort()) === JSON.stringify(Object.entries(a.dims).sort()));
        if (b) tuples.push(pair(a, b, a.dims, a.ts));
      }
    }
    return { ...out, tuples };
  }
}

// ---- generators ----------------------------------------------------------------------------------------------

const DIM_KEYS = ['color', 'size', 'dt.entity.host'];

function arbCase(hosts: string[]): fc.Arbitrary<Case> {
  const dims = fc.record({ color: fc.constantFrom('red', 'blue', 'green', 'grey-blue'), size: fc.constantFrom('s', 'm', 'xl'), 'dt.entity.host': fc.constantFrom(...hosts) }, { requiredKeys: [] })
    .map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as Dims);
  const point = (kind: Kind) => fc.record({
    minute: fc.integer({ min: 0, max: 59 }), second: fc.integer({ min: 1, max: 59 }),
    v: kind === 'gauge' ? fc.integer({ min: -40, max: 200 }).map((x) => x / 2) : fc.integer({ min: 0, max: 50 }),
  });
  const series = (kind: Kind) => fc.array(fc.record({ dims, points: fc.array(point(kind), { minLength: 1, maxLength: 6 }) }), { maxLength: 5 });
  const agg = (kinds: AggName[]) => fc.oneof(
    fc.constantFrom(...kinds.filter((k) => k !== 'percentile')).map((kind): Agg => ({ kind })),
    ...(kinds.includes('percentile') ? [fc.constantFrom(0, 10, 50, 90, 99.9, 100).map((p): Agg => ({ kind: 'percentile', p }))] : []),
  );
  const anyAgg = agg(['avg', 'count', 'max', 'median', 'min', 'percentile', 'sum', 'value']);
  const dimRef = fc.constantFrom(...DIM_KEYS, 'dt.entity.host.name', 'nope');
  const leaf: fc.Arbitrary<Cond> = fc.oneof(
    fc.record({ kind: fc.constantFrom('eq' as const, 'ne' as const, 'prefix' as const, 'suffix' as const, 'contains' as const), dim: fc.constantFrom('color', 'size'), value: fc.constantFrom('red', 'blue', 'gr', 'e', 'm', 'xl', 's') }),
    fc.record({ kind: fc.constant('existsKey' as const), dim: dimRef }),
    fc.record({ kind: fc.constant('in' as const), dim: fc.constant('dt.entity.host'), hosts: fc.subarray(hosts, { minLength: 1 }) }),
    fc.record({ kind: fc.constant('series' as const), agg: anyAgg, op: fc.constantFrom('lt' as const, 'le' as const, 'gt' as const, 'ge' as const, 'eq' as const, 'ne' as const), value: fc.integer({ min: -10, max: 60 }) }),
  );
  const cond: fc.Arbitrary<Cond> = fc.oneof({ depthSize: 'small' }, leaf, leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), conds: fc.array(leaf, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), cond: leaf }));

  return fc.record({
    resolution: fc.constantFrom('1m', '5m', '10m', 'Inf', '7', '30'),
    fromMin: fc.constantFrom(60, 30, 17),
    g: series('gauge'), c: series('count'),
    raw: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 40, maxLength: 40 }),
    shape: fc.constantFrom('chain', 'chain', 'chain', 'chain-number', 'chain-chain', 'negate'),
    op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const),
    number: fc.integer({ min: 0, max: 5 }),
    conds: fc.array(cond, { minLength: 4, maxLength: 4 }),
    aggs: fc.array(anyAgg, { minLength: 8, maxLength: 8 }),
  }).map((r): Case => {
    // Transformation chains come from a deterministic walk over the random numbers, tracking the
    // stage (statistics or values) so that only valid selectors are produced.
    let k = 0;
    const next = (n: number) => r.raw[k++ % r.raw.length]! % n;
    const res = r.resolution;
    const stepMin = res.endsWith('m') ? Number(res.slice(0, -1)) : null;
    const chain = (metric: 0 | 1): Expr => {
      const kind: Kind = metric === 0 ? 'gauge' : 'count';
      let raw = true;
      let folded = false;
      const steps: Step[] = [];
      // A third of the chains aggregate first, so that later merges, folds and sorts see values.
      if (next(3) === 0) {
        const a = r.aggs[next(8)]!;
        steps.push({ t: 'agg', agg: supports(kind, a) ? a : defaultAgg(kind) });
        raw = false;
        // ...and then often combine aggregated values: merges, a fold or a sort by `value`.
        const combine: Step[] = [{ t: 'splitBy', dims: [] }, { t: 'merge', dims: ['color'] }, { t: 'splitBy', dims: ['size'] }, { t: 'fold' },
          { t: 'sort', by: { kind: 'value', agg: { kind: 'value' }, desc: true } }, { t: 'rollup', agg: { kind: 'value' }, windowMin: 60 }];
        const extra = combine[next(combine.length * 2)];
        if (extra && (extra.t !== 'rollup' || (stepMin !== null && 60 % stepMin === 0))) steps.push(extra);
        if (extra?.t === 'fold') folded = true;
      }
      const len = next(6);
      for (let i = 0; i < len; i++) {
        const pick = next(15);
        const a = r.aggs[next(8)]!;
        if (pick === 0 && raw) { steps.push({ t: 'agg', agg: supports(kind, a) ? a : defaultAgg(kind) }); raw = false; }
        else if (pick === 1) { steps.push({ t: 'auto' }); raw = false; }
        else if (pick === 2) steps.push({ t: 'splitBy', dims: DIM_KEYS.filter(() => next(2) === 0).concat(next(12) === 0 ? ['nope'] : []) });
        else if (pick === 3) steps.push({ t: 'merge', dims: [DIM_KEYS[next(3)]!] });
        else if (pick === 4) steps.push({ t: 'filter', cond: r.conds[next(4)]! });
        else if (pick === 5) { const t = (['fold', 'last', 'lastReal'] as const)[next(3)]!; steps.push({ t, ...(next(2) ? { agg: a } : {}) }); raw = false; if (t === 'fold') folded = true; }
        else if (pick === 6) steps.push({ t: 'sort', by: next(2) ? { kind: 'value', agg: a, desc: next(2) === 0 } : { kind: 'dimension', dim: DIM_KEYS[next(3)]!, desc: next(2) === 0 } });
        else if (pick === 7) steps.push({ t: 'limit', n: 1 + next(4) });
        else if (pick === 8) { steps.push({ t: 'default', value: next(3), always: next(2) === 0 }); raw = false; }
        else if (pick === 9) { steps.push({ t: 'delta' }); raw = false; }
        else if (pick === 10) { steps.push({ t: 'rate', perMin: [1, 5, 60][next(3)]! }); raw = false; }
        else if (pick === 11 && stepMin !== null && !folded) { steps.push({ t: 'rollup', agg: a, windowMin: stepMin * (1 + next(Math.floor(60 / stepMin))) }); raw = false; }
        else if (pick === 12) steps.push({ t: 'timeshift', minutes: 1 + next(15) });
        else if (pick === 13) steps.push({ t: 'names' });
      }
      return { e: 'chain', metric, steps };
    };
    const first = chain((next(2)) as 0 | 1);
    const expr: Expr = r.shape === 'chain' ? first
      : r.shape === 'negate' ? { e: 'negate', operand: first }
      : r.shape === 'chain-number' ? { e: 'binary', op: r.op, left: first, right: { e: 'number', value: r.number } }
      : { e: 'binary', op: r.op, left: chain(0), right: chain(1) };
    const points = (list: { dims: Dims; points: { minute: number; second: number; v: number }[] }[]) =>
      list.flatMap((s) => s.points.map((p) => ({ dims: s.dims, t: T0 - p.minute * MIN - p.second * 1000, v: p.v })));
    return { resolution: res, fromMin: r.fromMin, expr, metrics: [{ key: '', kind: 'gauge', points: points(r.g) }, { key: '', kind: 'count', points: points(r.c) }] };
  });
}

function line(key: string, kind: Kind, p: PointSpec): string {
  const dims = Object.entries(p.dims).map(([k, v]) => `,${k}="${v}"`).join('');
  return `${key}${dims} ${kind === 'count' ? `count,delta=${p.v}` : p.v} ${p.t}`;
}

function dimOrder(points: PointSpec[]): string[] {
  const out: string[] = [];
  for (const p of points) for (const k of Object.keys(p.dims)) if (!out.includes(k)) out.push(k);
  return out;
}

describe('metric selector transformations against a reference model (fast-check)', () => {
  let sb: TestSandbox;
  let token: string;
  let hosts: string[];
  let names: Map<string, string>;
  let run = 0;

  beforeAll(async () => {
    sb = createTestSandbox();
    token = await sb.mintClassic(['metrics.ingest', 'metrics.read']);
    hosts = sb.deps.world.byType.get('HOST')!.slice(0, 3).map((h) => h.entityId);
    names = new Map(sb.deps.world.byType.get('HOST')!.map((h) => [h.entityId, h.displayName]));
  });

  it('answers like the model for generated data and selectors', async () => {
    let nonEmpty = 0;
    let withNulls = 0;
    await fc.assert(fc.asyncProperty(arbCase(hosts), async (c) => {
      run++;
      const keys: [string, string] = [`model.r${run}.gauge`, `model.r${run}.count`];
      c.metrics[0].key = keys[0];
      c.metrics[1].key = keys[1];
      // Metadata lines create both metrics even without points: empty metrics are part of the test.
      const body = [`#${keys[0]} gauge dt.meta.unit=Count`, `#${keys[1]} count dt.meta.unit=Count`,
        ...c.metrics[0].points.map((p) => line(keys[0], 'gauge', p)), ...c.metrics[1].points.map((p) => line(keys[1], 'count', p))].join('\n');
      const ing = await sb.request('/api/v2/metrics/ingest', { token, method: 'POST', body, headers: { 'content-type': 'text/plain' } });
      expect(ing.status, await ing.clone().text()).toBe(202);
      const selector = fmtExpr(c.expr, keys);
      const res = await sb.request(`/api/v2/metrics/query?metricSelector=${encodeURIComponent(selector)}&from=now-${c.fromMin}m&resolution=${c.resolution}`, { token });
      const text = await res.text();
      expect(res.status, `${selector}: ${text.slice(0, 300)}`).toBe(200);
      const got = (JSON.parse(text) as { result: { data: { dimensionMap: Dims; timestamps: number[]; values: (number | null)[] }[]; warnings?: string[] }[] }).result[0]!;
      const want = new Model(c, names, [dimOrder(c.metrics[0].points), dimOrder(c.metrics[1].points)]).run();
      const ctx = `${selector} from=now-${c.fromMin}m resolution=${c.resolution}`;
      expect(got.warnings ?? [], ctx).toEqual([...new Set(want.warnings)]);
      expect(got.data.map((d) => d.dimensionMap), ctx).toEqual(want.data.map((d) => d.dimensionMap));
      got.data.forEach((d, i) => {
        const w = want.data[i]!;
        expect(d.timestamps, ctx).toEqual(w.timestamps);
        expect(d.values.map((v) => v === null), ctx).toEqual(w.values.map((v) => v === null));
        d.values.forEach((v, j) => { if (v !== null) expect(Math.abs(v - w.values[j]!), `${ctx} [${i}][${j}] ${v} vs ${w.values[j]}`).toBeLessThanOrEqual(1e-6 + 1e-9 * Math.abs(v)); });
      });
      if (got.data.length) nonEmpty++;
      if (got.data.some((d) => d.values.includes(null))) withNulls++;
    }), { numRuns: 500, seed: 20261120 });
    // The generators reach the interesting cases, not only empty answers.
    expect(nonEmpty).toBeGreaterThan(100);
    expect(withNulls).toBeGreaterThan(20);
  });

  it('answers empty data for a metric without points in the timeframe, and default(…,always) fills it', async () => {
    const r = await sb.request('/api/v2/metrics/ingest', { token, method: 'POST', body: `#model.empty.metric gauge dt.meta.unit=Count\nmodel.old.metric,color=red 5 ${T0 - 50 * MIN}`, headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(202);
    const sel = encodeURIComponent('model.empty.metric,model.old.metric,model.old.metric:splitBy():default(3,always)');
    const d = await json<{ result: { data: { values: (number | null)[] }[] }[] }>(await sb.request(`/api/v2/metrics/query?metricSelector=${sel}&from=now-10m&resolution=5m`, { token }));
    expect(d.result.map((x) => x.data.length)).toEqual([0, 0, 1]);
    expect(d.result[2]!.data[0]!.values).toEqual([3, 3]);
  });
});
