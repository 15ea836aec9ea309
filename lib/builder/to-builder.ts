/**
 * Metric selector text → builder model, or a reason why the builder cannot show it.
 *
 * The contract is exactness: `toBuilder(s)` succeeds only when `fromBuilder(query) === s`, so showing
 * a selector in the builder never changes it. Anything else is declined with a sentence naming the
 * part, and the selector stays in the code view untouched (docs/query-builder.md).
 */
import type { EntityCriterion, FilterCondition, MetricExpression, Transformation } from '../selectors';
import { formatMetricSelector, formatTransformation, parseMetricSelector } from '../selectors';
import type { BuilderAggregation, BuilderFilter, BuilderQuery } from './builder-query';
import { fromBuilder, sortAggregationFor } from './from-builder';
import { formatTag } from '../selectors/format-entity';

/** Either the builder's view of a selector, or why there is none. */
export type ToBuilderResult =
  | { readonly ok: true; readonly query: BuilderQuery }
  | {
      readonly ok: false;
      /** A sentence for the note in the builder tab, ending in what to do. */
      readonly reason: string;
      /** The piece of the selector the builder cannot show, as text (absent when it is the whole selector). */
      readonly part?: string;
      /**
       * Present when only the writing differs (spacing, quoting, escapes): the builder's form of the
       * same query, which the editor may offer to use (the user's choice, never applied by itself).
       */
      readonly rewritten?: string;
    };

class Decline {
  constructor(
    readonly reason: string,
    readonly part?: string,
  ) {}
}

const EDIT_IN_CODE = 'edit it in Code';

/** Long parts are shortened in the sentence only; `part` keeps the whole text. */
function shown(part: string): string {
  return part.length > 80 ? `${part.slice(0, 79)}…` : part;
}

function cannotShow(part: string, why = ''): never {
  throw new Decline(`the builder cannot show ${shown(part)}${why}; ${EDIT_IN_CODE}`, part);
}

function step(t: Transformation): string {
  return `:${formatTransformation(t)}`;
}

/** The builder's steps in their fixed order; a selector with another order is declined. */
const STAGE: Partial<Record<Transformation['name'], number>> = {
  filter: 0,
  splitBy: 1,
  auto: 2,
  aggregation: 2,
  sort: 3,
  limit: 4,
};
const ORDER_TEXT = ':filter, :splitBy, the aggregation, :sort, :limit';

function expressionText(expression: MetricExpression): string {
  return formatMetricSelector({ expressions: [expression] });
}

function describeExpression(expression: MetricExpression): string {
  switch (expression.kind) {
    case 'binary':
    case 'negate':
    case 'number':
      return 'arithmetic';
    case 'transformed':
      return 'transformations of a parenthesised expression';
    case 'metric':
      return 'several metrics';
  }
}

/** The one criterion after `type(…)` in the filter's entity selector, as a builder filter. */
function filterCriterion(criterion: EntityCriterion, part: string): Pick<BuilderFilter, 'kind' | 'value'> {
  switch (criterion.kind) {
    case 'entityName':
      if (criterion.operator !== 'contains' || criterion.caseSensitive || criterion.values.length !== 1) {
        cannotShow(part, ' (the builder filters by a name that contains one text, ignoring case)');
      }
      return { kind: 'entityName', value: criterion.values[0] ?? '' };
    case 'tag': {
      const [tag, more] = criterion.tags;
      if (tag === undefined || more !== undefined) cannotShow(part, ' (the builder filters by one tag)');
      return { kind: 'tag', value: formatTag(tag) };
    }
    case 'mzName': {
      const [name, more] = criterion.names;
      if (name === undefined || more !== undefined) cannotShow(part, ' (the builder filters by one management zone)');
      return { kind: 'managementZone', value: name };
    }
    default:
      return cannotShow(part, ' (the builder filters by entity name, tag or management zone only)');
  }
}

function filterOf(conditions: readonly FilterCondition[], part: string): BuilderFilter {
  const [condition, more] = conditions;
  if (condition === undefined || more !== undefined) cannotShow(part, ' (the builder shows one filter condition)');
  if (condition.kind !== 'in') {
    cannotShow(part, ' (the builder filters with in(<entity dimension>, entitySelector(…)) only)');
  }
  const [type, criterion, extra] = condition.entitySelector.criteria;
  if (type?.kind !== 'type' || criterion === undefined || extra !== undefined) {
    cannotShow(part, ' (the builder\'s entity selector is type(…) and one name, tag or zone criterion)');
  }
  return { ...filterCriterion(criterion, part), dimension: condition.dimension, entityType: type.value };
}

function aggregationOf(t: Transformation & { name: 'auto' | 'aggregation' }): BuilderAggregation {
  return t.name === 'auto' ? { kind: 'auto' } : t.aggregation;
}

function sameAggregation(a: BuilderAggregation, b: BuilderAggregation): boolean {
  return a.kind === b.kind && (a.kind !== 'percentile' || (b.kind === 'percentile' && a.percentile === b.percentile));
}

function readQuery(selector: string): BuilderQuery {
  if (selector === '') return { metricKey: '', splitBy: [] };
  const parsed = parseMetricSelector(selector);
  if (!parsed.ok) {
    throw new Decline(`the builder cannot show a selector that does not parse (position ${parsed.error.offset + 1}: ${parsed.error.message}); ${EDIT_IN_CODE}`);
  }
  const [expression, second] = parsed.value.expressions;
  if (expression === undefined) throw new Decline(`the builder cannot show an empty selector; ${EDIT_IN_CODE}`);
  if (second !== undefined) {
    throw new Decline(
      `the builder shows one metric, but this selector has ${parsed.value.expressions.length} comma-separated expressions (from ${shown(expressionText(second))}); ${EDIT_IN_CODE}`,
      expressionText(second),
    );
  }
  if (expression.kind !== 'metric' || expression.keys.length !== 1) {
    const text = expressionText(expression);
    throw new Decline(`the builder cannot show ${describeExpression(expression)} (${shown(text)}); ${EDIT_IN_CODE}`, text);
  }
  const query: {
    metricKey: string;
    aggregation?: BuilderAggregation;
    splitBy: readonly string[];
    filter?: BuilderFilter;
    topN?: number;
  } = { metricKey: expression.keys[0] ?? '', splitBy: [] };

  let stage = -1;
  let previous: Transformation | undefined;
  let sortAggregation: BuilderAggregation | undefined;
  for (const t of expression.transformations) {
    const part = step(t);
    const at = STAGE[t.name];
    if (at === undefined) cannotShow(part);
    if (at <= stage) {
      const repeated = at === stage;
      throw new Decline(
        repeated
          ? `the builder shows each step once, but ${shown(part)} repeats an earlier step; ${EDIT_IN_CODE}`
          : `the builder writes ${ORDER_TEXT} in that order, and here ${shown(part)} comes after ${shown(step(previous!))}; ${EDIT_IN_CODE}`,
        part,
      );
    }
    switch (t.name) {
      case 'filter':
        query.filter = filterOf(t.conditions, part);
        break;
      case 'splitBy':
        if (t.dimensions.length === 0) cannotShow(part, ' (every series merged into one)');
        query.splitBy = t.dimensions;
        break;
      case 'auto':
      case 'aggregation':
        query.aggregation = aggregationOf(t);
        break;
      case 'sort': {
        const [key, more] = t.keys;
        if (key === undefined || more !== undefined || key.kind !== 'value' || key.direction !== 'descending') {
          cannotShow(part, ' (top N sorts by one value, descending)');
        }
        sortAggregation = key.aggregation;
        break;
      }
      case 'limit':
        if (stage !== 3) cannotShow(part, ' without :sort(value(…,descending)) before it (top N is :sort(…):limit(N))');
        query.topN = t.count;
        break;
    }
    stage = at;
    previous = t;
  }
  if (stage === 3) cannotShow(step(previous!), ' without a :limit after it (top N is :sort(…):limit(N))');
  if (sortAggregation !== undefined) {
    const expected = sortAggregationFor(query.aggregation);
    if (!sameAggregation(sortAggregation, expected)) {
      const sort = expression.transformations.find((t) => t.name === 'sort');
      cannotShow(
        sort === undefined ? ':sort' : step(sort),
        ` (the builder sorts top N by the query's aggregation, here ${expected.kind === 'percentile' ? `percentile(${expected.percentile})` : expected.kind})`,
      );
    }
  }
  return query;
}

/**
 * Reads a metric selector into the builder's model, or says which part the builder cannot show.
 *
 * Declines, naming the part: several expressions, arithmetic, sibling groups, transformations other
 * than one filter, split, aggregation, sort and limit (`:rollup(…)`, `:fold`, `:timeshift(…)`, …),
 * those steps in another order or twice, filters other than one entity name, tag or zone criterion,
 * `:splitBy()`, a sort that is not the top-N shape, and any text the formatter would write
 * differently (spacing, quoting, escapes): the builder never alters a selector.
 *
 * @example toBuilder('builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)')
 *   // { ok: true, query: { metricKey: 'builtin:host.cpu.usage', splitBy: ['dt.entity.host'], aggregation: { kind: 'avg' }, topN: 10 } }
 */
export function toBuilder(selector: string): ToBuilderResult {
  let query: BuilderQuery;
  try {
    query = readQuery(selector);
  } catch (error) {
    if (error instanceof Decline) {
      return error.part === undefined ? { ok: false, reason: error.reason } : { ok: false, reason: error.reason, part: error.part };
    }
    throw error;
  }
  const written = fromBuilder(query);
  if (written !== selector) {
    const [mine, theirs] = difference(selector, written);
    return {
      ok: false,
      reason: `the builder would write “${shown(mine)}” as “${shown(theirs)}” (spacing, quoting or escapes differ), and it never changes a selector; ${EDIT_IN_CODE}`,
      part: mine,
      rewritten: written,
    };
  }
  return { ok: true, query };
}

/**
 * The stretch where two texts differ, without their common start and end: `builtin:x : avg` and
 * `builtin:x:avg` give `[" : ", ":"]`.
 */
function difference(selector: string, written: string): [string, string] {
  let start = 0;
  while (start < selector.length && start < written.length && selector[start] === written[start]) start++;
  let end = 0;
  while (
    end < selector.length - start &&
    end < written.length - start &&
    selector[selector.length - 1 - end] === written[written.length - 1 - end]
  ) end++;
  return [selector.slice(start, selector.length - end), written.slice(start, written.length - end)];
}
