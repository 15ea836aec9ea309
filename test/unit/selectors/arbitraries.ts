/**
 * fast-check arbitraries for the selector ASTs. They only build ASTs the parsers can produce
 * (e.g. a `type` criterion's `entityType` is derived from its `value`), so round-trip properties
 * can compare with plain deep equality.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type {
  EntityCriterion,
  EntitySelector,
  ParseResult,
  TagFilter,
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

const typeValue = fc.oneof(
  fc.constantFrom('HOST', 'SERVICE', 'PROCESS_GROUP_INSTANCE', 'dt.entity.host', 'dt.entity.service_method', 'dt.entity.'),
  nonEmptyText,
);

const timeValue = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom('now', 'now-3d', 'now+14d', 'now-1y/w', 'now/M', '2021-01-25T05:57:01.123+01:00', '2021-01-25 05:57', '2020-11-05T08:15:30Z'),
  fc.tuple(fc.constantFrom('-', '+'), fc.nat({ max: 999 }), fc.constantFrom('m', 'h', 'd', 'w', 'M', 'y')).map(([s, n, u]) => `now${s}${n}${u}`),
);

const tagFilter: fc.Arbitrary<TagFilter> = fc
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
