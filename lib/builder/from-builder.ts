/**
 * Builder model → metric selector text, through the shared AST and formatter
 * (lib/selectors/format-metric.ts), so the code view always shows the formatter's normal form.
 */
import type { Aggregation, EntityCriterion, FilterCondition, MetricKeyExpression, Transformation } from '../selectors';
import { formatMetricSelector, parseEntitySelector } from '../selectors';
import { normalizeEntityType } from '../selectors/entity-types';
import { quote } from '../selectors/scan';
import type { BuilderAggregation, BuilderFilter, BuilderQuery } from './builder-query';

/** The aggregation `:sort(value(…))` uses for a query's top N (see {@link BuilderQuery.topN}). */
export function sortAggregationFor(aggregation: BuilderAggregation | undefined): Aggregation {
  if (aggregation === undefined || aggregation.kind === 'auto') return { kind: 'avg' };
  return aggregation;
}

/**
 * The tag of a tag filter as the entity selector parser reads it, or `undefined` when the text is
 * not a tag (`""`, `"[x"`). Parsed through `tag("…")` so the rules stay in lib/selectors/parse-entity.ts.
 */
export function parseBuilderTag(text: string): EntityCriterion | undefined {
  const parsed = parseEntitySelector(`tag(${quote(text)})`);
  return parsed.ok ? parsed.value.criteria[0] : undefined;
}

function criterionOf(filter: BuilderFilter): EntityCriterion | undefined {
  if (filter.value === '') return undefined;
  switch (filter.kind) {
    case 'entityName':
      return { kind: 'entityName', operator: 'contains', values: [filter.value], caseSensitive: false };
    case 'tag':
      return parseBuilderTag(filter.value);
    case 'managementZone':
      return { kind: 'mzName', names: [filter.value] };
  }
}

/** The `in(…)` condition of a filter, or `undefined` while the filter is incomplete. */
function conditionOf(filter: BuilderFilter): FilterCondition | undefined {
  const criterion = criterionOf(filter);
  if (criterion === undefined || filter.dimension === '' || filter.entityType === '') return undefined;
  return {
    kind: 'in',
    dimension: filter.dimension,
    entitySelector: {
      criteria: [{ kind: 'type', value: filter.entityType, entityType: normalizeEntityType(filter.entityType) }, criterion],
    },
  };
}

/** The aggregation, unless it is a percentile the parser would refuse (outside 0 to 100, or not a number). */
function writable(aggregation: BuilderAggregation | undefined): BuilderAggregation | undefined {
  if (aggregation?.kind !== 'percentile') return aggregation;
  return aggregation.percentile >= 0 && aggregation.percentile <= 100 ? aggregation : undefined;
}

/** The transformations of a builder query, in the builder's fixed order. */
export function transformationsOf(query: BuilderQuery): Transformation[] {
  const steps: Transformation[] = [];
  const condition = query.filter === undefined ? undefined : conditionOf(query.filter);
  if (condition !== undefined) steps.push({ name: 'filter', conditions: [condition] });
  if (query.splitBy.length > 0) steps.push({ name: 'splitBy', dimensions: [...query.splitBy] });
  const aggregation = writable(query.aggregation);
  if (aggregation !== undefined) {
    steps.push(aggregation.kind === 'auto' ? { name: 'auto' } : { name: 'aggregation', aggregation });
  }
  if (query.topN !== undefined && Number.isSafeInteger(query.topN) && query.topN >= 1) {
    steps.push(
      { name: 'sort', keys: [{ kind: 'value', aggregation: sortAggregationFor(aggregation), direction: 'descending' }] },
      { name: 'limit', count: query.topN },
    );
  }
  return steps;
}

/**
 * Writes a builder query as a metric selector with the shared formatter.
 *
 * An empty `metricKey` gives `''` (nothing chosen yet). Steps the parser would refuse are left out
 * rather than written half: a filter with an empty value or a tag that does not parse, a percentile
 * outside 0 to 100, a top N that is not a whole number of at least 1. The form shows those through
 * `validateBuilder` next to their field, and the selector in the code view always parses.
 *
 * @example fromBuilder({ metricKey: 'builtin:host.cpu.usage', splitBy: ['dt.entity.host'], aggregation: { kind: 'avg' } })
 *   // 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg'
 */
export function fromBuilder(query: BuilderQuery): string {
  if (query.metricKey === '') return '';
  const expression: MetricKeyExpression = { kind: 'metric', keys: [query.metricKey], transformations: transformationsOf(query) };
  return formatMetricSelector({ expressions: [expression] });
}
