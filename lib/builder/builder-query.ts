/**
 * The query builder's model: the part of the metric selector language (docs/dynatrace-api-notes.md §6) that a form
 * can show without loss. One metric key, then at most one of each step, always in this order:
 *
 * ```
 * <key>:filter(in("<dim>",entitySelector("type(<TYPE>),<criterion>"))):splitBy("d1",…):<aggregation>:sort(value(<agg>,descending)):limit(<N>)
 * ```
 *
 * `toBuilder` reads a selector into this model only when `fromBuilder` writes it back character for
 * character; everything else stays in the code view (docs/query-builder.md).
 */
import type { Aggregation } from '../selectors';

/** `:auto`, `:avg`, …, `:percentile(90)`: the time aggregation step. */
export type BuilderAggregation = { readonly kind: 'auto' } | Aggregation;

/** What the filter compares; each is one criterion of the embedded entity selector. */
export type BuilderFilterKind = 'entityName' | 'tag' | 'managementZone';

/** All {@link BuilderFilterKind} values, in the order the form offers them. */
export const BUILDER_FILTER_KINDS = ['entityName', 'tag', 'managementZone'] as const satisfies readonly BuilderFilterKind[];

/**
 * `:filter(in("dt.entity.host",entitySelector("type(~"HOST~"),entityName(~"web~")")))`: keep the
 * series whose entity dimension is an entity of `entityType` matching one criterion:
 * `entityName("…")` (name contains, case-insensitive), `tag("…")` or `mzName("…")`.
 */
export interface BuilderFilter {
  readonly kind: BuilderFilterKind;
  /** The entity dimension the filter applies to, e.g. `dt.entity.host`. */
  readonly dimension: string;
  /** The `type(…)` value as written, e.g. `HOST` (or `dt.entity.host`, which means the same type). */
  readonly entityType: string;
  /** The name part, the tag as written in `tag("…")` (`[context]key:value`), or the zone's name. */
  readonly value: string;
}

/** One metric query as the builder's form shows it. Absent optional fields mean "no such step". */
export interface BuilderQuery {
  /** The metric key without quotes or escapes; `''` while nothing is chosen (the selector is then empty). */
  readonly metricKey: string;
  readonly aggregation?: BuilderAggregation;
  /** `:splitBy("d1","d2")`; empty means no split step (every dimension kept), not `:splitBy()`. */
  readonly splitBy: readonly string[];
  readonly filter?: BuilderFilter;
  /**
   * Top N: `:sort(value(<agg>,descending)):limit(N)`. The sort aggregates with the query's
   * aggregation, or `avg` when there is none or it is `auto` (sort keys take no `auto`, §6.2).
   */
  readonly topN?: number;
}

/**
 * The parts of a metric descriptor (`GET /api/v2/metrics/{key}`, docs/dynatrace-api-notes.md §5.3) the builder uses.
 * Declared here so presentational components need not import the API client's types.
 */
export interface BuilderDescriptor {
  readonly metricId?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly unit?: string;
  readonly aggregationTypes?: readonly string[];
  readonly dimensionDefinitions?: readonly BuilderDimension[];
}

/** One `dimensionDefinitions[]` entry. */
export interface BuilderDimension {
  readonly key: string;
  readonly displayName?: string;
  readonly name?: string;
  readonly type?: string;
}

/** One search result of `GET /api/v2/metrics?text=`, as the "Metric" combobox shows it. */
export interface MetricOption {
  readonly metricKey: string;
  readonly displayName?: string;
  readonly unit?: string;
  readonly description?: string;
}
