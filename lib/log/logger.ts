/**
 * The project's logger: every argument is turned into text and passed through {@link redactSecrets} before it
 * reaches the console, so a token that slips into an error, a header dump or a response body never gets printed.
 */
import { redactSecrets } from './redact';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Receives finished, already redacted lines. Inject one in tests or to forward logs elsewhere. */
export type LogSink = (level: LogLevel, line: string) => void;

/** A scoped logger; each method accepts anything `console.*` would and redacts it first. */
export interface Logger {
  readonly scope: string;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  /** A logger for a sub-scope (`client` -> `client:retry`) writing to the same sink. */
  child(scope: string): Logger;
}

/**
 * Default sink. `console.log`/`console.info` are reserved for command-line programs by the lint rules, so info goes
 * to `console.warn` like warnings; debug output is dropped unless a sink is injected, to keep extension consoles
 * quiet.
 */
export const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line);
  else if (level !== 'debug') console.warn(line);
};

/**
 * JSON.stringify that survives what log arguments contain: cycles, bigints, Errors (whose fields are not
 * enumerable) and objects whose getters throw.
 */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (typeof v === 'function' || typeof v === 'symbol') return undefined;
        if (v instanceof Error) return errorFields(v);
        if (v !== null && typeof v === 'object') {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? String(value)
    );
  } catch {
    // A throwing getter or toJSON: say so instead of losing the whole log line.
    return '[unserialisable]';
  }
}

/** The fields of an Error worth logging; an error's own `toJSON` (ApiError has one) wins. */
function errorFields(err: Error): unknown {
  const withJson = err as Error & { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return withJson.toJSON();
  return { name: err.name, message: err.message };
}

/** Turns one log argument into text (unredacted; the caller redacts the whole line). */
export function formatLogArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) {
    const fields = errorFields(arg);
    const head = `${arg.name}: ${arg.message}`;
    // The plain name/message pair is already in `head`; only richer error objects add a JSON tail.
    const tail = (arg as Error & { toJSON?: unknown }).toJSON !== undefined ? ` ${safeJson(fields)}` : '';
    return head + tail;
  }
  if (arg === undefined) return 'undefined';
  if (typeof arg === 'object' && arg !== null) return safeJson(arg);
  return String(arg);
}

/**
 * Creates a logger for `scope`. Lines look like `[scope] arg1 arg2 ...`; every line is redacted as a whole, so a
 * secret split across arguments' boundaries by formatting is still caught when it is contiguous in the output.
 */
export function createLogger(scope: string, sink: LogSink = consoleSink): Logger {
  const emit = (level: LogLevel, args: unknown[]): void => {
    let line: string;
    try {
      line = `[${scope}] ${args.map(formatLogArg).join(' ')}`;
    } catch {
      line = `[${scope}] [unformattable log arguments]`;
    }
    sink(level, redactSecrets(line));
  };
  return {
    scope,
    debug: (...args) => emit('debug', args),
    info: (...args) => emit('info', args),
    warn: (...args) => emit('warn', args),
    error: (...args) => emit('error', args),
    child: (sub) => createLogger(`${scope}:${sub}`, sink),
  };
}
