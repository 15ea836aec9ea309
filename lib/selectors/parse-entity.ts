/**
 * Parser for the Dynatrace entity selector (API notes §7.4), e.g.
 * `type("HOST"),tag("[AWS]env:prod"),toRelationships.isProcessOf(type(PROCESS_GROUP_INSTANCE))`.
 *
 * Hand-written recursive descent over char codes: linear in the input, nesting capped at
 * {@link MAX_NESTING_DEPTH}, and every failure is a {@link SelectorSyntaxError} with an offset.
 */
import type {
  EntityCriterion,
  EntityNameOperator,
  EntitySelector,
  FirstSeenOperator,
  HealthState,
  TagFilter,
} from './entity-ast';
import { FIRST_SEEN_OPERATORS, HEALTH_STATES } from './entity-ast';
import { normalizeEntityType } from './entity-types';
import { excerpt, fail, MAX_NESTING_DEPTH, runParser, TOO_DEEP_MESSAGE } from './result';
import type { ParseResult } from './result';
import { CH, isIdentStart, isSpace, readQuoted, scanIdent, skipSpace } from './scan';

/**
 * Parses an entity selector.
 *
 * @param input - the selector text, e.g. `type("HOST"),entityName.startsWith("web")`
 * @returns the AST, or the first problem with its 0-based offset in `input`; never throws
 */
export function parseEntitySelector(input: string): ParseResult<EntitySelector> {
  return parseEntitySelectorWith(input, {});
}

/** Options for the internal entry point; the exported parser uses none of them. */
export interface EntityParseOptions {
  /** Receives the start offset of every parsed criterion (the limit checks point at them). */
  readonly offsets?: Map<EntityCriterion, number>;
  /** Nesting levels already used by an enclosing selector (a metric selector's `in(…)`). */
  readonly depth?: number;
}

/** {@link parseEntitySelector} with hooks for the other selector modules. */
export function parseEntitySelectorWith(input: string, options: EntityParseOptions): ParseResult<EntitySelector> {
  return runParser(input, () => new EntitySelectorParser(input, 0, options).parseAll());
}

/** Criterion names that are never attribute (property) names. */
const RESERVED = [
  'type', 'entityId', 'entityName', 'caseSensitive', 'tag', 'mzId', 'mzName', 'healthState',
  'firstSeenTms', 'deletedEntities', 'fromRelationships', 'toRelationships', 'not',
] as const;
type ReservedName = (typeof RESERVED)[number];

const RESERVED_BY_LOWER_CASE: ReadonlyMap<string, ReservedName> = new Map(RESERVED.map((name) => [name.toLowerCase(), name]));

function isReserved(name: string): name is ReservedName {
  return (RESERVED as readonly string[]).includes(name);
}

const NAME_OPERATORS: Readonly<Record<string, EntityNameOperator>> = { equals: 'equals', startsWith: 'startsWith', in: 'in' };

/**
 * Time forms of API notes §0.2: epoch milliseconds, an ISO-like date-time (zone optional, space
 * instead of `T` allowed, seconds and fraction optional) or `now` with an optional offset and
 * alignment. Anchored, no nested quantifiers: linear on any input.
 */
const TIME_FORMS = [
  /^\d+$/,
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/,
  /^now(?:[+-]\d+[mhdwMy])?(?:\/[mhdwMy])?$/,
] as const;

/** A parsed value and where it started (for errors about that value). */
interface Value {
  readonly value: string;
  readonly offset: number;
  /** Index just after the value. */
  readonly end: number;
  readonly quoted: boolean;
}

/**
 * The parser state. Exported for the metric selector parser, which parses an unquoted
 * `entitySelector(…)` in place and continues after it.
 */
export class EntitySelectorParser {
  /** Current offset in {@link input}. */
  pos: number;
  private readonly baseDepth: number;

  constructor(
    readonly input: string,
    start: number,
    private readonly options: EntityParseOptions,
  ) {
    this.pos = start;
    this.baseDepth = options.depth ?? 0;
  }

  /** A selector that must run to the end of the input. */
  parseAll(): EntitySelector {
    return this.selector(this.baseDepth, undefined);
  }

  /**
   * A selector nested in parentheses that the caller opened at `ownerStart`; stops on the
   * unmatched `)` without consuming it.
   */
  parseNested(ownerStart: number): EntitySelector {
    return this.selector(this.baseDepth, ownerStart);
  }

  private code(at: number): number {
    return this.input.charCodeAt(at);
  }

  private describe(at: number): string {
    return at >= this.input.length ? 'the end of the selector' : `"${this.input.charAt(at)}"`;
  }

  /** Comma-separated criteria; `ownerStart` is set when nested inside parentheses. */
  private selector(depth: number, ownerStart: number | undefined): EntitySelector {
    const nested = ownerStart !== undefined;
    const criteria: EntityCriterion[] = [];
    let p = skipSpace(this.input, this.pos);
    if (!nested && p >= this.input.length) fail('the entity selector is empty', p);
    for (;;) {
      this.pos = p;
      criteria.push(this.criterion(depth));
      p = skipSpace(this.input, this.pos);
      const c = this.code(p);
      if (c === CH.comma) {
        p = skipSpace(this.input, p + 1);
        if (p >= this.input.length || (nested && this.code(p) === CH.rparen)) {
          fail('expected another criterion after the comma', p);
        }
        continue;
      }
      this.pos = p;
      if (nested) {
        if (c === CH.rparen) break;
        if (p >= this.input.length) fail(`expected a closing parenthesis after ${excerpt(this.input, ownerStart, p)}`, p);
      } else {
        if (p >= this.input.length) break;
        if (c === CH.rparen) fail('unexpected closing parenthesis', p);
      }
      fail(`expected a comma between criteria, found ${this.describe(p)}`, p);
    }
    return { criteria };
  }

  private criterion(depth: number): EntityCriterion {
    const start = this.pos;
    const c = this.code(start);
    if (!isIdentStart(c)) {
      if (c === CH.quote) fail('criterion names are not quoted; expected something like type("HOST")', start);
      fail(`expected a criterion such as type("HOST"), found ${this.describe(start)}`, start);
    }
    let end = scanIdent(this.input, start);
    const head = this.input.slice(start, end);
    let member: string | undefined;
    if (this.code(end) === CH.dot) {
      const memberEnd = scanIdent(this.input, end + 1);
      if (memberEnd === end + 1) fail(`expected a name after "${head}."`, end + 1);
      member = this.input.slice(end + 1, memberEnd);
      end = memberEnd;
      if (this.code(end) === CH.dot) fail(`unexpected "." after ${head}.${member}`, end);
    }
    const name = member === undefined ? head : `${head}.${member}`;
    const open = skipSpace(this.input, end);
    if (this.code(open) !== CH.lparen) fail(`expected an opening parenthesis after ${name}`, open);
    this.pos = open + 1;
    const criterion = this.criterionBody(head, member, name, start, open, depth);
    this.options.offsets?.set(criterion, start);
    return criterion;
  }

  /** Everything after `name(`; leaves {@link pos} after the closing parenthesis. */
  private criterionBody(
    head: string,
    member: string | undefined,
    name: string,
    start: number,
    open: number,
    depth: number,
  ): EntityCriterion {
    if (!isReserved(head)) {
      const reserved = RESERVED_BY_LOWER_CASE.get(head.toLowerCase());
      if (reserved !== undefined) fail(`unknown criterion "${head}"; did you mean ${reserved}?`, start);
      return this.attribute(head, member, name, start);
    }
    const noMember = (): void => {
      if (member !== undefined) fail(`unknown criterion "${name}"`, start);
    };
    switch (head) {
      case 'type': {
        noMember();
        const value = this.single(name, start, 'an entity type such as "HOST"');
        if (value.value === '') fail('type needs an entity type such as "HOST"', value.offset);
        return { kind: 'type', value: value.value, entityType: normalizeEntityType(value.value) };
      }
      case 'entityId': {
        noMember();
        return { kind: 'entityId', ids: this.atLeastOne(name, start, 'an entity id').map((v) => v.value) };
      }
      case 'entityName': {
        let operator: EntityNameOperator = 'contains';
        if (member !== undefined) {
          const known = Object.hasOwn(NAME_OPERATORS, member) ? NAME_OPERATORS[member] : undefined;
          if (known === undefined) {
            fail(
              member === 'contains'
                ? 'there is no entityName.contains: entityName("…") already means "contains"'
                : `unknown entityName operator "${member}"; use entityName(…), .equals, .startsWith or .in`,
              start,
            );
          }
          operator = known;
        }
        const values =
          operator === 'in'
            ? this.atLeastOne(name, start, 'a name').map((v) => v.value)
            : [this.single(name, start, 'a name').value];
        return { kind: 'entityName', operator, values, caseSensitive: false };
      }
      case 'caseSensitive': {
        noMember();
        const inner = this.nestedCriterion(name, start, open, depth);
        if (inner.kind !== 'entityName') {
          fail('caseSensitive(…) can only wrap an entityName criterion', this.criterionOffset(open));
        }
        if (inner.caseSensitive) fail('caseSensitive(…) is already applied', this.criterionOffset(open));
        return { ...inner, caseSensitive: true };
      }
      case 'tag': {
        noMember();
        return { kind: 'tag', tags: this.atLeastOne(name, start, 'a tag').map((v) => parseTag(v.value, v.offset)) };
      }
      case 'mzId': {
        noMember();
        const ids = this.atLeastOne(name, start, 'a management zone id');
        for (const id of ids) {
          if (!/^-?\d+$/.test(id.value)) fail('mzId needs numeric management zone ids such as mzId(123)', id.offset);
        }
        return { kind: 'mzId', ids: ids.map((v) => v.value) };
      }
      case 'mzName': {
        noMember();
        return { kind: 'mzName', names: this.atLeastOne(name, start, 'a management zone name').map((v) => v.value) };
      }
      case 'healthState': {
        noMember();
        const value = this.single(name, start, 'HEALTHY or UNHEALTHY');
        const state = HEALTH_STATES.find((s) => s === value.value);
        if (state === undefined) fail('healthState needs "HEALTHY" or "UNHEALTHY"', value.offset);
        return { kind: 'healthState', state: state satisfies HealthState };
      }
      case 'firstSeenTms': {
        const operator = FIRST_SEEN_OPERATORS.find((op) => op === member);
        if (operator === undefined) {
          fail(
            member === undefined
              ? 'firstSeenTms needs a comparison: firstSeenTms.lt(…), .lte(…), .gt(…) or .gte(…)'
              : `unknown firstSeenTms comparison "${member}"; use lt, lte, gt or gte`,
            start,
          );
        }
        const value = this.single(name, start, 'a time');
        if (!TIME_FORMS.some((form) => form.test(value.value))) {
          fail(`${name} needs a time: epoch milliseconds, a date such as 2021-01-25T05:57:01Z, or now-3d`, value.offset);
        }
        return { kind: 'firstSeenTms', operator: operator satisfies FirstSeenOperator, time: value.value };
      }
      case 'deletedEntities': {
        if (member !== 'include' && member !== 'exclude') {
          fail('expected deletedEntities.include() or deletedEntities.exclude()', start);
        }
        this.none(name, start);
        return { kind: 'deletedEntities', mode: member };
      }
      case 'fromRelationships':
      case 'toRelationships': {
        if (member === undefined) fail(`${head} needs a relationship name, as in ${head}.runsOn(type("HOST"))`, start);
        if (depth + 1 > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, open);
        const p = skipSpace(this.input, this.pos);
        if (this.code(p) === CH.rparen) fail(`${name}(…) needs an entity selector inside the parentheses`, p);
        this.pos = p;
        const selector = this.selector(depth + 1, start);
        this.pos += 1; // the `)` that selector() stopped on
        return { kind: 'relationship', direction: head === 'fromRelationships' ? 'from' : 'to', relation: member, selector };
      }
      case 'not': {
        noMember();
        const inner = this.nestedCriterion(name, start, open, depth);
        if (inner.kind === 'type') fail('type(…) cannot be negated', this.criterionOffset(open));
        return { kind: 'not', criterion: inner };
      }
    }
  }

  /** `<property>(…)` or `<property>.exists()`. */
  private attribute(property: string, member: string | undefined, name: string, start: number): EntityCriterion {
    if (member === undefined) {
      return { kind: 'attribute', property, values: this.atLeastOne(name, start, 'a value').map((v) => v.value) };
    }
    if (member !== 'exists') fail(`unknown criterion "${name}"; a property takes values or .exists()`, start);
    this.none(name, start);
    return { kind: 'attributeExists', property };
  }

  private criterionOffset(open: number): number {
    return skipSpace(this.input, open + 1);
  }

  /** One criterion inside `not(…)` / `caseSensitive(…)`; leaves {@link pos} after the `)`. */
  private nestedCriterion(name: string, start: number, open: number, depth: number): EntityCriterion {
    if (depth + 1 > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, open);
    const p = skipSpace(this.input, this.pos);
    if (this.code(p) === CH.rparen) fail(`${name}(…) needs a criterion inside the parentheses`, p);
    this.pos = p;
    const inner = this.criterion(depth + 1);
    const q = skipSpace(this.input, this.pos);
    if (this.code(q) === CH.rparen) {
      this.pos = q + 1;
      return inner;
    }
    if (this.code(q) === CH.comma) fail(`${name}(…) takes a single criterion`, q);
    if (q >= this.input.length) fail(`expected a closing parenthesis after ${excerpt(this.input, start, q)}`, q);
    return fail(`expected a closing parenthesis after ${excerpt(this.input, start, q)}, found ${this.describe(q)}`, q);
  }

  private single(name: string, start: number, what: string): Value {
    const values = this.valueList(start);
    const [first, second] = values;
    if (first === undefined) fail(`${name} needs ${what}`, this.pos - 1);
    if (second !== undefined) {
      fail(
        name === 'entityName' ? 'entityName takes one name; use entityName.in(…) for several' : `${name} takes exactly one value`,
        second.offset,
      );
    }
    return first;
  }

  private atLeastOne(name: string, start: number, what: string): Value[] {
    const values = this.valueList(start);
    if (values.length === 0) fail(`${name} needs at least ${what}`, this.pos - 1);
    return values;
  }

  private none(name: string, start: number): void {
    const p = skipSpace(this.input, this.pos);
    if (this.code(p) !== CH.rparen) {
      fail(p >= this.input.length ? `expected a closing parenthesis after ${excerpt(this.input, start, p)}` : `${name}() takes no values`, p);
    }
    this.pos = p + 1;
  }

  /** Values up to and including the closing parenthesis; {@link pos} is just after `(`. */
  private valueList(start: number): Value[] {
    const values: Value[] = [];
    let p = skipSpace(this.input, this.pos);
    if (this.code(p) === CH.rparen) {
      this.pos = p + 1;
      return values;
    }
    for (;;) {
      const value = this.value(p, start);
      values.push(value);
      p = skipSpace(this.input, value.end);
      const c = this.code(p);
      if (c === CH.comma) {
        p = skipSpace(this.input, p + 1);
        continue;
      }
      if (c === CH.rparen) {
        this.pos = p + 1;
        return values;
      }
      if (p >= this.input.length) fail(`expected a closing parenthesis after ${excerpt(this.input, start, p)}`, p);
      if (!value.quoted && p > value.end) fail('a value containing white space must be quoted', value.offset);
      fail(`expected a comma or a closing parenthesis after ${excerpt(this.input, start, p)}, found ${this.describe(p)}`, p);
    }
  }

  private value(p: number, start: number): Value {
    const c = this.code(p);
    if (c === CH.quote) {
      const quoted = readQuoted(this.input, p);
      return { value: quoted.value, offset: p, end: quoted.end, quoted: true };
    }
    let i = p;
    for (; i < this.input.length; i++) {
      const d = this.code(i);
      if (d === CH.comma || d === CH.lparen || d === CH.rparen || d === CH.quote || isSpace(d)) break;
    }
    const stop = this.code(i);
    if (i === p) {
      fail(
        p >= this.input.length ? `expected a value after ${excerpt(this.input, start, p)}` : `expected a value, found ${this.describe(p)}`,
        p,
      );
    }
    if (stop === CH.lparen) fail('a value containing "(" must be quoted', p);
    if (stop === CH.quote) fail('unexpected quote inside an unquoted value; quote the whole value', i);
    return { value: this.input.slice(p, i), offset: p, end: i, quoted: false };
  }
}

/**
 * Splits one `tag(…)` value into context, key and value: `[context]key:value`. The first colon
 * not escaped as `\:` separates key and value; `\\` is a backslash and `\[` a literal bracket,
 * so every key can be written. A backslash before anything else is kept as it is.
 */
export function parseTag(text: string, offset: number): TagFilter {
  let i = 0;
  let context: string | undefined;
  if (text.charCodeAt(0) === CH.lbracket) {
    const close = text.indexOf(']');
    if (close < 0) fail('a tag context needs a closing "]", as in "[AWS]key:value"', offset);
    context = text.slice(1, close);
    if (context === '') fail('the tag context between "[" and "]" is empty', offset);
    i = close + 1;
  }
  const key = unescapeTagPart(text, i, true);
  if (key.text === '') fail('a tag needs a key, as in "key" or "key:value"', offset);
  const tag: { context?: string; key: string; value?: string } = { key: key.text };
  if (context !== undefined) tag.context = context;
  if (key.end < text.length) tag.value = unescapeTagPart(text, key.end + 1, false).text;
  return tag;
}

function unescapeTagPart(text: string, from: number, stopAtColon: boolean): { text: string; end: number } {
  const parts: string[] = [];
  let runStart = from;
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CH.backslash) {
      const next = text.charCodeAt(i + 1);
      if (next === CH.colon || next === CH.backslash || next === CH.lbracket) {
        parts.push(text.slice(runStart, i), text.charAt(i + 1));
        i++;
        runStart = i + 1;
      }
    } else if (c === CH.colon && stopAtColon) {
      break;
    }
  }
  parts.push(text.slice(runStart, i));
  return { text: parts.join(''), end: i };
}
