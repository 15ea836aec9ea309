/**
 * Parser for the Dynatrace metric selector (API notes §6): comma-separated expressions of metric
 * keys with `:transformations`, numbers, `+ - * /`, unary minus and parentheses.
 *
 * Two stages per transformation: the arguments are first read as a generic term tree
 * (`word`, `"quoted"`, `name(args…)`) which settles parentheses, quotes and nesting once, then
 * each transformation interprets its terms and reports precise errors about their meaning.
 * Linear in the input; nesting capped at {@link MAX_NESTING_DEPTH}.
 */
import type { EntitySelector } from './entity-ast';
import type {
  Aggregation,
  ArithmeticOperator,
  Duration,
  FilterCondition,
  MetricExpression,
  MetricKeyExpression,
  MetricSelector,
  SortDirection,
  SortKey,
  TimeUnit,
  Transformation,
} from './metric-ast';
import { AGGREGATION_NAMES, DIMENSION_OPERATORS, SERIES_OPERATORS } from './metric-ast';
import { EntitySelectorParser, parseEntitySelectorWith } from './parse-entity';
import { excerpt, fail, MAX_NESTING_DEPTH, runParser, TOO_DEEP_MESSAGE } from './result';
import type { ParseResult } from './result';
import { CH, isDigit, isIdentChar, isIdentStart, isSpace, readQuoted, scanIdent, skipSpace } from './scan';

/**
 * Parses a metric selector.
 *
 * @param input - e.g. `builtin:host.cpu.usage:splitBy("dt.entity.host"):avg`
 * @returns the AST, or the first problem with its 0-based offset in `input`; never throws
 */
export function parseMetricSelector(input: string): ParseResult<MetricSelector> {
  return parseMetricSelectorWith(input, {});
}

/** Options for the internal entry point. */
export interface MetricParseOptions {
  /** Receives the start offset of every top-level expression (the limit checks point at them). */
  readonly offsets?: Map<MetricExpression, number>;
}

/** {@link parseMetricSelector} with hooks for the limit checks. */
export function parseMetricSelectorWith(input: string, options: MetricParseOptions): ParseResult<MetricSelector> {
  return runParser(input, () => new MetricSelectorParser(input, options).parse());
}

/** Characters of an unquoted metric key section (the ingest protocol's `[A-Za-z0-9_-]`). */
export function isKeyChar(c: number): boolean {
  return isIdentChar(c) || c === CH.minus;
}

/** A transformation argument before interpretation. `end` is just after the term. */
type Term =
  | { readonly t: 'word'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly t: 'quoted'; readonly value: string; readonly start: number; readonly end: number; readonly depth: number }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Term[]; readonly start: number; readonly end: number }
  | { readonly t: 'entity'; readonly selector: EntitySelector; readonly start: number; readonly end: number };

/** Signed decimal with optional fraction and exponent; anchored and unambiguous, so linear. */
const NUMBER = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Unsigned number at a position (sticky), for operands of arithmetic expressions. */
const OPERAND_NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const DURATION = /^([+-]?)(\d*)([A-Za-z])$/;

const NO_ARGUMENT_NAMES = ['auto', 'names', 'parents', 'delta'] as const;
const OPTIONAL_AGGREGATION_NAMES = ['fold', 'last', 'lastReal'] as const;

const KNOWN_TRANSFORMATIONS = [
  ...NO_ARGUMENT_NAMES, ...OPTIONAL_AGGREGATION_NAMES, ...AGGREGATION_NAMES, 'percentile', 'splitBy', 'merge',
  'filter', 'limit', 'sort', 'default', 'rate', 'rollup', 'timeshift',
] as const;

/** Documented transformations this parser does not implement; named so the error says so. */
const UNSUPPORTED_TRANSFORMATIONS: readonly string[] = [
  'smooth', 'partition', 'setUnit', 'toUnit', 'histogram', 'asGauge', 'asHistogram', 'evaluateModel',
];

const KNOWN_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map(
  [...KNOWN_TRANSFORMATIONS, ...UNSUPPORTED_TRANSFORMATIONS].map((name) => [name.toLowerCase(), name]),
);

/**
 * Whether `key` reads back as exactly this key without quotes (used by the formatter, kept here
 * next to the rules it mirrors). Conservative: a `false` only means the key gets quoted.
 */
export function isPlainMetricKey(key: string): boolean {
  const match = /^([A-Za-z_][\w-]*)(?::([\w-]+))?((?:\.[\w-]+)*)$/.exec(key);
  if (match === null) return false;
  const [, , afterColon, dotted = ''] = match;
  if (afterColon === undefined) return true;
  return dotted !== '' || !KNOWN_BY_LOWER_CASE.has(afterColon.toLowerCase());
}

/** Whether a sibling-group alternative reads back without quotes. */
export function isPlainSibling(sibling: string): boolean {
  return /^[\w-]+(?:\.[\w-]+)*$/.test(sibling);
}

const AGGREGATION_LIST = 'avg, count, max, median, min, percentile(N), sum or value';

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

class MetricSelectorParser {
  private pos = 0;

  constructor(
    private readonly input: string,
    private readonly options: MetricParseOptions,
  ) {}

  private code(at: number): number {
    return this.input.charCodeAt(at);
  }

  private describe(at: number): string {
    return at >= this.input.length ? 'the end of the selector' : `"${this.input.charAt(at)}"`;
  }

  parse(): MetricSelector {
    const expressions: MetricExpression[] = [];
    let p = skipSpace(this.input, 0);
    if (p >= this.input.length) fail('the metric selector is empty', p);
    for (;;) {
      const start = p;
      this.pos = p;
      const expression = this.additive(0);
      expressions.push(expression);
      this.options.offsets?.set(expression, start);
      p = skipSpace(this.input, this.pos);
      const c = this.code(p);
      if (p >= this.input.length) break;
      if (c === CH.comma) {
        p = skipSpace(this.input, p + 1);
        if (p >= this.input.length) fail('expected another metric expression after the comma', p);
        continue;
      }
      if (c === CH.rparen) fail('unexpected closing parenthesis', p);
      fail(`expected a comma or an operator (+ - * /) after ${excerpt(this.input, start, p)}, found ${this.describe(p)}`, p);
    }
    return { expressions };
  }

  // Each binary operator nests the tree one level deeper, so chains count towards the depth
  // limit like parentheses do: evaluators and the formatter recurse over this tree.
  private additive(depth: number): MetricExpression {
    let left = this.multiplicative(depth);
    let level = depth;
    for (;;) {
      const p = skipSpace(this.input, this.pos);
      const c = this.code(p);
      if (c !== CH.plus && c !== CH.minus) return left;
      level += 1;
      if (level > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, p);
      this.pos = p + 1;
      const right = this.multiplicative(level);
      left = { kind: 'binary', operator: c === CH.plus ? '+' : '-', left, right };
    }
  }

  private multiplicative(depth: number): MetricExpression {
    let left = this.unary(depth);
    let level = depth;
    for (;;) {
      const p = skipSpace(this.input, this.pos);
      const c = this.code(p);
      if (c !== CH.star && c !== CH.slash) return left;
      level += 1;
      if (level > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, p);
      this.pos = p + 1;
      const right = this.unary(level);
      const operator: ArithmeticOperator = c === CH.star ? '*' : '/';
      left = { kind: 'binary', operator, left, right };
    }
  }

  private unary(depth: number): MetricExpression {
    const p = skipSpace(this.input, this.pos);
    if (this.code(p) !== CH.minus) {
      this.pos = p;
      return this.postfix(depth);
    }
    if (depth + 1 > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, p);
    this.pos = p + 1;
    return { kind: 'negate', operand: this.unary(depth + 1) };
  }

  private postfix(depth: number): MetricExpression {
    const p = this.pos;
    const c = this.code(p);
    if (c === CH.lparen) {
      if (depth + 1 > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, p);
      this.pos = p + 1;
      const inner = this.additive(depth + 1);
      const q = skipSpace(this.input, this.pos);
      if (this.code(q) !== CH.rparen) {
        fail(
          q >= this.input.length
            ? `expected a closing parenthesis after ${excerpt(this.input, p, q)}`
            : `expected an operator (+ - * /) or a closing parenthesis, found ${this.describe(q)}`,
          q,
        );
      }
      this.pos = q + 1;
      const transformations = this.transformations(depth + 1);
      return transformations.length === 0 ? inner : { kind: 'transformed', operand: inner, transformations };
    }
    if (isDigit(c)) return this.numberOperand(p);
    if (isIdentStart(c) || c === CH.quote) {
      const key = this.metricKey(p);
      return { kind: 'metric', ...key, transformations: this.transformations(depth) };
    }
    if (p >= this.input.length) fail('expected a metric key, a number or "(" at the end of the selector', p);
    if (c === CH.comma || c === CH.plus || c === CH.star || c === CH.slash || c === CH.rparen) {
      fail(`expected a metric key, a number or "(" before ${this.describe(p)}`, p);
    }
    return fail(`expected a metric key, a number or "(", found ${this.describe(p)}`, p);
  }

  private numberOperand(p: number): MetricExpression {
    OPERAND_NUMBER.lastIndex = p;
    const match = OPERAND_NUMBER.exec(this.input);
    const end = match === null ? p : p + match[0].length;
    const value = Number(this.input.slice(p, end));
    if (!Number.isFinite(value)) fail('this number is too large', p);
    const next = this.code(end);
    if (isKeyChar(next) || next === CH.dot || next === CH.quote) {
      fail(`unexpected ${this.describe(end)} after a number; metric keys start with a letter`, end);
    }
    const after = skipSpace(this.input, end);
    if (this.code(after) === CH.colon) fail('a number cannot have transformations; wrap it in parentheses', after);
    this.pos = end;
    return { kind: 'number', value };
  }

  // ---- metric keys --------------------------------------------------------------------------

  /**
   * A key: sections separated by `.`, each plain (`[A-Za-z0-9_-]+`) or quoted, optionally a
   * namespace before one colon (`builtin:`), optionally ending in a sibling group `.(a,b)`.
   *
   * The colon is ambiguous: `builtin:host.cpu.usage` versus `custom.metric:avg`. A colon belongs
   * to the key only directly after a single section (a namespace has no dots) and when no
   * transformation follows it (see {@link colonContinuesKey}), so `cpu:avg` stays
   * key + transformation while `builtin:host.cpu.usage` is one key.
   */
  private metricKey(start: number): Pick<MetricKeyExpression, 'keys' | 'siblingGroup'> {
    const parts: string[] = [];
    let p = start;
    let sections = 0;
    let namespaced = false;
    for (;;) {
      p = this.keySection(p, parts);
      sections += 1;
      const c = this.code(p);
      if (c === CH.dot) {
        const next = this.code(p + 1);
        if (next === CH.lparen) {
          const prefix = `${parts.join('')}.`;
          const siblings = this.siblingGroup(p + 1, start);
          return { keys: siblings.map((s) => prefix + s), siblingGroup: { prefix, siblings } };
        }
        if (next !== CH.quote && !isKeyChar(next)) fail('expected a key section after "."', p + 1);
        parts.push('.');
        p += 1;
        continue;
      }
      if (c === CH.colon && !namespaced && sections === 1 && this.colonContinuesKey(p + 1)) {
        parts.push(':');
        namespaced = true;
        sections = 0;
        p += 1;
        continue;
      }
      this.pos = p;
      return { keys: [parts.join('')] };
    }
  }

  /** Appends one plain or quoted section at `p` to `parts`; returns the index after it. */
  private keySection(p: number, parts: string[]): number {
    if (this.code(p) === CH.quote) {
      const quoted = readQuoted(this.input, p);
      if (quoted.value === '') fail('a quoted metric key section cannot be empty', p);
      parts.push(quoted.value);
      return quoted.end;
    }
    let i = p;
    while (i < this.input.length && isKeyChar(this.code(i))) i++;
    if (i === p) fail(`expected a metric key section, found ${this.describe(p)}`, p);
    parts.push(this.input.slice(p, i));
    return i;
  }

  /**
   * Whether the colon before `p` joins a namespace to the rest of a key. Yes when a dotted key or
   * a quoted section follows; no when a transformation follows (a call, or a transformation name
   * in any letter case, so typos get a "did you mean" instead of becoming part of the key).
   */
  private colonContinuesKey(p: number): boolean {
    if (this.code(p) === CH.quote) return true;
    let i = p;
    while (i < this.input.length && isKeyChar(this.code(i))) i++;
    if (i === p) return false;
    if (this.code(i) === CH.dot) return true;
    if (this.code(skipSpace(this.input, i)) === CH.lparen) return false;
    return !KNOWN_BY_LOWER_CASE.has(this.input.slice(p, i).toLowerCase());
  }

  /** `(a,b.c,"d")` after a key prefix; returns the alternatives and leaves {@link pos} after `)`. */
  private siblingGroup(open: number, keyStart: number): string[] {
    const siblings: string[] = [];
    let p = skipSpace(this.input, open + 1);
    if (this.code(p) === CH.rparen) fail('a sibling group needs at least one key, as in builtin:host.cpu.(usage,idle)', p);
    for (;;) {
      const parts: string[] = [];
      for (;;) {
        p = this.keySection(p, parts);
        if (this.code(p) !== CH.dot) break;
        parts.push('.');
        p += 1;
      }
      siblings.push(parts.join(''));
      p = skipSpace(this.input, p);
      const c = this.code(p);
      if (c === CH.comma) {
        p = skipSpace(this.input, p + 1);
        continue;
      }
      if (c === CH.rparen) break;
      if (p >= this.input.length) fail(`expected a closing parenthesis after ${excerpt(this.input, keyStart, p)}`, p);
      fail(`expected a comma or a closing parenthesis in the sibling group, found ${this.describe(p)}`, p);
    }
    p += 1;
    if (this.code(p) === CH.dot) fail('a sibling group (a,b) must end the metric key', p);
    this.pos = p;
    return siblings;
  }

  // ---- transformations ----------------------------------------------------------------------

  private transformations(depth: number): Transformation[] {
    const list: Transformation[] = [];
    for (;;) {
      const p = skipSpace(this.input, this.pos);
      if (this.code(p) !== CH.colon) return list;
      const nameStart = skipSpace(this.input, p + 1);
      const nameEnd = scanIdent(this.input, nameStart);
      if (nameEnd === nameStart) fail(`expected a transformation name after ":", found ${this.describe(nameStart)}`, nameStart);
      const name = this.input.slice(nameStart, nameEnd);
      const open = skipSpace(this.input, nameEnd);
      let args: Term[] | undefined;
      this.checkTransformationName(name, nameStart);
      if (this.code(open) === CH.lparen) {
        if (depth + 1 > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, open);
        this.pos = open + 1;
        args = this.argumentList(depth + 1, nameStart);
      } else {
        this.pos = nameEnd;
      }
      list.push(this.transformation(name, nameStart, args, this.pos));
    }
  }

  private checkTransformationName(name: string, at: number): void {
    if (includes(KNOWN_TRANSFORMATIONS, name)) return;
    if (UNSUPPORTED_TRANSFORMATIONS.includes(name)) fail(`the transformation "${name}" is not supported here`, at);
    const known = KNOWN_BY_LOWER_CASE.get(name.toLowerCase());
    fail(known === undefined ? `unknown transformation "${name}"` : `unknown transformation "${name}"; did you mean ${known}?`, at);
  }

  /** Arguments up to and including `)`; {@link pos} is just after `(`. */
  private argumentList(depth: number, ownerStart: number): Term[] {
    const args: Term[] = [];
    let p = skipSpace(this.input, this.pos);
    if (this.code(p) === CH.rparen) {
      this.pos = p + 1;
      return args;
    }
    for (;;) {
      this.pos = p;
      args.push(this.term(depth, ownerStart));
      p = skipSpace(this.input, this.pos);
      const c = this.code(p);
      if (c === CH.comma) {
        p = skipSpace(this.input, p + 1);
        continue;
      }
      if (c === CH.rparen) {
        this.pos = p + 1;
        return args;
      }
      if (p >= this.input.length) fail(`expected a closing parenthesis after ${excerpt(this.input, ownerStart, p)}`, p);
      fail(`expected a comma or a closing parenthesis after ${excerpt(this.input, ownerStart, p)}, found ${this.describe(p)}`, p);
    }
  }

  private term(depth: number, ownerStart: number): Term {
    const p = this.pos;
    const c = this.code(p);
    if (c === CH.quote) {
      const quoted = readQuoted(this.input, p);
      this.pos = quoted.end;
      return { t: 'quoted', value: quoted.value, start: p, end: quoted.end, depth };
    }
    let i = p;
    for (; i < this.input.length; i++) {
      const d = this.code(i);
      if (d === CH.comma || d === CH.lparen || d === CH.rparen || d === CH.quote || isSpace(d)) break;
    }
    if (i === p) {
      fail(
        p >= this.input.length ? `expected an argument after ${excerpt(this.input, ownerStart, p)}` : `expected an argument, found ${this.describe(p)}`,
        p,
      );
    }
    const text = this.input.slice(p, i);
    const open = skipSpace(this.input, i);
    if (this.code(open) === CH.lparen) {
      if (scanIdent(text, 0) !== text.length) fail(`unexpected "(" after ${text}`, open);
      if (depth + 1 > MAX_NESTING_DEPTH) fail(TOO_DEEP_MESSAGE, open);
      if (text === 'entitySelector' && this.code(skipSpace(this.input, open + 1)) !== CH.quote) {
        // Unquoted form `entitySelector(type(HOST))`: parse it in place with the entity parser.
        const parser = new EntitySelectorParser(this.input, open + 1, { depth: depth + 1 });
        const selector = parser.parseNested(p);
        this.pos = parser.pos + 1;
        return { t: 'entity', selector, start: p, end: this.pos };
      }
      this.pos = open + 1;
      const args = this.argumentList(depth + 1, p);
      return { t: 'call', name: text, args, start: p, end: this.pos };
    }
    if (this.code(i) === CH.quote) fail('unexpected quote inside an unquoted argument; quote the whole argument', i);
    this.pos = i;
    return { t: 'word', text, start: p, end: i };
  }

  // ---- interpretation -----------------------------------------------------------------------

  private transformation(name: string, start: number, args: readonly Term[] | undefined, end: number): Transformation {
    const noArgs = (): void => {
      const [first] = args ?? [];
      if (first !== undefined) fail(`${name} takes no arguments`, first.start);
    };
    if (includes(AGGREGATION_NAMES, name)) {
      noArgs();
      return { name: 'aggregation', aggregation: { kind: name } };
    }
    switch (name) {
      case 'auto':
      case 'names':
      case 'parents':
      case 'delta':
        noArgs();
        return { name };
      case 'percentile': {
        const [arg, extra] = args ?? [];
        if (arg === undefined || extra !== undefined) fail('percentile needs a number between 0 and 100', extra?.start ?? start);
        return { name: 'aggregation', aggregation: { kind: 'percentile', percentile: this.percentile(arg) } };
      }
      case 'splitBy':
      case 'merge': {
        if (args === undefined) fail(`${name} needs parentheses: ${name}("dimension")`, end);
        if (name === 'merge' && args.length === 0) fail('merge needs at least one dimension', end - 1);
        return { name, dimensions: args.map((arg) => this.text(arg, 'a dimension key')) };
      }
      case 'filter': {
        if (args === undefined || args.length === 0) fail('filter needs at least one condition, as in filter(eq("dimension","value"))', end);
        return { name, conditions: args.map((arg) => this.condition(arg)) };
      }
      case 'fold':
      case 'last':
      case 'lastReal': {
        const [arg, extra] = args ?? [];
        if (extra !== undefined) fail(`${name} takes at most one aggregation`, extra.start);
        return arg === undefined ? { name } : { name, aggregation: this.aggregation(arg) };
      }
      case 'limit': {
        const [arg, extra] = args ?? [];
        if (arg === undefined || extra !== undefined) fail('limit needs one whole number of at least 1, as in limit(10)', extra?.start ?? end);
        const count = this.number(arg, 'limit needs a whole number of at least 1');
        if (!Number.isSafeInteger(count) || count < 1) fail('limit needs a whole number of at least 1', arg.start);
        return { name, count };
      }
      case 'sort': {
        if (args === undefined || args.length === 0) fail('sort needs at least one key, as in sort(value(avg,descending))', end);
        return { name, keys: args.map((arg) => this.sortKey(arg)) };
      }
      case 'default': {
        const [arg, always, extra] = args ?? [];
        if (arg === undefined || extra !== undefined) fail('default needs a number and optionally "always", as in default(0,always)', extra?.start ?? end);
        const value = this.number(arg, 'default needs a number');
        if (always !== undefined && !(always.t === 'word' && always.text === 'always')) {
          fail('the second argument of default can only be "always"', always.start);
        }
        return { name, value, always: always !== undefined };
      }
      case 'rate': {
        const [arg, extra] = args ?? [];
        if (extra !== undefined) fail('rate takes at most one time unit, as in rate(5m)', extra.start);
        if (arg === undefined) return { name };
        return { name, per: this.duration(arg, 'rate', ['s', 'm', 'h', 'd', 'w', 'M', 'y'], false) };
      }
      case 'rollup': {
        const [aggregation, window, extra] = args ?? [];
        if (aggregation === undefined || window === undefined || extra !== undefined) {
          fail('rollup needs an aggregation and a window, as in rollup(avg,15m)', extra?.start ?? end);
        }
        const parsed = this.duration(window, 'rollup', ['s', 'm', 'h'], false);
        const seconds = parsed.amount * (parsed.unit === 'h' ? 3600 : parsed.unit === 'm' ? 60 : 1);
        if (seconds > 3600) fail('the rollup window must be at most 60 minutes', window.start);
        return { name, aggregation: this.aggregation(aggregation), window: parsed };
      }
      case 'timeshift': {
        const [arg, extra] = args ?? [];
        if (arg === undefined || extra !== undefined) fail('timeshift needs one time shift, as in timeshift(-1d)', extra?.start ?? end);
        return { name, shift: this.duration(arg, 'timeshift', ['s', 'm', 'h', 'd', 'w'], true) };
      }
      default:
        // checkTransformationName() let only the names above through.
        return fail(`unknown transformation "${name}"`, start);
    }
  }

  /** A quoted or unquoted string argument. */
  private text(term: Term, what: string): string {
    if (term.t === 'quoted') return term.value;
    if (term.t === 'word') return term.text;
    return fail(`expected ${what}, found ${term.t === 'call' ? `${term.name}(…)` : 'an entity selector'}`, term.start);
  }

  private number(term: Term, message: string): number {
    if (term.t !== 'word' || !NUMBER.test(term.text)) fail(message, term.start);
    const value = Number(term.text);
    if (!Number.isFinite(value)) fail(message, term.start);
    return value === 0 ? 0 : value; // no -0: it would not survive formatting
  }

  private percentile(term: Term): number {
    const message = 'percentile needs a number between 0 and 100';
    const value = this.number(term, message);
    if (value < 0 || value > 100) fail(message, term.start);
    return value;
  }

  private aggregation(term: Term): Aggregation {
    if (term.t === 'word' && includes(AGGREGATION_NAMES, term.text)) return { kind: term.text };
    if (term.t === 'call' && term.name === 'percentile') {
      const [arg, extra] = term.args;
      if (arg === undefined || extra !== undefined) fail('percentile needs a number between 0 and 100', extra?.start ?? term.start);
      return { kind: 'percentile', percentile: this.percentile(arg) };
    }
    const written = term.t === 'word' ? `"${term.text}"` : term.t === 'call' ? `"${term.name}(…)"` : 'this';
    return fail(`unknown aggregation ${written}; use ${AGGREGATION_LIST}`, term.start);
  }

  private duration(term: Term, owner: string, units: readonly TimeUnit[], signed: boolean): Duration {
    const example = signed ? `${owner}(-1d)` : `${owner}(5m)`;
    const match = term.t === 'word' ? DURATION.exec(term.text) : null;
    if (match === null) fail(`${owner} needs a duration such as ${example}`, term.start);
    const [, sign = '', digits = '', unit = ''] = match;
    if (!includes(units, unit)) fail(`${owner} takes the units ${units.join(' ')}, not "${unit}"`, term.start);
    if (sign === '-' && !signed) fail(`${owner} needs a positive duration such as ${example}`, term.start);
    // `rate(m)` reads naturally as "per minute"; elsewhere the amount is required.
    if (digits === '' && owner !== 'rate') fail(`${owner} needs an amount before the unit, as in ${example}`, term.start);
    const amount = digits === '' ? 1 : Number(digits);
    if (!Number.isSafeInteger(amount)) fail(`the amount in ${owner} is too large`, term.start);
    if (amount === 0 && !signed) fail(`${owner} needs a duration of at least 1${unit}`, term.start);
    return { amount: sign === '-' && amount !== 0 ? -amount : amount, unit };
  }

  private direction(term: Term | undefined, owner: string, fallback: number): SortDirection {
    if (term?.t === 'word' && (term.text === 'ascending' || term.text === 'descending')) return term.text;
    return fail(`${owner} needs a direction: ascending or descending`, term?.start ?? fallback);
  }

  private sortKey(term: Term): SortKey {
    if (term.t === 'call' && term.name === 'value') {
      const [aggregation, direction, extra] = term.args;
      if (aggregation === undefined) fail('value(…) needs an aggregation and a direction, as in value(avg,descending)', term.end - 1);
      if (extra !== undefined) fail('value(…) takes an aggregation and a direction', extra.start);
      return { kind: 'value', aggregation: this.aggregation(aggregation), direction: this.direction(direction, 'value(…)', term.end - 1) };
    }
    if (term.t === 'call' && term.name === 'dimension') {
      const [dimension, direction, order, extra] = term.args;
      if (dimension === undefined) fail('dimension(…) needs a dimension key and a direction, as in dimension("d",ascending)', term.end - 1);
      if (extra !== undefined) fail('dimension(…) takes a dimension key, a direction and optionally lexical or natural', extra.start);
      const key: SortKey = {
        kind: 'dimension',
        dimension: this.text(dimension, 'a dimension key'),
        direction: this.direction(direction, 'dimension(…)', term.end - 1),
      };
      if (order === undefined) return key;
      if (order.t !== 'word' || (order.text !== 'lexical' && order.text !== 'natural')) {
        fail('the sort order of dimension(…) is lexical or natural', order.start);
      }
      return { ...key, order: order.text };
    }
    return fail('expected a sort key: value(avg,descending) or dimension("d",ascending)', term.start);
  }

  private condition(term: Term): FilterCondition {
    if (term.t !== 'call') fail('expected a filter condition such as eq("dimension","value")', term.start);
    const { name, args } = term;
    const [first, second, extra] = args;
    if (includes(DIMENSION_OPERATORS, name)) {
      if (first === undefined || second === undefined || extra !== undefined) {
        fail(`${name} needs a dimension key and a value, as in ${name}("dt.entity.host","HOST-1")`, extra?.start ?? term.start);
      }
      return { kind: name, dimension: this.text(first, 'a dimension key'), value: this.text(second, 'a value') };
    }
    switch (name) {
      case 'in':
        if (first === undefined || second === undefined || extra !== undefined) {
          fail('in needs a dimension key and an entity selector, as in in("dt.entity.host",entitySelector("type(HOST)"))', extra?.start ?? term.start);
        }
        return { kind: 'in', dimension: this.text(first, 'a dimension key'), entitySelector: this.entitySelector(second) };
      case 'existsKey':
        if (first === undefined || second !== undefined) fail('existsKey needs one dimension key', second?.start ?? term.start);
        return { kind: 'existsKey', dimension: this.text(first, 'a dimension key') };
      case 'series': {
        if (first === undefined || second === undefined || extra !== undefined) {
          fail('series needs an aggregation and a comparison, as in series(avg,gt(5))', extra?.start ?? term.start);
        }
        const aggregation = this.aggregation(first);
        if (second.t !== 'call' || !includes(SERIES_OPERATORS, second.name)) {
          fail(`series compares with ${SERIES_OPERATORS.join(', ')}, as in series(avg,gt(5))`, second.start);
        }
        const [value, more] = second.args;
        if (value === undefined || more !== undefined) fail(`${second.name} needs one number`, more?.start ?? second.start);
        return { kind: 'series', aggregation, operator: second.name, value: this.number(value, `${second.name} needs a number`) };
      }
      case 'and':
      case 'or':
        if (first === undefined) fail(`${name} needs at least one condition`, term.end - 1);
        return { kind: name, conditions: args.map((arg) => this.condition(arg)) };
      case 'not':
        if (first === undefined || second !== undefined) fail('not needs exactly one condition', second?.start ?? term.end - 1);
        return { kind: 'not', condition: this.condition(first) };
      case 'remainder':
        return fail('the filter condition "remainder" is not supported here', term.start);
      default:
        return fail(`unknown filter condition "${name}"; use eq, ne, prefix, suffix, contains, in, existsKey, series, and, or or not`, term.start);
    }
  }

  /** `entitySelector("…")` (quoted, as documented) or the unquoted form already parsed in place. */
  private entitySelector(term: Term): EntitySelector {
    if (term.t === 'entity') return term.selector;
    const [arg, extra] = term.t === 'call' && term.name === 'entitySelector' ? term.args : [];
    if (arg === undefined || extra !== undefined || arg.t !== 'quoted') {
      return fail('expected entitySelector("…") with one quoted entity selector', extra?.start ?? term.start);
    }
    // Re-read the string with positions so errors inside it point into this input.
    const quoted = readQuoted(this.input, arg.start, true);
    const result = parseEntitySelectorWith(quoted.value, { depth: arg.depth });
    if (result.ok) return result.value;
    const offset = quoted.positions?.[result.error.offset] ?? arg.start;
    return fail(`in entitySelector: ${result.error.message}`, offset);
  }
}
