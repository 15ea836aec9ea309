/**
 * Evaluates a parsed metric selector (docs/dynatrace-api-notes.md §5.4, §6) over built-in (generated) and
 * ingested metrics.
 *
 * A result is a set of tuples (dimension map + data). Before a time aggregation the data are slot
 * statistics (count, sum, min, max), so merging tuples and later aggregations stay exact; the first
 * aggregation (explicit, `auto`, or the metric's default when a transformation needs values) turns
 * them into numbers. Generated statistics are computed lazily per tuple, so a filter on a dimension
 * never generates the series it drops.
 *
 * Decisions where the documentation is silent (docs/sandbox-behaviour.md, "Metrics"): after
 * aggregation, merging tuples combines values by the aggregation applied (sum/count add, min/max keep extremes, the rest average); `:delta`
 * nulls the first point; `:rollup` only sees slots inside the timeframe; tuples without any data in
 * the timeframe are left out; `:fold` and `:last` put their single point at the end of the last
 * slot; `:delta`, `:rate`, `:default` apply the default aggregation first when none was applied.
 */
import type { Db } from '../db/database';
import { SandboxError, badParameter } from '../errors';
import type { EntityRecord, World } from '../world/world';
import { typeOfDimensionKey } from '../world/world';
import { evaluateEntitySelector } from '../query/entities';
import { formatMetricSelector } from '../../lib/selectors';
import type { Aggregation, FilterCondition, MetricExpression, SortKey, Transformation } from '../../lib/selectors/metric-ast';
import type { EntitySelector } from '../../lib/selectors/entity-ast';
import { BROWSER_BY_ID, builtinTuples, generateRaw, type AggregationType } from './builtin';
import { loadCustomTuples } from './custom';
import { hasEntityDimension, PARENT_OF, resolveMetric } from './descriptors';
import { DAY, HOUR, MINUTE } from './noise';
import { slotEnds, type Slots } from './slots';
import { aggregateSlot, Raw, reduceOf, reduceValues, releaseRaw, type Reduce, type ValueKind } from './stats';

type Dims = Record<string, string>;

interface Tuple {
  dims: Dims;
  /** Raw stage: the slot statistics, computed on first use. */
  raw?: Lazy;
  /** Values stage. */
  ts?: number[];
  values?: (number | null)[];
  /** A number in an arithmetic expression: the same value at every timestamp. */
  constant?: number;
}

interface SeriesSet {
  keys: string[];
  tuples: Tuple[];
  stage: 'raw' | 'values';
  slots: Slots;
  timestamps: number[];
  /** Length of one point in ms (changes with fold), for `:rate`. */
  stepMs: number;
  aggTypes: readonly AggregationType[];
  defaultAgg: Aggregation;
  valueKind: ValueKind;
  reduce: Reduce;
  /** A referenced dimension does not exist: the result is `data: []` with warnings. */
  empty: boolean;
  warnings: string[];
}

export interface EntityRestriction {
  type: string;
  ids: Set<string>;
}

export interface QueryContext {
  db: Db;
  world: World;
  now: number;
  /** Zones the caller may see; null = all. */
  visible: Set<string> | null;
  /** Who is asking (PAT owner), for messages; null for classic tokens. */
  user: string | null;
  slotsFor(expressionIndex: number): Slots;
  entities: EntityRestriction | null;
  /** mzSelector: every criterion must match one of the entity's zones. */
  zoneCriteria: Set<string>[] | null;
  /**
   * Series values packed into a Float64Array (NaN for null) instead of arrays: a JSON answer then holds one
   * typed array per series, not hundreds of boxed numbers the garbage collector copies, until it is written.
   */
  valuesAsJson?: boolean;
}

/**
 * A series of the answer. With `valuesAsJson` (see {@link QueryContext}) its values come packed: doubles with NaN
 * for null, which JSON writes as null too (sandbox/metrics/json-bytes.ts).
 */
export type SeriesJson = { dimensions: string[]; dimensionMap: Dims; timestamps: number[] } & ({ values: (number | null)[] } | { packed: Float64Array });
export interface ResultJson {
  metricId: string;
  dataPointCountRatio: number;
  dimensionCountRatio: number;
  data: SeriesJson[];
  warnings?: string[];
}

const MAX_DATA_POINTS = 20_000_000;
const MAX_TUPLES = 100_000;

function noSuchDimension(key: string): string {
  return `The dimension key \`${key}\` has been referenced, but the metric has no such key.`;
}

function compareStrings(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Tuples are listed in the order of their dimension values (keys in order, a missing value first). */
function byDims(keys: readonly string[]) {
  return (a: Tuple, b: Tuple) => {
    for (const k of keys) {
      const c = compareStrings(a.dims[k], b.dims[k]);
      if (c) return c;
    }
    return 0;
  };
}

function project(dims: Dims, keys: readonly string[]): Dims {
  const out: Dims = {};
  for (const k of keys) if (dims[k] !== undefined) out[k] = dims[k];
  return out;
}

/** One string per distinct combination of the values of `keys` (a missing value is distinct from every string). */
function groupKey(dims: Dims, keys: readonly string[]): string {
  // One key (splitBy of an entity, the usual case): the value itself, marked, without building JSON per tuple.
  if (keys.length === 1) { const v = dims[keys[0]!]; return v === undefined ? '' : `\u0001${v}`; }
  return JSON.stringify(keys.map((k) => dims[k] ?? null));
}

function aggName(a: Aggregation): AggregationType {
  return a.kind;
}

function cloneSet(s: SeriesSet, patch: Partial<SeriesSet>): SeriesSet {
  return { ...s, ...patch };
}

function badSelector(message: string): SandboxError {
  return badParameter('metricSelector', message);
}

const DURATION_MS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY, M: 30 * DAY, y: 365 * DAY };

function durationMs(d: { amount: number; unit: string }): number {
  return d.amount * DURATION_MS[d.unit]!;
}

// ---- stage changes ------------------------------------------------------------------------------

/** Time aggregation: statistics become values; tuples without data disappear. */
function aggregate(set: SeriesSet, agg: Aggregation, explicit: boolean, metricId: string): SeriesSet {
  if (set.stage === 'values') {
    if (agg.kind === 'value') return set;
    if (explicit) throw badSelector(`The aggregation '${aggName(agg)}' cannot be applied to '${metricId}': its data are already aggregated (use auto or value)`);
    return set;
  }
  if (explicit && !set.aggTypes.includes(aggName(agg))) {
    throw badSelector(`The aggregation '${aggName(agg)}' is not supported by the metric '${metricId}'; use one of ${set.aggTypes.join(', ')}`);
  }
  const tuples: Tuple[] = [];
  for (const t of set.tuples) {
    const raw = t.raw!();
    let values: (number | null)[] | null = null;
    if (raw.hasData()) {
      values = new Array<number | null>(raw.length);
      for (let i = 0; i < raw.length; i++) values[i] = aggregateSlot(raw, i, agg, set.valueKind);
    }
    t.raw!.release();
    if (values) tuples.push({ dims: t.dims, ts: set.timestamps, values });
  }
  return cloneSet(set, { tuples, stage: 'values', reduce: reduceOf(agg, set.valueKind) });
}

function ensureValues(set: SeriesSet, metricId: string): SeriesSet {
  return set.stage === 'values' ? set : aggregate(set, set.defaultAgg, false, metricId);
}

/** One number for a whole series: `series(...)` filters, `sort(value(...))`. */
function seriesAggregate(set: SeriesSet, t: Tuple, agg: Aggregation): number | null {
  if (set.stage === 'raw') return aggregateSlot(t.raw!().combine(), 0, agg, set.valueKind);
  return reduceValues(t.values!, agg.kind === 'value' ? set.reduce : agg);
}

// ---- dimension transformations -----------------------------------------------------------------

function lazyMerge(parts: Tuple[]): Lazy {
  return lazy(() => {
    const first = parts[0]!.raw!();
    const out = new Raw(first.length, first.dist);
    for (const p of parts) {
      out.merge(p.raw!());
      p.raw!.release();
    }
    return out;
  }, false);
}

/** Values of several tuples combined point by point (by timestamp), nulls ignored. */
function mergeValues(parts: Tuple[], reduce: Reduce): { ts: number[]; values: (number | null)[] } {
  const first = parts[0]!;
  const aligned = parts.every((p) => p.ts === first.ts || (p.ts!.length === first.ts!.length && p.ts!.every((x, i) => x === first.ts![i])));
  const ts = aligned ? first.ts! : [...new Set(parts.flatMap((p) => p.ts!))].sort((a, b) => a - b);
  const index = new Map(ts.map((x, i) => [x, i]));
  const cols: (number | null)[][] = ts.map(() => []);
  for (const p of parts) p.ts!.forEach((x, i) => cols[index.get(x)!]!.push(p.values![i]!));
  return { ts, values: cols.map((c) => reduceValues(c, reduce)) };
}

function regroup(set: SeriesSet, keys: string[]): SeriesSet {
  const groups = new Map<string, Tuple[]>();
  for (const t of set.tuples) {
    const k = groupKey(t.dims, keys);
    const g = groups.get(k);
    if (g) g.push(t); else groups.set(k, [t]);
  }
  const tuples: Tuple[] = [];
  for (const parts of groups.values()) {
    const dims = project(parts[0]!.dims, keys);
    if (parts.length === 1) { tuples.push({ ...parts[0]!, dims }); continue; }
    if (set.stage === 'raw') tuples.push({ dims, raw: lazyMerge(parts) });
    else tuples.push({ dims, ...mergeValues(parts, set.reduce) });
  }
  tuples.sort(byDims(keys));
  return cloneSet(set, { keys, tuples });
}

function unknownKeys(set: SeriesSet, keys: readonly string[]): SeriesSet | null {
  const missing = keys.filter((k) => !set.keys.includes(k));
  if (!missing.length) return null;
  return cloneSet(set, { empty: true, tuples: [], warnings: [...set.warnings, ...missing.map(noSuchDimension)] });
}

function conditionDims(c: FilterCondition, out: string[]): string[] {
  switch (c.kind) {
    case 'and': case 'or': c.conditions.forEach((x) => conditionDims(x, out)); break;
    case 'not': conditionDims(c.condition, out); break;
    case 'series': case 'existsKey': break;
    default: out.push(c.dimension);
  }
  return out;
}

function naturalCompare(a: string, b: string): number {
  const ax = a.match(/\d+|\D+/g) ?? [];
  const bx = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ax.length, bx.length); i++) {
    const x = ax[i]!;
    const y = bx[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) return Number(x) - Number(y) || x.length - y.length;
    return x < y ? -1 : 1;
  }
  return ax.length - bx.length;
}

// ---- the evaluator --------------------------------------------------------------------------------

export class MetricQuery {
  private readonly inSets = new Map<EntitySelector, Set<string>>();
  /** Data points read so far (generated or loaded), against the documented 20,000,000 per query. */
  private pointsRead = 0;

  constructor(private readonly ctx: QueryContext) {}

  /** Evaluates one comma-separated expression; a sibling group yields one result per key. */
  evaluate(expr: MetricExpression, index: number): ResultJson[] {
    const slots = this.ctx.slotsFor(index);
    if (expr.kind === 'metric' && expr.keys.length > 1) {
      return expr.keys.map((key) => this.result({ kind: 'metric', keys: [key], transformations: expr.transformations }, slots));
    }
    return [this.result(expr, slots)];
  }

  private result(expr: MetricExpression, slots: Slots): ResultJson {
    const metricId = formatMetricSelector({ expressions: [expr] });
    const set = this.expression(expr, slots, 0, metricId);
    const asJson = this.ctx.valuesAsJson === true;
    const data: SeriesJson[] = [];
    let points = 0;
    const head = (t: Tuple) => {
      const dimensions: string[] = [];
      const dimensionMap: Dims = {};
      for (const k of set.keys) {
        const v = t.dims[k];
        if (v === undefined) continue;
        dimensions.push(v);
        dimensionMap[k] = v;
      }
      return { dimensions, dimensionMap };
    };
    if (!set.empty && set.stage === 'raw') {
      // `ensureValues` and the output in one pass, one tuple at a time: the metric's default aggregation,
      // exactly as `aggregate` applies it (tuples without data left out), without an intermediate list.
      const agg = set.defaultAgg;
      for (const t of set.tuples) {
        const raw = t.raw!();
        if (raw.hasData()) {
          const n = raw.length;
          points += n;
          if (asJson) data.push({ ...head(t), timestamps: set.timestamps, packed: packSlots(raw, agg, set.valueKind) });
          else {
            const values = new Array<number | null>(n);
            for (let i = 0; i < n; i++) values[i] = tidy(aggregateSlot(raw, i, agg, set.valueKind));
            data.push({ ...head(t), timestamps: set.timestamps, values });
          }
        }
        t.raw!.release();
      }
    } else if (!set.empty) {
      for (const t of set.tuples) {
        points += t.values!.length;
        data.push(asJson
          ? { ...head(t), timestamps: t.ts!, packed: Float64Array.from(t.values!, (v) => tidy(v) ?? NaN) }
          : { ...head(t), timestamps: t.ts!, values: t.values!.map(tidy) });
      }
    }
    return {
      metricId,
      dataPointCountRatio: Number((points / MAX_DATA_POINTS).toPrecision(4)),
      dimensionCountRatio: Number((data.length / MAX_TUPLES).toPrecision(4)),
      data,
      ...(set.warnings.length ? { warnings: [...new Set(set.warnings)] } : {}),
    };
  }

  private expression(expr: MetricExpression, slots: Slots, shift: number, metricId: string): SeriesSet {
    switch (expr.kind) {
      case 'metric': {
        if (expr.keys.length !== 1) throw badSelector('A sibling group (a,b) cannot be part of an arithmetic expression');
        const own = shift + timeshiftOf(expr.transformations);
        const narrows = expr.transformations.some((t) => t.name === 'filter' || t.name === 'limit');
        return this.transform(this.source(expr.keys[0]!, slots, own, !narrows), expr.transformations, metricId);
      }
      case 'transformed': {
        const own = shift + timeshiftOf(expr.transformations);
        const operand = ensureValues(this.expression(expr.operand, slots, own, metricId), metricId);
        // Transformations treat a number like any series from here on.
        const plain = cloneSet(operand, { tuples: operand.tuples.map(({ constant: _c, ...t }) => t) });
        return this.transform(plain, expr.transformations, metricId);
      }
      case 'number': return this.constant(expr.value, slots);
      case 'negate': {
        const s = ensureValues(this.expression(expr.operand, slots, shift, metricId), metricId);
        return cloneSet(s, { tuples: s.tuples.map((t) => ({ ...t, values: t.values!.map((v) => (v === null ? null : -v)), ...(t.constant === undefined ? {} : { constant: -t.constant }) })) });
      }
      case 'binary': {
        const l = ensureValues(this.expression(expr.left, slots, shift, metricId), metricId);
        const r = ensureValues(this.expression(expr.right, slots, shift, metricId), metricId);
        return binary(l, r, expr.operator);
      }
    }
  }

  private constant(value: number, slots: Slots): SeriesSet {
    const timestamps = slotEnds(slots);
    return {
      keys: [], tuples: [{ dims: {}, ts: timestamps, values: timestamps.map(() => value), constant: value }], stage: 'values', slots, timestamps,
      stepMs: slots.step, aggTypes: ['auto', 'value'], defaultAgg: { kind: 'value' }, valueKind: 'avg', reduce: 'avg', empty: false, warnings: [],
    };
  }

  /** The metric's tuples for the slots, restricted to the caller's zones, the entity selector and the mzSelector. */
  private source(key: string, slots: Slots, shift: number, readsAll: boolean): SeriesSet {
    const { ctx } = this;
    const def = resolveMetric(ctx.db, key);
    if (!def) throw new SandboxError(404, `Metric key '${key}' not found`);
    if (ctx.visible && !hasEntityDimension(def)) {
      throw new SandboxError(403, `User '${ctx.user ?? 'unknown'}' lacks the permission 'environment-wide access' required to read '${key}': a metric without an entity dimension is not restricted to management zones`);
    }
    const keys = def.dimensions.map((d) => d.key);
    const timestamps = slotEnds(slots);
    const base: SeriesSet = {
      keys, tuples: [], stage: 'raw', slots, timestamps, stepMs: slots.step, aggTypes: def.aggregationTypes, defaultAgg: def.defaultAggregation,
      valueKind: def.valueKind, reduce: 'avg', empty: false, warnings: [],
    };
    const restrict = ctx.entities;
    const restrictKey = restrict ? keys.find((k) => typeOfDimensionKey(k) === restrict.type) : undefined;
    if (restrict && !restrictKey) {
      return cloneSet(base, { warnings: [`The entity selector selects ${restrict.type} entities, but the metric '${key}' has no dimension of that type.`] });
    }
    const entityKeys = keys.filter((k) => typeOfDimensionKey(k) !== null);
    if (ctx.zoneCriteria && !entityKeys.length) return base;
    const passes = (entities: (EntityRecord | undefined)[]): boolean => entities.every((e) => {
      if (!e) return !ctx.visible && !ctx.zoneCriteria;
      if (ctx.visible && !e.zoneIds.some((z) => ctx.visible!.has(z))) return false;
      return !ctx.zoneCriteria || ctx.zoneCriteria.every((c) => e.zoneIds.some((z) => c.has(z)));
    });
    const tuples: Tuple[] = [];
    if (def.builtin) {
      const b = def.builtin;
      const primary = restrict && restrict.type === b.primaryType ? [...restrict.ids].map((id) => ctx.world.byId.get(id)).filter((e): e is EntityRecord => !!e) : undefined;
      for (const t of builtinTuples(b, ctx.world, primary)) {
        if (restrictKey && !restrict!.ids.has(t.dims[restrictKey]!)) continue;
        if (!passes(t.entities)) continue;
        if (t.from > slots.start + shift + slots.step * slots.count) continue; // appears after the timeframe
        tuples.push({ dims: t.dims, raw: lazy(() => { this.read(slots.count); return generateRaw(b, t, slots, ctx.world, ctx.now, shift); }, true) });
      }
      // Without a filter or limit every tuple will be read: fail before generating any of them.
      if (readsAll && this.pointsRead + tuples.length * slots.count > MAX_DATA_POINTS) this.read(tuples.length * slots.count);
    } else {
      for (const t of loadCustomTuples(ctx.db, key, slots, shift)) {
        if (restrictKey && !restrict!.ids.has(t.dims[restrictKey] ?? '')) continue;
        const ents = entityKeys.filter((k) => t.dims[k] !== undefined).map((k) => ctx.world.byId.get(t.dims[k]!));
        // Without an entity a tuple belongs to no zone: only unrestricted callers without an mzSelector see it.
        if (!ents.length && (ctx.visible || ctx.zoneCriteria)) continue;
        if (!passes(ents)) continue;
        const raw = t.raw;
        tuples.push({ dims: t.dims, raw: lazy(() => raw, false) });
      }
    }
    tuples.sort(byDims(keys));
    return cloneSet(base, { tuples });
  }

  private read(points: number): void {
    this.pointsRead += points;
    if (this.pointsRead > MAX_DATA_POINTS) {
      throw badSelector(`The query reads more than ${MAX_DATA_POINTS.toLocaleString('en-US')} data points: choose a coarser resolution, a shorter timeframe or fewer entities`);
    }
  }

  private transform(input: SeriesSet, list: readonly Transformation[], metricId: string): SeriesSet {
    let set = input;
    for (const t of list) {
      if (set.empty) return set;
      set = this.step(set, t, metricId);
    }
    return set;
  }

  private step(set: SeriesSet, t: Transformation, metricId: string): SeriesSet {
    switch (t.name) {
      case 'auto': return ensureValues(set, metricId);
      case 'aggregation': return aggregate(set, t.aggregation, true, metricId);
      case 'splitBy': {
        const keys = [...new Set(t.dimensions)];
        return unknownKeys(set, keys) ?? regroup(set, keys);
      }
      case 'merge': return unknownKeys(set, t.dimensions) ?? regroup(set, set.keys.filter((k) => !t.dimensions.includes(k)));
      case 'filter': {
        const referenced = t.conditions.flatMap((c) => conditionDims(c, []));
        const bad = unknownKeys(set, referenced);
        if (bad) return bad;
        return cloneSet(set, { tuples: set.tuples.filter((tu) => t.conditions.every((c) => this.holds(set, tu, c))) });
      }
      case 'fold': return fold(set, t.aggregation);
      case 'last': return last(set, t.aggregation, metricId);
      case 'lastReal': return lastReal(set, t.aggregation, metricId);
      case 'limit': {
        if (set.stage === 'values') return cloneSet(set, { tuples: set.tuples.slice(0, t.count) });
        // Statistics are computed only until `count` tuples with data are found.
        const kept: Tuple[] = [];
        for (const tu of set.tuples) {
          if (kept.length >= t.count) break;
          if (tu.raw!().hasData()) kept.push(tu);
          else tu.raw!.release();
        }
        return cloneSet(set, { tuples: kept });
      }
      case 'sort': {
        const bad = unknownKeys(set, t.keys.flatMap((k) => (k.kind === 'dimension' ? [k.dimension] : [])));
        return bad ?? sortSet(set, t.keys);
      }
      case 'names': return this.names(set);
      case 'parents': return this.parents(set);
      case 'default': {
        const s = ensureValues(set, metricId);
        const tuples = s.tuples.map((tu) => ({ ...tu, values: tu.values!.map((v) => v ?? t.value) }));
        if (t.always && !tuples.length && !s.keys.length) tuples.push({ dims: {}, ts: s.timestamps, values: s.timestamps.map(() => t.value) });
        return cloneSet(s, { tuples });
      }
      case 'delta': {
        const s = ensureValues(set, metricId);
        return cloneSet(s, {
          tuples: s.tuples.map((tu) => ({
            ...tu,
            values: tu.values!.map((v, i) => {
              const prev = i === 0 ? null : tu.values![i - 1]!;
              return v === null || prev === null ? null : Math.max(0, v - prev);
            }),
          })),
        });
      }
      case 'rate': {
        const s = ensureValues(set, metricId);
        const factor = (t.per ? durationMs(t.per) : MINUTE) / s.stepMs;
        return cloneSet(s, { tuples: s.tuples.map((tu) => ({ ...tu, values: tu.values!.map((v) => (v === null ? null : v * factor)) })) });
      }
      case 'rollup': return rollup(set, t.aggregation, durationMs(t.window));
      case 'timeshift': return set; // applied when the data were fetched
    }
  }

  private holds(set: SeriesSet, t: Tuple, c: FilterCondition): boolean {
    switch (c.kind) {
      case 'eq': return t.dims[c.dimension] === c.value;
      case 'ne': return t.dims[c.dimension] !== c.value;
      case 'prefix': return t.dims[c.dimension]?.startsWith(c.value) ?? false;
      case 'suffix': return t.dims[c.dimension]?.endsWith(c.value) ?? false;
      case 'contains': return t.dims[c.dimension]?.includes(c.value) ?? false;
      case 'existsKey': return t.dims[c.dimension] !== undefined;
      case 'in': {
        const v = t.dims[c.dimension];
        return v !== undefined && this.entitySet(c.entitySelector).has(v);
      }
      case 'series': {
        const v = seriesAggregate(set, t, c.aggregation);
        if (v === null) return false;
        switch (c.operator) {
          case 'lt': return v < c.value;
          case 'le': return v <= c.value;
          case 'eq': return v === c.value;
          case 'ne': return v !== c.value;
          case 'gt': return v > c.value;
          case 'ge': return v >= c.value;
        }
        return false;
      }
      case 'and': return c.conditions.every((x) => this.holds(set, t, x));
      case 'or': return c.conditions.some((x) => this.holds(set, t, x));
      case 'not': return !this.holds(set, t, c.condition);
    }
  }

  private entitySet(sel: EntitySelector): Set<string> {
    let s = this.inSets.get(sel);
    if (!s) {
      s = new Set(evaluateEntitySelector(sel, { world: this.ctx.world, now: this.ctx.now, visibleZones: this.ctx.visible }).map((e) => e.entityId));
      this.inSets.set(sel, s);
    }
    return s;
  }

  private visibleEntity(id: string | undefined): EntityRecord | undefined {
    const e = id === undefined ? undefined : this.ctx.world.byId.get(id);
    if (!e) return undefined;
    return !this.ctx.visible || e.zoneIds.some((z) => this.ctx.visible!.has(z)) ? e : undefined;
  }

  /** The name of an entity dimension's value: a visible entity of the world, or a browser (global, zone-less). */
  private entityName(key: string, id: string | undefined): string | undefined {
    if (key === 'dt.entity.browser') return id === undefined ? undefined : BROWSER_BY_ID.get(id)?.name;
    return this.visibleEntity(id)?.displayName;
  }

  private names(set: SeriesSet): SeriesSet {
    const entityKeys = set.keys.filter((k) => (typeOfDimensionKey(k) !== null || k === 'dt.entity.browser') && !set.keys.includes(`${k}.name`));
    if (!entityKeys.length) return set;
    const keys = set.keys.flatMap((k) => (entityKeys.includes(k) ? [`${k}.name`, k] : [k]));
    const tuples = set.tuples.map((t) => {
      const dims: Dims = {};
      for (const k of keys) {
        if (k.endsWith('.name') && entityKeys.includes(k.slice(0, -5))) {
          const name = this.entityName(k.slice(0, -5), t.dims[k.slice(0, -5)]);
          if (name !== undefined) dims[k] = name;
        } else if (t.dims[k] !== undefined) dims[k] = t.dims[k]!;
      }
      return { ...t, dims };
    });
    return cloneSet(set, { keys, tuples });
  }

  private parents(set: SeriesSet): SeriesSet {
    const added = set.keys.filter((k) => PARENT_OF[k] && !set.keys.includes(PARENT_OF[k].key));
    if (!added.length) return set;
    const keys = [...set.keys, ...new Set(added.map((k) => PARENT_OF[k]!.key))];
    const tuples = set.tuples.map((t) => {
      const dims = { ...t.dims };
      for (const k of added) {
        const child = this.visibleEntity(t.dims[k]);
        const parent = this.visibleEntity(child?.fromRelationships[PARENT_OF[k]!.relation]?.[0]);
        if (parent) dims[PARENT_OF[k]!.key] = parent.entityId;
      }
      return { ...t, dims };
    });
    return cloneSet(set, { keys, tuples });
  }
}

/**
 * Output values are rounded to millionths (below 1e9): sums and means of rounded inputs otherwise
 * show binary noise (31.560000000000002) that only makes the answer longer.
 */
function tidy(v: number | null): number | null {
  return v === null || v >= 1e9 || v <= -1e9 ? v : Math.round(v * 1e6) / 1e6;
}

/**
 * `tidy(aggregateSlot(raw, i, agg, valueKind))` for every slot, NaN for null, packed: the plain aggregations
 * (the same expressions as `aggregateSlot`) in loops of their own, the others through `aggregateSlot`.
 */
function packSlots(raw: Raw, agg: Aggregation, valueKind: ValueKind): Float64Array {
  const n = raw.length;
  const out = new Float64Array(n);
  const { count, sum, min, max } = raw;
  const kind = agg.kind === 'value' ? (valueKind === 'sum' ? 'sum' : 'avg') : agg.kind;
  switch (kind) {
    case 'avg': for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? NaN : tidy(sum[i]! / count[i]!)!; break;
    case 'sum': for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? NaN : tidy(sum[i]!)!; break;
    case 'min': for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? NaN : tidy(min[i]!)!; break;
    case 'max': for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? NaN : tidy(max[i]!)!; break;
    default: for (let i = 0; i < n; i++) out[i] = tidy(aggregateSlot(raw, i, agg, valueKind)) ?? NaN;
  }
  return out;
}

/** Slot statistics computed on first use; `release` once a stage change has consumed them. */
interface Lazy {
  (): Raw;
  release(): void;
}

/** `owned`: the statistics were generated for this tuple alone and may go back to the pool. */
function lazy(f: () => Raw, owned: boolean): Lazy {
  let v: Raw | undefined;
  const get = (() => (v ??= f())) as Lazy;
  get.release = () => {
    if (v && owned) releaseRaw(v);
    v = undefined;
  };
  return get;
}

function timeshiftOf(list: readonly Transformation[]): number {
  return list.reduce((s, t) => s + (t.name === 'timeshift' ? durationMs(t.shift) : 0), 0);
}

/** The aggregation a fold/last uses on statistics: the one given if the metric supports it, else the default. */
function supported(set: SeriesSet, agg: Aggregation | undefined): Aggregation {
  return agg && set.aggTypes.includes(aggName(agg)) ? agg : set.defaultAgg;
}

function lastTimestamp(set: SeriesSet): number {
  return set.timestamps[set.timestamps.length - 1] ?? set.slots.start + set.slots.step;
}

function fold(set: SeriesSet, agg: Aggregation | undefined): SeriesSet {
  const at = [lastTimestamp(set)];
  const stepMs = set.slots.step * set.slots.count;
  if (set.stage === 'raw') {
    const a = supported(set, agg);
    const tuples: Tuple[] = [];
    for (const t of set.tuples) {
      const raw = t.raw!();
      const value = raw.hasData() ? aggregateSlot(raw.combine(), 0, a, set.valueKind) : undefined;
      t.raw!.release();
      if (value !== undefined) tuples.push({ dims: t.dims, ts: at, values: [value] });
    }
    return cloneSet(set, { tuples, stage: 'values', reduce: reduceOf(a, set.valueKind), stepMs });
  }
  const how = agg ? (agg.kind === 'value' ? set.reduce : agg) : set.reduce;
  return cloneSet(set, { tuples: set.tuples.map((t) => ({ dims: t.dims, ts: at, values: [reduceValues(t.values!, how)] })), stepMs });
}

function last(set: SeriesSet, agg: Aggregation | undefined, metricId: string): SeriesSet {
  const s = set.stage === 'raw' ? aggregate(set, supported(set, agg), false, metricId) : set;
  let latest = -Infinity;
  for (const t of s.tuples) t.values!.forEach((v, i) => { if (v !== null && t.ts![i]! > latest) latest = t.ts![i]!; });
  return cloneSet(s, {
    tuples: s.tuples.map((t) => {
      if (latest === -Infinity) return { dims: t.dims, ts: [], values: [] };
      const i = t.ts!.indexOf(latest);
      return { dims: t.dims, ts: [latest], values: [i < 0 ? null : t.values![i]!] };
    }),
  });
}

function lastReal(set: SeriesSet, agg: Aggregation | undefined, metricId: string): SeriesSet {
  const s = set.stage === 'raw' ? aggregate(set, supported(set, agg), false, metricId) : set;
  return cloneSet(s, {
    tuples: s.tuples.map((t) => {
      for (let i = t.values!.length - 1; i >= 0; i--) if (t.values![i] !== null) return { dims: t.dims, ts: [t.ts![i]!], values: [t.values![i]!] };
      return { dims: t.dims, ts: [], values: [] };
    }),
  });
}

function rollup(set: SeriesSet, agg: Aggregation, windowMs: number): SeriesSet {
  if (windowMs > HOUR) throw badSelector('The rollup window must be at most 60 minutes');
  if (windowMs % set.stepMs !== 0 || set.slots.inf) throw badSelector(`The rollup window must be a multiple of the resolution (${set.stepMs / MINUTE} min)`);
  const n = windowMs / set.stepMs;
  if (set.stage === 'raw') {
    const tuples: Tuple[] = [];
    for (const t of set.tuples) {
      const raw = t.raw!();
      let values: (number | null)[] | null = null;
      if (raw.hasData()) {
        values = new Array<number | null>(raw.length);
        for (let i = 0; i < raw.length; i++) values[i] = aggregateSlot(raw.combine(i - n + 1, i), 0, agg, set.valueKind);
      }
      t.raw!.release();
      if (values) tuples.push({ dims: t.dims, ts: set.timestamps, values });
    }
    return cloneSet(set, { tuples, stage: 'values', reduce: reduceOf(agg, set.valueKind) });
  }
  const how = agg.kind === 'value' ? set.reduce : agg;
  return cloneSet(set, {
    tuples: set.tuples.map((t) => ({ ...t, values: t.values!.map((_, i) => reduceValues(t.values!.slice(Math.max(0, i - n + 1), i + 1), how)) })),
    reduce: reduceOf(agg, set.valueKind),
  });
}

function sortSet(set: SeriesSet, keys: readonly SortKey[]): SeriesSet {
  const rows = set.tuples.map((t, i) => ({ t, i, k: keys.map((k) => (k.kind === 'value' ? seriesAggregate(set, t, k.aggregation) : t.dims[k.dimension])) }));
  rows.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!;
      const x = a.k[j];
      const y = b.k[j];
      if (x === y) continue;
      // Missing values sort last in either direction.
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const dir = key.direction === 'descending' ? -1 : 1;
      const c = typeof x === 'number' ? x - (y as number) : key.kind === 'dimension' && key.order === 'natural' ? naturalCompare(x, y as string) : x < (y as string) ? -1 : 1;
      if (c) return c * dir;
    }
    return a.i - b.i;
  });
  return cloneSet(set, { tuples: rows.map((r) => r.t) });
}

function binary(l: SeriesSet, r: SeriesSet, op: '+' | '-' | '*' | '/'): SeriesSet {
  const apply = (a: number | null, b: number | null): number | null => {
    if (a === null || b === null) return null;
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return b === 0 ? null : a / b;
    }
  };
  const warnings = [...l.warnings, ...r.warnings];
  const dimensioned = l.keys.length || !r.keys.length ? l : r;
  const base = cloneSet(dimensioned, { warnings, reduce: l.reduce === r.reduce ? l.reduce : 'avg', aggTypes: ['auto', 'value'], defaultAgg: { kind: 'value' } });
  if (l.empty || r.empty) return cloneSet(base, { empty: true, tuples: [] });
  const combine = (a: Tuple, b: Tuple, dims: Dims): Tuple => {
    const ts = a.ts!;
    if (a.ts === b.ts || (a.ts!.length === b.ts!.length && a.ts!.every((x, i) => x === b.ts![i]))) {
      return { dims, ts, values: a.values!.map((v, i) => apply(v, b.values![i]!)) };
    }
    const other = new Map(b.ts!.map((x, i) => [x, b.values![i]!]));
    return { dims, ts, values: a.values!.map((v, i) => apply(v, other.get(ts[i]!) ?? null)) };
  };
  const tuples: Tuple[] = [];
  if (!l.keys.length && l.tuples.length <= 1) {
    const a = l.tuples[0];
    if (a) for (const b of r.tuples) tuples.push(combine({ ...a, ts: b.ts, values: alignTo(a, b.ts!) }, b, b.dims));
  } else if (!r.keys.length && r.tuples.length <= 1) {
    const b = r.tuples[0];
    if (b) for (const a of l.tuples) tuples.push(combine(a, { ...b, ts: a.ts, values: alignTo(b, a.ts!) }, a.dims));
  } else {
    const right = new Map(r.tuples.map((t) => [JSON.stringify(Object.entries(t.dims).sort()), t]));
    for (const a of l.tuples) {
      const b = right.get(JSON.stringify(Object.entries(a.dims).sort()));
      if (b) tuples.push(combine(a, b, a.dims));
    }
  }
  return cloneSet(base, { tuples });
}

/** A dimensionless operand's values at another operand's timestamps (a number is the same everywhere). */
function alignTo(t: Tuple, ts: number[]): (number | null)[] {
  if (t.constant !== undefined) return ts.map(() => t.constant!);
  if (t.ts === ts) return t.values!;
  const m = new Map(t.ts!.map((x, i) => [x, t.values![i]!]));
  return ts.map((x) => m.get(x) ?? null);
}
