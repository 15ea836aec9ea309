/**
 * Result and error plumbing shared by the selector parsers.
 *
 * The parsers are recursive descent and stop at the first problem, so internally they throw a
 * {@link SelectorSyntaxError} and the exported entry points turn it into a {@link ParseResult}.
 * Nothing else is caught silently: an unexpected exception becomes an "internal error" result
 * whose message names the bug, so callers never see a throw but a bug still shows up.
 */

/** Where a selector went wrong: a sentence for a person and the 0-based offset in the input. */
export interface SelectorError {
  readonly message: string;
  /** 0-based UTF-16 offset into the parsed string; `input.length` means "at the end". */
  readonly offset: number;
}

/** Outcome of a parser: never thrown, always returned. */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SelectorError };

/** Internal control flow for the parsers; never escapes the exported functions. */
export class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'SelectorSyntaxError';
  }
}

/** Throws a {@link SelectorSyntaxError}; typed `never` so callers can use it in expressions. */
export function fail(message: string, offset: number): never {
  throw new SelectorSyntaxError(message, offset);
}

/**
 * Runs a parser and converts its outcome into a {@link ParseResult}.
 * Syntax errors are the expected failure; anything else is a bug in the parser and is reported
 * as such (with the message) rather than thrown, because callers (the sandbox's request
 * handlers, the dashboard's query box) rely on "never throws".
 */
export function runParser<T>(input: string, parse: () => T): ParseResult<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof SelectorSyntaxError) {
      return { ok: false, error: { message: error.message, offset: clampOffset(error.offset, input) } };
    }
    // A RangeError here would mean the depth limit failed; say so instead of hiding it.
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, error: { message: `internal error in the selector parser (${detail})`, offset: 0 } };
  }
}

function clampOffset(offset: number, input: string): number {
  if (!Number.isFinite(offset) || offset < 0) return 0;
  return Math.min(Math.trunc(offset), input.length);
}

/** Most nesting levels (parentheses, `not`, relationships, operators) a selector may have. */
export const MAX_NESTING_DEPTH = 32;

/** The message used whenever {@link MAX_NESTING_DEPTH} is exceeded. */
export const TOO_DEEP_MESSAGE = `the selector is nested too deeply (at most ${MAX_NESTING_DEPTH} levels)`;

/**
 * Shows a piece of the input in an error message, shortened from the left so the part next to
 * the problem stays visible (`expected a closing parenthesis after tag("env"`).
 */
export function excerpt(input: string, start: number, end: number): string {
  const from = Math.max(start, end - 40);
  const text = input.slice(from, end).replace(/\s+/g, ' ').trim();
  return from > start ? `…${text}` : text;
}
