/**
 * Dynatrace's two query languages, parsed and formatted: the entity selector (API notes §7.4)
 * and the metric selector (§6), plus the documented size limits of a metric query.
 * Parsers never throw; they return a {@link ParseResult}.
 */
export type { ParseResult, SelectorError } from './result';
export type * from './entity-ast';
export type * from './metric-ast';
export { parseEntitySelector } from './parse-entity';
export { formatEntitySelector } from './format-entity';
export { parseMetricSelector } from './parse-metric';
export { formatMetricSelector, formatTransformation } from './format-metric';
export { checkEntitySelectorLimits, checkMetricQueryLimits, countSelectedMetrics, metricsOfExpression, QUERY_LIMITS } from './limits';
export type { LimitCheckResult, LimitedParameter, LimitViolation, MetricQueryLimitInput } from './limits';
