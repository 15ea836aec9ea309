/**
 * The documented size limits of metric and entity queries (API notes §5.4, §7.4), checked on the
 * raw query parameters so the sandbox can answer 400 like Dynatrace does.
 */
import type { EntityCriterion, EntitySelector } from './entity-ast';
import { entityTypeOfId } from './entity-types';
import type { MetricExpression, MetricSelector } from './metric-ast';
import { parseEntitySelectorWith } from './parse-entity';
import { parseMetricSelectorWith } from './parse-metric';
import type { SelectorError } from './result';

import { formatCount, QUERY_LIMITS } from './query-limits';

/** The numbers, for messages and for callers that want to show them. */
export { QUERY_LIMITS };

/** Which query parameter a limit violation is about. */
export type LimitedParameter = 'metricSelector' | 'entitySelector';

/** A {@link SelectorError} that also names its parameter; `offset` is into that parameter's value. */
export interface LimitViolation extends SelectorError {
  readonly parameter: LimitedParameter;
}

/** `{ ok: true }` or the first violation. */
export type LimitCheckResult = { readonly ok: true } | { readonly ok: false; readonly error: LimitViolation };

/** The selector parameters of `GET /api/v2/metrics/query`; absent (`undefined`/`null`) ones are skipped. */
export interface MetricQueryLimitInput {
  readonly metricSelector?: string | null;
  readonly entitySelector?: string | null;
}

const OK: LimitCheckResult = { ok: true };

function violation(parameter: LimitedParameter, message: string, offset: number): LimitCheckResult {
  return { ok: false, error: { parameter, message, offset } };
}

/**
 * Checks a metric query's selectors against the documented limits: at most 10 metrics, a metric
 * selector of at most 5,000 characters, an entity selector of at most 2,000 characters that names
 * exactly one entity type. Selectors that do not parse are reported with the parser's error, so
 * `ok: true` means both parse and fit. Lengths are checked before parsing, which keeps huge
 * parameters cheap to reject.
 */
export function checkMetricQueryLimits(input: MetricQueryLimitInput): LimitCheckResult {
  const { metricSelector, entitySelector } = input;
  if (metricSelector !== undefined && metricSelector !== null) {
    const result = checkMetricSelector(metricSelector);
    if (!result.ok) return result;
  }
  if (entitySelector !== undefined && entitySelector !== null) return checkEntitySelectorLimits(entitySelector);
  return OK;
}

/**
 * How many metrics one expression counts towards {@link QUERY_LIMITS.maxMetricExpressions}: each key
 * of a sibling group `a.(b,c)` counts, an arithmetic expression counts once (API notes §6.1).
 */
export function metricsOfExpression(expression: MetricExpression): number {
  return expression.kind === 'metric' ? expression.keys.length : 1;
}

/** How many metrics a parsed selector counts towards {@link QUERY_LIMITS.maxMetricExpressions}. */
export function countSelectedMetrics(selector: MetricSelector): number {
  return selector.expressions.reduce((sum, expression) => sum + metricsOfExpression(expression), 0);
}

function checkMetricSelector(selector: string): LimitCheckResult {
  const max = QUERY_LIMITS.maxMetricSelectorLength;
  if (selector.length > max) {
    return violation('metricSelector', `the metric selector is ${formatCount(selector.length)} characters long; at most ${formatCount(max)} are allowed`, max);
  }
  const offsets = new Map<MetricExpression, number>();
  const parsed = parseMetricSelectorWith(selector, { offsets });
  if (!parsed.ok) return violation('metricSelector', parsed.error.message, parsed.error.offset);
  let metrics = 0;
  for (const expression of parsed.value.expressions) {
    metrics += metricsOfExpression(expression);
    if (metrics > QUERY_LIMITS.maxMetricExpressions) {
      return violation(
        'metricSelector',
        `a query can select at most ${QUERY_LIMITS.maxMetricExpressions} metrics; this selector has more (sibling groups count each metric)`,
        offsets.get(expression) ?? 0,
      );
    }
  }
  return OK;
}

/**
 * Checks an entity selector as the entities API and metric queries require it: at most 2,000
 * characters, parses, has a `type(…)` or `entityId(…)` criterion, and everything it names (types,
 * and the types encoded in entity ids) is one entity type. Nested relationship selectors may omit
 * the type but must not name two.
 */
export function checkEntitySelectorLimits(selector: string): LimitCheckResult {
  const max = QUERY_LIMITS.maxEntitySelectorLength;
  if (selector.length > max) {
    return violation('entitySelector', `the entity selector is ${formatCount(selector.length)} characters long; at most ${formatCount(max)} are allowed`, max);
  }
  const offsets = new Map<EntityCriterion, number>();
  const parsed = parseEntitySelectorWith(selector, { offsets });
  if (!parsed.ok) return violation('entitySelector', parsed.error.message, parsed.error.offset);
  const problem = entityTypeProblem(parsed.value, offsets, true);
  return problem === undefined ? OK : violation('entitySelector', problem.message, problem.offset);
}

function typesNamedBy(criterion: EntityCriterion): string[] | undefined {
  if (criterion.kind === 'type') return [criterion.entityType];
  if (criterion.kind === 'entityId') return criterion.ids.flatMap((id) => entityTypeOfId(id) ?? []);
  return undefined;
}

function entityTypeProblem(
  selector: EntitySelector,
  offsets: ReadonlyMap<EntityCriterion, number>,
  topLevel: boolean,
): SelectorError | undefined {
  let first: string | undefined;
  let selectsType = false;
  for (const criterion of selector.criteria) {
    if (criterion.kind === 'relationship') {
      const nested = entityTypeProblem(criterion.selector, offsets, false);
      if (nested !== undefined) return nested;
      continue;
    }
    const types = typesNamedBy(criterion);
    if (types === undefined) continue;
    selectsType = true;
    for (const type of types) {
      first ??= type;
      if (type !== first) {
        return {
          message: `an entity selector selects exactly one entity type, but this one names ${first} and ${type}`,
          offset: offsets.get(criterion) ?? 0,
        };
      }
    }
  }
  if (topLevel && !selectsType) {
    return { message: 'the entity selector needs a type(…) or an entityId(…) criterion', offset: 0 };
  }
  return undefined;
}
