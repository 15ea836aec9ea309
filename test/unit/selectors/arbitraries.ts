/**
 * fast-check arbitraries for the selector ASTs. They only build ASTs the parsers can produce
 * (e.g. a `type` criterion's `entityType` is derived from its `value`), so round-trip properties
 * can compare with plain deep equality.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type {
  Aggregation,
  Duration,
  EntityCriterion,
  EntitySelector,
  FilterCondition,
  MetricExpression,
  MetricSelector,
  ParseResult,
  SortKey,
  TagFilter,
  TimeUnit,
  Transformation,
} from '../../../lib/selectors';
import { normalizeEntityType } from '../../../lib/selectors/entity-types';

/** Characters that stress quoting and escaping, mixed with ordinary ones. */
const trickyChar = fc.constantFrom(
  'a', 'b', 'Z', '0', '9', '_', '-', '.', ' ', '\t', '\n', '~', '"', '(', ')', ',', ':', '\\', '[', ']', '/', '+', '*', 'é', '😀',
);

/** Any string, biased towards syntax characters. */
export const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: trickyChar, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

export const nonEmptyText = anyText.filter((s) => s.length > 0);

const identTail = fc.string({
  unit: fc.constantFrom(...'abcxyzABCXYZ0189_'.split('')),
  maxLength: 8,
});

/** `[A-Za-z_][A-Za-z0-9_]*` */
export const identifier = fc
  .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'.split('')), identTail)
  .map(([head, tail]) => head + tail);

const RESERVED_ENTITY_NAMES = new Set(
  ['type', 'entityId', 'entityName', 'caseSensitive', 'tag', 'mzId', 'mzName', 'healthState', 'firstSeenTms',
    'deletedEntities', 'fromRelationships', 'toRelationships', 'not'].map((n) => n.toLowerCase()),
);

/** A property name that is not a criterion name in any letter case. */
const propertyName = identifier.filter((name) => !RESERVED_ENTITY_NAMES.has(name.toLowerCase()));

const nonEmptyList = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: 1, maxLength: 4 });

export const typeValue = fc.oneof(
  fc.constantFrom('HOST', 'SERVICE', 'PROCESS_GROUP_INSTANCE', 'dt.entity.host', 'dt.entity.service_method', 'dt.entity.'),
  nonEmptyText,
);

const timeValue = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom('now', 'now-3d', 'now+14d', 'now-1y/w', 'now/M', '2021-01-25T05:57:01.123+01:00', '2021-01-25 05:57', '2020-11-05T08:15:30Z'),
  fc.tuple(fc.constantFrom('-', '+'), fc.nat({ max: 999 }), fc.constantFrom('m', 'h', 'd', 'w', 'M', 'y')).map(([s, n, u]) => `now${s}${n}${u}`),
);

export const tagFilter: fc.Arbitrary<TagFilter> = fc
  .record({
    context: fc.option(nonEmptyText.filter((s) => !s.includes(']')), { nil: undefined }),
    key: nonEmptyText,
    value: fc.option(anyText, { nil: undefined }),
  })
  .map(({ context, key, value }) => ({
    ...(context === undefined ? {} : { context }),
    key,
    ...(value === undefined ? {} : { value }),
  }));

const leafCriterion: fc.Arbitrary<EntityCriterion> = fc.oneof(
  typeValue.map((value) => ({ kind: 'type', value, entityType: normalizeEntityType(value) }) as const),
  nonEmptyList(anyText).map((ids) => ({ kind: 'entityId', ids }) as const),
  fc
    .record({
      operator: fc.constantFrom('contains', 'equals', 'startsWith', 'in'),
      values: nonEmptyList(anyText),
      caseSensitive: fc.boolean(),
    })
    .map(({ operator, values, caseSensitive }) => ({
      kind: 'entityName' as const,
      operator,
      values: operator === 'in' ? values : values.slice(0, 1),
      caseSensitive,
    })),
  fc.record({ kind: fc.constant('attribute' as const), property: propertyName, values: nonEmptyList(anyText) }),
  fc.record({ kind: fc.constant('attributeExists' as const), property: propertyName }),
  fc.record({ kind: fc.constant('tag' as const), tags: nonEmptyList(tagFilter) }),
  fc.record({ kind: fc.constant('mzId' as const), ids: nonEmptyList(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n }).map(String)) }),
  fc.record({ kind: fc.constant('mzName' as const), names: nonEmptyList(anyText) }),
  fc.record({ kind: fc.constant('healthState' as const), state: fc.constantFrom('HEALTHY', 'UNHEALTHY') }),
  fc.record({ kind: fc.constant('firstSeenTms' as const), operator: fc.constantFrom('lt', 'lte', 'gt', 'gte'), time: timeValue }),
  fc.record({ kind: fc.constant('deletedEntities' as const), mode: fc.constantFrom('include', 'exclude') }),
);

const entityTree = fc.letrec<{ selector: EntitySelector; criterion: EntityCriterion }>((tie) => ({
  selector: fc.record({ criteria: nonEmptyList(tie('criterion')) }),
  criterion: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    { weight: 6, arbitrary: leafCriterion },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('relationship' as const),
        direction: fc.constantFrom('from', 'to'),
        relation: identifier,
        selector: tie('selector'),
      }),
    },
    {
      weight: 1,
      arbitrary: tie('criterion')
        .filter((c) => c.kind !== 'type')
        .map((criterion) => ({ kind: 'not', criterion }) as EntityCriterion),
    },
  ),
}));

/** Entity selector ASTs of every criterion kind, nested a few levels. */
export const entitySelectorArb: fc.Arbitrary<EntitySelector> = entityTree.selector;

// ---- metric selector ------------------------------------------------------------------------

/** No negative zero: the parser never produces it (it would not survive formatting). */
const noNegativeZero = (n: number): number => (n === 0 ? 0 : n);

const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map(noNegativeZero);

const keySection = fc.string({ unit: fc.constantFrom(...'abcxyzABC019_-'.split('')), minLength: 1, maxLength: 6 });

/** Realistic keys (`builtin:host.cpu.usage`, `custom.a-b`) and arbitrary text that needs quoting. */
export const metricKey = fc.oneof(
  fc
    .tuple(
      fc.option(fc.constantFrom('builtin', 'ext', 'calc', 'func'), { nil: undefined }),
      identifier,
      fc.array(keySection, { maxLength: 3 }),
    )
    .map(([ns, first, rest]) => (ns === undefined ? '' : `${ns}:`) + [first, ...rest].join('.')),
  fc.constantFrom('builtin:host.cpu.usage', 'cpu', 'cpu:avg', 'builtin:x', 'a.b:c', '5xx', 'a:b.c', 'A:SplitBy', 'x:names'),
  nonEmptyText,
);

export const aggregation: fc.Arbitrary<Aggregation> = fc.oneof(
  fc.constantFrom('avg', 'count', 'max', 'median', 'min', 'sum', 'value').map((kind) => ({ kind })),
  fc.double({ min: 0, max: 100, noNaN: true }).map((p) => ({ kind: 'percentile' as const, percentile: noNegativeZero(p) })),
);

const duration = (units: readonly TimeUnit[], amount: fc.Arbitrary<number>): fc.Arbitrary<Duration> =>
  fc.record({ amount: amount.map(noNegativeZero), unit: fc.constantFrom(...units) });

const rollupWindow: fc.Arbitrary<Duration> = fc.oneof(
  duration(['s'], fc.integer({ min: 1, max: 3600 })),
  duration(['m'], fc.integer({ min: 1, max: 60 })),
  duration(['h'], fc.constant(1)),
);

const filterCondition = fc.letrec<{ condition: FilterCondition }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constantFrom('eq', 'ne', 'prefix', 'suffix', 'contains'),
        dimension: anyText,
        value: anyText,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('in' as const), dimension: anyText, entitySelector: entitySelectorArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('existsKey' as const), dimension: anyText }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('series' as const),
        aggregation,
        operator: fc.constantFrom('lt', 'le', 'eq', 'ne', 'gt', 'ge'),
        value: finiteNumber,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('and', 'or'), conditions: nonEmptyList(tie('condition')) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('not' as const), condition: tie('condition') }) },
  ),
})).condition;

const sortKey: fc.Arbitrary<SortKey> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), aggregation, direction: fc.constantFrom('ascending', 'descending') }),
  fc
    .record({
      dimension: anyText,
      direction: fc.constantFrom('ascending', 'descending'),
      order: fc.option(fc.constantFrom('lexical', 'natural'), { nil: undefined }),
    })
    .map(({ dimension, direction, order }) => ({
      kind: 'dimension' as const,
      dimension,
      direction,
      ...(order === undefined ? {} : { order }),
    })),
);

/** Wraps an optional aggregation the way the parser builds it (no `aggregation: undefined`). */
const withOptionalAggregation = <N extends 'fold' | 'last' | 'lastReal'>(name: N) =>
  fc.option(aggregation, { nil: undefined }).map((a) => (a === undefined ? { name } : { name, aggregation: a }));

export const transformationArb: fc.Arbitrary<Transformation> = fc.oneof(
  fc.constantFrom('auto', 'names', 'parents', 'delta').map((name) => ({ name })),
  aggregation.map((a) => ({ name: 'aggregation' as const, aggregation: a })),
  fc.record({ name: fc.constant('splitBy' as const), dimensions: fc.array(anyText, { maxLength: 3 }) }),
  fc.record({ name: fc.constant('merge' as const), dimensions: nonEmptyList(anyText) }),
  fc.record({ name: fc.constant('filter' as const), conditions: nonEmptyList(filterCondition) }),
  withOptionalAggregation('fold'),
  withOptionalAggregation('last'),
  withOptionalAggregation('lastReal'),
  fc.record({ name: fc.constant('limit' as const), count: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) }),
  fc.record({ name: fc.constant('sort' as const), keys: nonEmptyList(sortKey) }),
  fc.record({ name: fc.constant('default' as const), value: finiteNumber, always: fc.boolean() }),
  fc
    .option(duration(['s', 'm', 'h', 'd', 'w', 'M', 'y'], fc.integer({ min: 1, max: 1_000_000 })), { nil: undefined })
    .map((per) => (per === undefined ? { name: 'rate' as const } : { name: 'rate' as const, per })),
  fc.record({ name: fc.constant('rollup' as const), aggregation, window: rollupWindow }),
  fc.record({ name: fc.constant('timeshift' as const), shift: duration(['s', 'm', 'h', 'd', 'w'], fc.integer({ min: -100_000, max: 100_000 })) }),
);

const transformations = fc.array(transformationArb, { maxLength: 4 });

const metricOperand: fc.Arbitrary<MetricExpression> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ key: metricKey, transformations }).map(({ key, transformations: ts }) => ({ kind: 'metric' as const, keys: [key], transformations: ts })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ prefix: metricKey, siblings: nonEmptyList(nonEmptyText), transformations })
      .map(({ prefix, siblings, transformations: ts }) => ({
        kind: 'metric' as const,
        keys: siblings.map((s) => `${prefix}.${s}`),
        siblingGroup: { prefix: `${prefix}.`, siblings },
        transformations: ts,
      })),
  },
  { weight: 1, arbitrary: fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map((value) => ({ kind: 'number' as const, value: noNegativeZero(value) })) },
);

const metricTree = fc.letrec<{ expression: MetricExpression }>((tie) => ({
  expression: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    { weight: 4, arbitrary: metricOperand },
    { weight: 1, arbitrary: tie('expression').map((operand) => ({ kind: 'negate', operand }) as MetricExpression) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('binary' as const),
        operator: fc.constantFrom('+', '-', '*', '/'),
        left: tie('expression'),
        right: tie('expression'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('transformed' as const),
        operand: tie('expression'),
        transformations: fc.array(transformationArb, { minLength: 1, maxLength: 3 }),
      }),
    },
  ),
}));

/** Metric selector ASTs: 1–4 expressions, every transformation and condition kind. */
export const metricSelectorArb: fc.Arbitrary<MetricSelector> = fc.record({
  expressions: nonEmptyList(metricTree.expression),
});

/** One small edit of a text: a deletion, an insertion of (mostly syntax) characters, a duplication. */
export type Mutation =
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number };

/** One to three edits; positions wrap around the text's length. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: anyText }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  ),
  { minLength: 1, maxLength: 3 },
);

export function mutate(text: string, edits: readonly Mutation[]): string {
  let out = text;
  for (const edit of edits) {
    const at = edit.at % (out.length + 1);
    if (edit.op === 'delete') out = out.slice(0, at) + out.slice(at + edit.length);
    else if (edit.op === 'insert') out = out.slice(0, at) + edit.text + out.slice(at);
    else out = out.slice(0, at) + out.slice(at, at + edit.length) + out.slice(at);
  }
  return out;
}

/** A failed parse must be a user-facing syntax error inside the input, never a parser bug. */
export function expectWellFormed(input: string, result: ParseResult<unknown>): void {
  if (result.ok) return;
  expect(result.error.message).not.toMatch(/internal error/);
  expect(result.error.offset).toBeGreaterThanOrEqual(0);
  expect(result.error.offset).toBeLessThanOrEqual(input.length);
}

/**
 * Deep equality for ASTs, stricter than `toEqual` where it matters (`-0` vs `0`, a key holding
 * `undefined` vs a missing key) and indifferent to prototypes (fast-check builds records without
 * one). Much faster than `expect().toEqual` over 10,000 runs.
 */
export function sameTree(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameTree((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
