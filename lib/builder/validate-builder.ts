/**
 * Field-level checks of a builder query against its metric's descriptor, and the documented limit
 * of ten metrics per query across several queries drawn together (docs/dynatrace-api-notes.md §5.4, §6.1).
 */
import type { Aggregation } from '../selectors';
import { checkMetricQueryLimits, countSelectedMetrics, parseMetricSelector, QUERY_LIMITS } from '../selectors';
import { formatCount } from '../selectors/query-limits';
import type { BuilderDescriptor, BuilderQuery } from './builder-query';
import { fromBuilder, parseBuilderTag } from './from-builder';

/**
 * The builder's fields that can carry an error; `selector` is the written selector as a whole.
 * `metric` is the container's (the descriptor could not be loaded); {@link validateBuilder} never sets it.
 */
export type BuilderField = 'metric' | 'aggregation' | 'splitBy' | 'filter' | 'topN' | 'selector';

/** At most one sentence per field, shown next to it. */
export type BuilderErrors = Partial<Record<BuilderField, string>>;

export const BUILDER_LIMITS = {
  /**
   * Largest top N the form accepts. `:limit` itself has no documented maximum; 1,000 is the series
   * limit of a query's response in the API's own description (the metric query operation of
   * reference/dynatrace-environment-api-v2.spec-1.254.json), so a larger N cannot show more series.
   */
  maxTopN: 1_000,
} as const;

function aggregationText(aggregation: Aggregation | { kind: 'auto' }): string {
  return aggregation.kind === 'percentile' ? `percentile(${aggregation.percentile})` : aggregation.kind;
}

function listed(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

/**
 * Checks a builder query field by field. With a descriptor (`null` while it loads, and then only
 * the descriptor-free checks run): the aggregation must be one of its `aggregationTypes`
 * (`percentile(N)` needs `percentile`), split and filter dimensions must be among its
 * `dimensionDefinitions`, and a filter needs an `ENTITY` dimension. Always: a percentile from 0 to
 * 100, a filter value that can be written, top N a whole number from 1 to
 * {@link BUILDER_LIMITS.maxTopN}, and the written selector within
 * {@link QUERY_LIMITS.maxMetricSelectorLength} characters and accepted by the parser.
 *
 * @returns an empty object when every field is fine
 */
export function validateBuilder(query: BuilderQuery, descriptor: BuilderDescriptor | null): BuilderErrors {
  const errors: { -readonly [K in BuilderField]?: string } = {};
  const metric = query.metricKey || 'this metric';
  const dimensions = descriptor?.dimensionDefinitions;
  const dimensionKeys = dimensions?.map((d) => d.key);

  const aggregation = query.aggregation;
  if (aggregation !== undefined) {
    const offered = descriptor?.aggregationTypes;
    if (aggregation.kind === 'percentile' && !(aggregation.percentile >= 0 && aggregation.percentile <= 100)) {
      errors.aggregation = 'A percentile is a number from 0 to 100.';
    } else if (offered !== undefined && !offered.includes(aggregation.kind)) {
      errors.aggregation = `${metric} has no aggregation "${aggregationText(aggregation)}"; it offers ${listed(offered)}.`;
    }
  }

  const seen = new Set<string>();
  for (const dimension of query.splitBy) {
    if (seen.has(dimension)) {
      errors.splitBy = `"${dimension}" is chosen twice.`;
      break;
    }
    seen.add(dimension);
    if (dimensionKeys !== undefined && !dimensionKeys.includes(dimension)) {
      errors.splitBy = `${metric} has no dimension "${dimension}"; its dimensions are ${listed(dimensionKeys)}.`;
      break;
    }
  }

  const filter = query.filter;
  if (filter !== undefined) {
    const definition = dimensions?.find((d) => d.key === filter.dimension);
    if (filter.value === '') {
      errors.filter = 'Enter a value to filter by.';
    } else if (filter.kind === 'tag' && parseBuilderTag(filter.value) === undefined) {
      errors.filter = `"${filter.value}" is not a tag; write key, key:value or [context]key:value.`;
    } else if (filter.dimension === '' || filter.entityType === '' || (dimensions !== undefined && definition === undefined)) {
      errors.filter = dimensions !== undefined && !dimensions.some((d) => d.type === 'ENTITY')
        ? `${metric} has no entity dimension to filter by.`
        : `${metric} has no dimension "${filter.dimension}" to filter by.`;
    } else if (definition !== undefined && definition.type !== undefined && definition.type !== 'ENTITY') {
      errors.filter = `"${filter.dimension}" is not an entity dimension, so it cannot be filtered by entity name, tag or zone.`;
    }
  }

  const topN = query.topN;
  if (topN !== undefined && !(Number.isInteger(topN) && topN >= 1 && topN <= BUILDER_LIMITS.maxTopN)) {
    errors.topN = `Top N is a whole number from 1 to ${formatCount(BUILDER_LIMITS.maxTopN)}; leave it empty for no limit.`;
  }

  const selector = fromBuilder(query);
  if (selector !== '' && errors.topN === undefined && errors.aggregation === undefined) {
    const limits = checkMetricQueryLimits({ metricSelector: selector });
    if (!limits.ok) {
      errors.selector = selector.length > QUERY_LIMITS.maxMetricSelectorLength
        ? `The selector would be ${formatCount(selector.length)} characters long; at most ${formatCount(QUERY_LIMITS.maxMetricSelectorLength)} are allowed.`
        : `The selector would not be valid: ${limits.error.message}.`;
    }
  }
  return errors;
}

/** How many metrics several queries select together, against the limit of one query. */
export type MetricCountResult =
  | { readonly ok: true; readonly metrics: number }
  | { readonly ok: false; readonly metrics: number; readonly message: string };

/**
 * Counts the metrics of several selectors run together as one query (comma-joined), with the rule of
 * lib/selectors/limits.ts: each key of a sibling group counts, an arithmetic expression counts once.
 * Blank selectors count nothing; a selector that does not parse counts one, the least it can add,
 * because its own editor reports the syntax error.
 */
export function checkMetricCount(selectors: readonly string[]): MetricCountResult {
  let metrics = 0;
  for (const selector of selectors) {
    if (selector.trim() === '') continue;
    const parsed = parseMetricSelector(selector);
    metrics += parsed.ok ? countSelectedMetrics(parsed.value) : 1;
  }
  const max = QUERY_LIMITS.maxMetricExpressions;
  if (metrics <= max) return { ok: true, metrics };
  return {
    ok: false,
    metrics,
    message: `These queries select ${metrics} metrics; one query can select at most ${max} (sibling groups count each metric).`,
  };
}
