/**
 * The metric query builder's model and its two-way mapping to the metric selector text
 * (docs/query-builder.md). Pure functions over lib/selectors; the dashboard's form and code view
 * share them so each edit in one view shows in the other.
 */
export type {
  BuilderAggregation, BuilderDescriptor, BuilderDimension, BuilderFilter, BuilderFilterKind, BuilderQuery, MetricOption,
} from './builder-query';
export { BUILDER_FILTER_KINDS } from './builder-query';
export { fromBuilder, sortAggregationFor } from './from-builder';
export { toBuilder } from './to-builder';
export type { ToBuilderResult } from './to-builder';
export { BUILDER_LIMITS, checkMetricCount, validateBuilder } from './validate-builder';
export type { BuilderErrors, BuilderField, MetricCountResult } from './validate-builder';
