/**
 * Writes a metric selector AST back as text. Normalised: dimension keys and values quoted,
 * keys quoted only when they need it, one space around binary operators, parentheses only
 * where precedence requires them. Parses back to an equal AST.
 */
import { formatEntitySelector } from './format-entity';
import type {
  Aggregation,
  Duration,
  FilterCondition,
  MetricExpression,
  MetricSelector,
  SortKey,
  Transformation,
} from './metric-ast';
import { isPlainMetricKey, isPlainSibling } from './parse-metric';
import { quote } from './scan';

/**
 * Formats a metric selector; the inverse of `parseMetricSelector`.
 *
 * @example formatMetricSelector(parseMetricSelector('builtin:host.cpu.usage : avg').value) // 'builtin:host.cpu.usage:avg'
 */
export function formatMetricSelector(selector: MetricSelector): string {
  return selector.expressions.map(formatExpression).join(',');
}

function formatKey(key: string): string {
  return isPlainMetricKey(key) ? key : quote(key);
}

/** Binding strength, used to decide where parentheses are needed. */
function precedence(expression: MetricExpression): number {
  switch (expression.kind) {
    case 'binary':
      return expression.operator === '+' || expression.operator === '-' ? 1 : 2;
    case 'negate':
      return 3;
    default:
      return 4;
  }
}

function wrapIf(condition: boolean, text: string): string {
  return condition ? `(${text})` : text;
}

function formatExpression(expression: MetricExpression): string {
  switch (expression.kind) {
    case 'metric': {
      const group = expression.siblingGroup;
      const key =
        group === undefined
          ? formatKey(expression.keys[0] ?? '')
          : `${formatKey(group.prefix.slice(0, -1))}.(${group.siblings.map((s) => (isPlainSibling(s) ? s : quote(s))).join(',')})`;
      return key + formatTransformations(expression.transformations);
    }
    case 'number':
      return String(expression.value);
    case 'negate':
      return `-${wrapIf(precedence(expression.operand) < 3, formatExpression(expression.operand))}`;
    case 'binary': {
      const own = precedence(expression);
      // Operators associate to the left, so an equal-precedence right operand needs parentheses.
      const left = wrapIf(precedence(expression.left) < own, formatExpression(expression.left));
      const right = wrapIf(precedence(expression.right) <= own, formatExpression(expression.right));
      return `${left} ${expression.operator} ${right}`;
    }
    case 'transformed':
      return `(${formatExpression(expression.operand)})${formatTransformations(expression.transformations)}`;
  }
}

function formatTransformations(transformations: readonly Transformation[]): string {
  return transformations.map((t) => `:${formatTransformation(t)}`).join('');
}

function formatAggregation(aggregation: Aggregation): string {
  return aggregation.kind === 'percentile' ? `percentile(${aggregation.percentile})` : aggregation.kind;
}

function formatDuration(duration: Duration): string {
  return `${duration.amount}${duration.unit}`;
}

/** One transformation without its leading colon (`splitBy("dt.entity.host")`), as {@link formatMetricSelector} writes it. */
export function formatTransformation(t: Transformation): string {
  switch (t.name) {
    case 'auto':
    case 'names':
    case 'parents':
    case 'delta':
      return t.name;
    case 'aggregation':
      return formatAggregation(t.aggregation);
    case 'splitBy':
    case 'merge':
      return `${t.name}(${t.dimensions.map(quote).join(',')})`;
    case 'filter':
      return `filter(${t.conditions.map(formatCondition).join(',')})`;
    case 'fold':
    case 'last':
    case 'lastReal':
      return t.aggregation === undefined ? t.name : `${t.name}(${formatAggregation(t.aggregation)})`;
    case 'limit':
      return `limit(${t.count})`;
    case 'sort':
      return `sort(${t.keys.map(formatSortKey).join(',')})`;
    case 'default':
      return `default(${t.value}${t.always ? ',always' : ''})`;
    case 'rate':
      return t.per === undefined ? 'rate' : `rate(${formatDuration(t.per)})`;
    case 'rollup':
      return `rollup(${formatAggregation(t.aggregation)},${formatDuration(t.window)})`;
    case 'timeshift':
      return `timeshift(${formatDuration(t.shift)})`;
  }
}

function formatSortKey(key: SortKey): string {
  return key.kind === 'value'
    ? `value(${formatAggregation(key.aggregation)},${key.direction})`
    : `dimension(${quote(key.dimension)},${key.direction}${key.order === undefined ? '' : `,${key.order}`})`;
}

function formatCondition(condition: FilterCondition): string {
  switch (condition.kind) {
    case 'eq':
    case 'ne':
    case 'prefix':
    case 'suffix':
    case 'contains':
      return `${condition.kind}(${quote(condition.dimension)},${quote(condition.value)})`;
    case 'in':
      return `in(${quote(condition.dimension)},entitySelector(${quote(formatEntitySelector(condition.entitySelector))}))`;
    case 'existsKey':
      return `existsKey(${quote(condition.dimension)})`;
    case 'series':
      return `series(${formatAggregation(condition.aggregation)},${condition.operator}(${condition.value}))`;
    case 'and':
    case 'or':
      return `${condition.kind}(${condition.conditions.map(formatCondition).join(',')})`;
    case 'not':
      return `not(${formatCondition(condition.condition)})`;
  }
}
