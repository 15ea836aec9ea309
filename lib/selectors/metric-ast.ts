/**
 * The metric selector as data (API notes §6):
 * `builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)`.
 *
 * Shaped for direct evaluation: expressions are a tree keyed by `kind`, transformations a list
 * keyed by `name` and applied left to right. No source offsets, so ASTs compare with deep equality.
 */
import type { EntitySelector } from './entity-ast';

/** Comma-separated metric expressions; the parser never produces an empty list. */
export interface MetricSelector {
  readonly expressions: readonly MetricExpression[];
}

/** One comma-separated part of a metric selector; switch on `kind`. */
export type MetricExpression =
  | MetricKeyExpression
  | NumberExpression
  | NegateExpression
  | BinaryExpression
  | TransformedExpression;

/**
 * A metric key with its transformations: `builtin:host.cpu.usage:avg`. A sibling group
 * `builtin:host.cpu.(usage,idle)` stands for several metrics; `keys` lists them expanded (in the
 * written order) so an evaluator need not know the group syntax, and `siblingGroup` keeps the
 * written form for formatting. The transformations apply to each key separately.
 */
export interface MetricKeyExpression {
  readonly kind: 'metric';
  /** Full metric keys, without quotes or escapes; one element unless written as a sibling group. */
  readonly keys: readonly string[];
  /** Present only for `prefix.(a,b)`: `keys` is `siblings.map((s) => prefix + s)`; `prefix` ends with `.`. */
  readonly siblingGroup?: { readonly prefix: string; readonly siblings: readonly string[] };
  readonly transformations: readonly Transformation[];
}

/** A number in an arithmetic expression (`* 100`). Always finite and not negative: `-5` is a negation. */
export interface NumberExpression {
  readonly kind: 'number';
  readonly value: number;
}

/** Unary minus: `-builtin:host.cpu.idle`. */
export interface NegateExpression {
  readonly kind: 'negate';
  readonly operand: MetricExpression;
}

/** Operators of arithmetic metric expressions. */
export type ArithmeticOperator = '+' | '-' | '*' | '/';

/** `left op right`; `*` and `/` bind tighter than `+` and `-`, all associate to the left. */
export interface BinaryExpression {
  readonly kind: 'binary';
  readonly operator: ArithmeticOperator;
  readonly left: MetricExpression;
  readonly right: MetricExpression;
}

/**
 * Transformations applied to a parenthesised expression: `(a + b):splitBy():avg`.
 * `transformations` is never empty (plain parentheses leave no node).
 */
export interface TransformedExpression {
  readonly kind: 'transformed';
  readonly operand: MetricExpression;
  readonly transformations: readonly Transformation[];
}

/** Aggregations usable as a transformation and as an argument (`fold(max)`, `series(avg,…)`). */
export type AggregationName = 'avg' | 'count' | 'max' | 'median' | 'min' | 'sum' | 'value';

/** All {@link AggregationName} values. */
export const AGGREGATION_NAMES = ['avg', 'count', 'max', 'median', 'min', 'sum', 'value'] as const satisfies readonly AggregationName[];

/** `avg`, … or `percentile(99.9)` (0 to 100 inclusive). */
export type Aggregation =
  | { readonly kind: AggregationName }
  | { readonly kind: 'percentile'; readonly percentile: number };

/** Time units of durations (`5m`, `-1d`). `M` is a month, `m` a minute. */
export type TimeUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'M' | 'y';

/** `5m`, `-1d`: a whole amount of a unit (negative only in `timeshift`). */
export interface Duration {
  readonly amount: number;
  readonly unit: TimeUnit;
}

/** One `:name(…)` step; switch on `name`. */
export type Transformation =
  /** `:auto`: the metric's default aggregation. */
  | { readonly name: 'auto' }
  /** `:avg`, `:min`, …, `:percentile(95)`: time aggregation per slot. */
  | { readonly name: 'aggregation'; readonly aggregation: Aggregation }
  /** `:splitBy("d1","d2")`; `:splitBy()` (no dimensions) merges everything into one series. */
  | { readonly name: 'splitBy'; readonly dimensions: readonly string[] }
  /** `:merge("d1",…)`: drop the listed dimensions (at least one). */
  | { readonly name: 'merge'; readonly dimensions: readonly string[] }
  /** `:filter(c1,c2)`: keep series for which all conditions hold (at least one). */
  | { readonly name: 'filter'; readonly conditions: readonly FilterCondition[] }
  /** `:fold` / `:fold(max)`: one point per series. */
  | { readonly name: 'fold'; readonly aggregation?: Aggregation }
  /** `:last` / `:last(avg)`: the most recent point of the whole result. */
  | { readonly name: 'last'; readonly aggregation?: Aggregation }
  /** `:lastReal` / `:lastReal(avg)`: the most recent non-null point of each series. */
  | { readonly name: 'lastReal'; readonly aggregation?: Aggregation }
  /** `:limit(10)`: the first `count` series (a positive whole number). */
  | { readonly name: 'limit'; readonly count: number }
  /** `:sort(value(avg,descending),dimension("d",ascending))`: keys in priority order (at least one). */
  | { readonly name: 'sort'; readonly keys: readonly SortKey[] }
  /** `:names`: add `<dimension>.name` for entity dimensions. */
  | { readonly name: 'names' }
  /** `:parents`: add the parent entity dimension. */
  | { readonly name: 'parents' }
  /** `:default(0)` / `:default(0,always)`: replace nulls (and with `always` fill an empty result). */
  | { readonly name: 'default'; readonly value: number; readonly always: boolean }
  /** `:delta`: difference to the previous point. */
  | { readonly name: 'delta' }
  /** `:rate` / `:rate(5m)`: per-unit rate; without `per` the rate is per minute. */
  | { readonly name: 'rate'; readonly per?: Duration }
  /** `:rollup(avg,15m)`: rolling window of at most 60 minutes (units s, m, h). */
  | { readonly name: 'rollup'; readonly aggregation: Aggregation; readonly window: Duration }
  /** `:timeshift(-1d)`: shift the timeframe (units s, m, h, d, w; amount may be negative). */
  | { readonly name: 'timeshift'; readonly shift: Duration };

/** The `name` of every {@link Transformation}. */
export type TransformationName = Transformation['name'];

/** Operators of `series(<agg>, <op>(<n>))`. */
export type SeriesOperator = 'lt' | 'le' | 'eq' | 'ne' | 'gt' | 'ge';

/** All {@link SeriesOperator} values. */
export const SERIES_OPERATORS = ['lt', 'le', 'eq', 'ne', 'gt', 'ge'] as const satisfies readonly SeriesOperator[];

/** Dimension value comparisons of `:filter`. */
export type DimensionOperator = 'eq' | 'ne' | 'prefix' | 'suffix' | 'contains';

/** All {@link DimensionOperator} values. */
export const DIMENSION_OPERATORS = ['eq', 'ne', 'prefix', 'suffix', 'contains'] as const satisfies readonly DimensionOperator[];

/** One condition of `:filter(…)`; switch on `kind`. */
export type FilterCondition =
  /** `eq("dt.entity.host","HOST-1")`, `prefix(url,"app.")`, …: compares the dimension's value. */
  | { readonly kind: DimensionOperator; readonly dimension: string; readonly value: string }
  /** `in("dt.entity.host",entitySelector("type(HOST),tag(x)"))`: the dimension is an entity matching the selector. */
  | { readonly kind: 'in'; readonly dimension: string; readonly entitySelector: EntitySelector }
  /** `existsKey("d")`: the series has the dimension. */
  | { readonly kind: 'existsKey'; readonly dimension: string }
  /** `series(avg,gt(5))`: the series' aggregate compares true. */
  | { readonly kind: 'series'; readonly aggregation: Aggregation; readonly operator: SeriesOperator; readonly value: number }
  /** `and(c1,c2)` / `or(c1,c2)` (at least one condition). */
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly FilterCondition[] }
  /** `not(c)`. */
  | { readonly kind: 'not'; readonly condition: FilterCondition };

/** Direction of a sort key. */
export type SortDirection = 'ascending' | 'descending';

/** One key of `:sort(…)`. */
export type SortKey =
  /** `value(avg,descending)`: order series by an aggregate of their values. */
  | { readonly kind: 'value'; readonly aggregation: Aggregation; readonly direction: SortDirection }
  /** `dimension("d",ascending[,lexical|natural])`: order series by a dimension's value. */
  | {
      readonly kind: 'dimension';
      readonly dimension: string;
      readonly direction: SortDirection;
      readonly order?: 'lexical' | 'natural';
    };
