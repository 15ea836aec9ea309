/**
 * Character-level helpers shared by both parsers. Everything works on char codes and indices so
 * scanning stays linear on large inputs (no slicing in loops, no backtracking regular expressions).
 */
import { fail } from './result';

/** Char codes of the characters the selector grammars care about. */
export const CH = {
  tab: 9,
  lf: 10,
  vt: 11,
  ff: 12,
  cr: 13,
  space: 32,
  quote: 34, // "
  lparen: 40,
  rparen: 41,
  star: 42,
  plus: 43,
  comma: 44,
  minus: 45,
  dot: 46,
  slash: 47,
  colon: 58,
  lbracket: 91,
  backslash: 92,
  rbracket: 93,
  underscore: 95,
  tilde: 126,
} as const;

/** White space allowed between the parts of a selector (spaces, tabs, line breaks). */
export function isSpace(c: number): boolean {
  return c === CH.space || (c >= CH.tab && c <= CH.cr);
}

/** `0`–`9`. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ASCII letters. */
export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Letters, digits and `_`: the characters of criterion, property and transformation names. */
export function isIdentChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === CH.underscore;
}

/** First character of a name: a letter or `_`. */
export function isIdentStart(c: number): boolean {
  return isLetter(c) || c === CH.underscore;
}

/** Index of the first non-space character at or after `pos`. */
export function skipSpace(input: string, pos: number): number {
  let i = pos;
  while (i < input.length && isSpace(input.charCodeAt(i))) i++;
  return i;
}

/** Index just after the identifier starting at `pos` (equal to `pos` when there is none). */
export function scanIdent(input: string, pos: number): number {
  if (!isIdentStart(input.charCodeAt(pos))) return pos;
  let i = pos + 1;
  while (i < input.length && isIdentChar(input.charCodeAt(i))) i++;
  return i;
}

/** A quoted string after unescaping, and where its closing quote ended. */
export interface QuotedString {
  readonly value: string;
  /** Index just after the closing quote. */
  readonly end: number;
  /**
   * Only when requested: `positions[i]` is the input offset of `value[i]` (of the escape for
   * escaped characters), and `positions[value.length]` is the offset of the closing quote.
   * Lets an error inside an embedded selector point into the outer input.
   */
  readonly positions?: readonly number[];
}

/**
 * Reads a `"…"` string starting at `pos` (which must hold the opening quote). Inside quotes `~"`
 * stands for a quote and `~~` for a tilde, the escape both Dynatrace selector languages document;
 * any other `~x` is reported rather than guessed, so a typo does not silently change a value.
 */
export function readQuoted(input: string, pos: number, withPositions = false): QuotedString {
  const parts: string[] = [];
  const positions: number[] | undefined = withPositions ? [] : undefined;
  let runStart = pos + 1;
  let i = pos + 1;
  while (i < input.length) {
    const c = input.charCodeAt(i);
    if (c === CH.quote) {
      parts.push(input.slice(runStart, i));
      if (positions) for (let k = runStart; k <= i; k++) positions.push(k);
      const value = parts.join('');
      return positions ? { value, end: i + 1, positions } : { value, end: i + 1 };
    }
    if (c === CH.tilde) {
      const next = input.charCodeAt(i + 1);
      if (next !== CH.quote && next !== CH.tilde) {
        if (Number.isNaN(next)) break; // unterminated; reported below
        fail(`unknown escape "~${input.charAt(i + 1)}" inside quotes: write ~" for a quote and ~~ for a tilde`, i);
      }
      parts.push(input.slice(runStart, i), input.charAt(i + 1));
      if (positions) for (let k = runStart; k <= i; k++) positions.push(k);
      i += 2;
      runStart = i;
      continue;
    }
    i++;
  }
  return fail('this quoted value has no closing quote', pos);
}

/** Wraps a value in quotes, escaping `~` and `"` with `~` (inverse of {@link readQuoted}). */
export function quote(value: string): string {
  return `"${value.replace(/[~"]/g, '~$&')}"`;
}
