/**
 * The client's single error type and the one place that builds it.
 *
 * Every failure of a Dynatrace call (HTTP error, network, deadline, abort, redirect, unusable body) becomes an
 * {@link ApiError} with a `kind` the UI can explain, via {@link toApiError}. Real Dynatrace messages and the
 * sandbox's decided messages (docs/sandbox-behaviour.md, "Decided responses") are decoded by stable,
 * case-insensitive phrases; unknown messages fall back to a kind by status.
 *
 * Secrets: an ApiError never holds headers, request options or the original `fetch` error (whose request options
 * carry the `Authorization` header). Every string it keeps is redacted on construction, with the known secrets of
 * the request and with the generic token pattern, so even a server that echoes the token cannot leak it through an
 * error message, `String(err)`, `JSON.stringify(err)` or a log line.
 */
import { REDACTED, redactDeep, redactSecrets } from '../log/redact';
import { type HeaderReader, serverRequestedDelayMs } from './retry';
import type { ConstraintViolation } from './types';

/**
 * What went wrong, for the UI. Two kinds are this client's own, named by no server message:
 * - `forbidden`: a 403 whose message is none of the known ones. Calling it `owner-permission` would send users to
 *   their administrator for what may be a scope, a v1 route or something new.
 * - `redirect`: the environment answered with a redirect the client will not follow with the token (to another
 *   origin, or unreadable in a browser). Usually a wrong environment URL, e.g. a login page.
 */
export const API_ERROR_KINDS = [
  'missing-scope',
  'zone-denied',
  'owner-permission',
  'forbidden',
  'token-expired',
  'token-invalid',
  'pat-disabled',
  'pat-v1-only',
  'rate-limited',
  'validation',
  'not-found',
  'server',
  'network',
  'timeout',
  'aborted',
  'redirect',
  'bad-response',
] as const;
export type ApiErrorKind = (typeof API_ERROR_KINDS)[number];

/**
 * A finer cause inside a kind:
 * - `token-invalid`: `missing-token` (no token sent), `token-disabled` (revoked), `malformed-token` (not
 *   `dt0c01.<24>.<64>`; nothing was sent);
 * - `validation`: `token-limit` (the five-PATs-per-user limit), `ingest-lines` (metrics ingest rejected lines);
 * - `redirect`: `cross-origin`, `opaque` (browser hides the target), `too-many`, `no-location`;
 * - `bad-response`: `not-json`, `empty-body`, `schema`, `repeated-page-key`, `page-cap`, `unexpected-status`.
 */
export type ApiErrorReason =
  | 'missing-token'
  | 'token-disabled'
  | 'malformed-token'
  | 'token-limit'
  | 'ingest-lines'
  | 'cross-origin'
  | 'opaque'
  | 'too-many'
  | 'no-location'
  | 'not-json'
  | 'empty-body'
  | 'schema'
  | 'repeated-page-key'
  | 'page-cap'
  | 'unexpected-status';

/** A scope named in a "missing required scope" message: `metrics.read (Read metrics)`. */
export interface MissingScope {
  readonly name: string;
  /** The human title Dynatrace adds in newer versions, e.g. `Read metrics`. */
  readonly title?: string;
}

/** Everything an ApiError can carry. Strings are redacted by the constructor. */
export interface ApiErrorInit {
  kind: ApiErrorKind;
  reason?: ApiErrorReason;
  /** HTTP status; absent for network, timeout, abort and checks made before sending. */
  status?: number;
  method: string;
  /** Request path; a query string is cut off defensively. */
  path: string;
  /** `error.message` of the envelope (or the ingest error message). */
  serverMessage?: string;
  /** The parsed error body, kept for display (redacted). */
  envelope?: unknown;
  /** First characters of a body that was not JSON (redacted). */
  body?: string;
  scopes?: readonly MissingScope[];
  zone?: string;
  user?: string;
  permission?: string;
  retryAfterMs?: number;
  violations?: readonly ConstraintViolation[];
  /** Origin a redirect pointed at (never its path or query). */
  redirectOrigin?: string;
  timeoutMs?: number;
  /** Extra technical detail (a network error's message, a schema problem). */
  detail?: string;
  /** Secrets known to be in play; used for redaction and never stored. */
  secrets?: readonly string[];
}

const DEFAULT_SERVER_TEXT: Partial<Record<ApiErrorKind, string>> = {
  network: 'network error',
  timeout: 'deadline exceeded',
  aborted: 'aborted',
};

/** The one error type of the Dynatrace client. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly kind: ApiErrorKind;
  readonly reason?: ApiErrorReason;
  readonly status?: number;
  readonly method: string;
  readonly path: string;
  readonly serverMessage?: string;
  readonly envelope?: unknown;
  readonly body?: string;
  readonly scopes?: readonly MissingScope[];
  readonly zone?: string;
  readonly user?: string;
  readonly permission?: string;
  readonly retryAfterMs?: number;
  readonly violations?: readonly ConstraintViolation[];
  readonly redirectOrigin?: string;
  readonly timeoutMs?: number;
  readonly detail?: string;

  constructor(init: ApiErrorInit) {
    const known = init.secrets ?? [];
    const r = (s: string | undefined): string | undefined => (s === undefined ? undefined : redactSecrets(s, known));
    const method = init.method.toUpperCase();
    const path = redactSecrets(init.path.split(/[?#]/)[0] ?? '', known);
    const serverMessage = r(init.serverMessage);
    const detail = r(init.detail);
    const what = serverMessage ?? detail ?? DEFAULT_SERVER_TEXT[init.kind] ?? '';
    const statusText = init.status === undefined ? '' : ` ${init.status}`;
    const reasonText = init.reason === undefined ? '' : `/${init.reason}`;
    super(redactSecrets(`${method} ${path} failed${statusText} (${init.kind}${reasonText})${what ? `: ${what}` : ''}`, known));

    this.kind = init.kind;
    this.method = method;
    this.path = path;
    // Optional fields are only set when present, so `toJSON` and `toEqual` stay tidy.
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.status !== undefined) this.status = init.status;
    if (serverMessage !== undefined) this.serverMessage = serverMessage;
    if (init.envelope !== undefined) this.envelope = redactDeep(init.envelope, known);
    if (init.body !== undefined) this.body = redactSecrets(init.body, known).slice(0, 300);
    if (init.scopes !== undefined) {
      this.scopes = init.scopes.map((s) => {
        const name = redactSecrets(s.name, known);
        return s.title === undefined ? { name } : { name, title: redactSecrets(s.title, known) };
      });
    }
    if (init.zone !== undefined) this.zone = r(init.zone);
    if (init.user !== undefined) this.user = r(init.user);
    if (init.permission !== undefined) this.permission = r(init.permission);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.violations !== undefined) this.violations = redactDeep(init.violations, known) as ConstraintViolation[];
    if (init.redirectOrigin !== undefined) this.redirectOrigin = r(init.redirectOrigin);
    if (init.timeoutMs !== undefined) this.timeoutMs = init.timeoutMs;
    if (detail !== undefined) this.detail = detail;
    // The stack repeats the (redacted) message; nothing else to scrub.
  }

  /** A plain, secret-free object for logs, reports and structured clone. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, kind: this.kind };
    for (const key of [
      'reason', 'status', 'method', 'path', 'message', 'serverMessage', 'scopes', 'zone', 'user', 'permission',
      'retryAfterMs', 'violations', 'redirectOrigin', 'timeoutMs', 'detail', 'envelope', 'body',
    ] as const) {
      const value = this[key];
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
}

/** Type guard for catch blocks. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

// ---- decoding server messages ---------------------------------------------------------------------------------

/** Any quote Dynatrace or the sandbox might put around a name. */
const Q = `['"\u2018\u2019\u201c\u201d]`;
const QUOTED = `${Q}([^'"\u2018\u2019\u201c\u201d]*)${Q}`;

const RE = {
  missingScope: /missing required scope/i,
  useOneOf: /use one of:/i,
  zone: new RegExp(`management zone\\s+${QUOTED}\\s+is not accessible(?:\\s+to user\\s+${QUOTED})?`, 'i'),
  ownerPermission: new RegExp(`user\\s+${QUOTED}\\s+lacks the permission\\s+${QUOTED}`, 'i'),
  patV1: /personal access tokens? can only be used with (?:the )?api v2/i,
  patDisabled: /personal access tokens (?:are|have been) disabled/i,
  expired: /token (?:has )?expired|token is expired/i,
  tokenDisabled: /token (?:is|has been|was) (?:disabled|revoked)/i,
  missingAuth: /missing authorization parameter/i,
  tokenLimit: new RegExp(`maximum of (\\w+) personal access tokens(?: for user ${QUOTED})? is reached`, 'i'),
} as const;

/**
 * Parses the scope list of `Token is missing required scope. Use one of: a (A), b (B)`; also the old form
 * without titles (`Use one of: ExternalSyntheticIntegration`). Commas inside a title's parentheses are kept.
 */
export function parseMissingScopes(message: string): MissingScope[] {
  const at = RE.useOneOf.exec(message);
  if (at === null) return [];
  const list = message.slice(at.index + at[0].length);
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  const scopes: MissingScope[] = [];
  for (const raw of items) {
    const scope = parseScopeItem(raw);
    if (scope !== undefined) scopes.push(scope);
  }
  return scopes;
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && ch.trim() === '';

/**
 * One item of the list: `name`, `name (title)`, either with a closing period. The name runs up to
 * whitespace or `(` (periods at its end are punctuation); the title spans from the first `(` to the
 * last `)`. Anything else after the name makes the item unreadable. A scan, not a regex: the message
 * comes from the server, and the equivalent pattern backtracked cubically on runs of whitespace.
 */
function parseScopeItem(raw: string): MissingScope | undefined {
  const item = raw.trim();
  let end = 0;
  while (end < item.length && item[end] !== '(' && item[end] !== ')' && !isSpace(item[end])) end++;
  let nameEnd = end;
  while (nameEnd > 0 && item[nameEnd - 1] === '.') nameEnd--;
  const name = item.slice(0, nameEnd);
  if (name === '') return undefined;
  let rest = item.slice(end).trim();
  if (rest.endsWith('.')) rest = rest.slice(0, -1).trimEnd();
  if (rest === '') return { name };
  if (!rest.startsWith('(') || !rest.endsWith(')')) return undefined;
  const title = rest.slice(1, -1).trim();
  return title === '' ? { name } : { name, title };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Constraint violations of an envelope, keeping only well-formed entries. */
function violationsOf(envelope: unknown): ConstraintViolation[] | undefined {
  if (!isRecord(envelope) || !isRecord(envelope.error)) return undefined;
  const list = envelope.error.constraintViolations;
  if (!Array.isArray(list)) return undefined;
  return list.filter(isRecord).map((v) => {
    const out: ConstraintViolation = {};
    if (typeof v.path === 'string') out.path = v.path;
    if (typeof v.message === 'string') out.message = v.message;
    if (typeof v.parameterLocation === 'string') out.parameterLocation = v.parameterLocation as ConstraintViolation['parameterLocation'];
    if (typeof v.location === 'string' || v.location === null) out.location = v.location;
    return out;
  });
}

/** Invalid lines of a metrics-ingest `ValidationResponse`, as violations. */
function ingestViolationsOf(body: unknown): ConstraintViolation[] | undefined {
  if (!isRecord(body) || !('linesInvalid' in body || 'linesOk' in body)) return undefined;
  const error = body.error;
  if (!isRecord(error) || !Array.isArray(error.invalidLines)) return [];
  return error.invalidLines.filter(isRecord).map((l) => ({
    path: typeof l.line === 'number' ? `line ${l.line}` : 'line',
    message: typeof l.error === 'string' ? l.error : 'invalid line',
    parameterLocation: 'PAYLOAD_BODY' as const,
  }));
}

function messageOf(body: unknown): string | undefined {
  if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string') return body.error.message;
  return undefined;
}

// ---- building errors ------------------------------------------------------------------------------------------

/** What happened, as observed by the client. */
export type ApiErrorSource =
  /** An HTTP answer outside 2xx. `body` is the raw text; it is parsed here. */
  | { type: 'response'; status: number; headers?: HeaderReader; body?: string }
  | { type: 'network'; cause?: unknown }
  | { type: 'timeout'; timeoutMs: number }
  | { type: 'aborted' }
  | { type: 'redirect'; reason: 'cross-origin' | 'opaque' | 'too-many' | 'no-location'; status?: number; location?: string }
  | { type: 'bad-response'; reason: ApiErrorReason; status?: number; detail?: string; body?: string }
  | { type: 'invalid-token' }
  /** A request the client refuses to send (e.g. an id that would change the path); nothing was sent. */
  | { type: 'invalid-request'; detail: string };

/** Request context of an error. */
export interface ApiErrorContext {
  method: string;
  path: string;
  /** Secrets in play for this request (the token, a looked-up token); redacted wherever they appear. */
  secrets?: readonly string[];
  /** Clock for HTTP-date `Retry-After` (default `Date.now`). */
  now?: () => number;
}

/** A short, redacted description of a thrown network error (and its cause, e.g. `ECONNREFUSED`). */
function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return cause === undefined ? undefined : String(cause);
  const inner = (cause as Error & { cause?: unknown }).cause;
  const innerText = inner instanceof Error ? inner.message : undefined;
  return innerText !== undefined && innerText !== cause.message ? `${cause.message} (${innerText})` : cause.message;
}

/**
 * Builds the ApiError for a failure. This is the only place that maps statuses and messages to kinds:
 *
 * | status | message (case-insensitive phrase)                              | kind / reason                   |
 * | ------ | -------------------------------------------------------------- | ------------------------------- |
 * | 4xx    | `Management zone '<z>' is not accessible to user '<u>'`        | zone-denied (zone, user)        |
 * | 4xx    | `User '<u>' lacks the permission '<p>'`                        | owner-permission (user, perm.)  |
 * | 4xx    | `Personal access tokens can only be used with API v2`          | pat-v1-only                     |
 * | 4xx    | `Token is missing required scope. Use one of: a (A), b (B)`     | missing-scope (scopes)          |
 * | 4xx    | `personal access tokens are disabled`                          | pat-disabled                    |
 * | 4xx    | `token has expired`                                            | token-expired                   |
 * | 4xx    | `token is disabled`                                            | token-invalid / token-disabled  |
 * | 4xx    | `Missing authorization parameter.`                             | token-invalid / missing-token   |
 * | 4xx    | `The maximum of five personal access tokens ... is reached`    | validation / token-limit        |
 * | 429    | any (`Retry-After`, `X-RateLimit-Reset`)                        | rate-limited (retryAfterMs)     |
 * | 400    | other (constraint violations kept)                             | validation                      |
 * | 401    | other (`Token Authentication failed`)                          | token-invalid                   |
 * | 403    | other                                                          | forbidden                       |
 * | 404/410| any                                                            | not-found                       |
 * | 408    | any                                                            | timeout                         |
 * | 4xx    | other (405, 406, 413, 415, ...)                                 | validation                      |
 * | 5xx    | any                                                            | server                          |
 * | other  | any                                                            | bad-response / unexpected-status|
 *
 * Without an HTTP answer: `network`, `timeout`, `aborted`, `redirect` (not followed), `bad-response` (2xx body
 * not JSON / empty / failing its guard, paging stopped), `invalid-token` -> token-invalid/malformed-token and
 * `invalid-request` -> validation (nothing was sent in either case).
 */
export function toApiError(source: ApiErrorSource, context: ApiErrorContext): ApiError {
  const base = { method: context.method, path: context.path, ...(context.secrets ? { secrets: context.secrets } : {}) };
  switch (source.type) {
    case 'network': {
      const detail = describeCause(source.cause);
      return new ApiError({ ...base, kind: 'network', ...(detail === undefined ? {} : { detail }) });
    }
    case 'timeout':
      return new ApiError({ ...base, kind: 'timeout', timeoutMs: source.timeoutMs });
    case 'aborted':
      return new ApiError({ ...base, kind: 'aborted' });
    case 'invalid-token':
      return new ApiError({ ...base, kind: 'token-invalid', reason: 'malformed-token', detail: 'token is not in dt0c01 format; not sent' });
    case 'invalid-request':
      return new ApiError({ ...base, kind: 'validation', detail: source.detail });
    case 'redirect': {
      let redirectOrigin: string | undefined;
      if (source.location !== undefined) {
        try {
          redirectOrigin = new URL(source.location).origin;
        } catch {
          redirectOrigin = undefined;
        }
      }
      return new ApiError({
        ...base,
        kind: 'redirect',
        reason: source.reason,
        ...(source.status === undefined ? {} : { status: source.status }),
        ...(redirectOrigin === undefined ? {} : { redirectOrigin, detail: `redirect to ${redirectOrigin} not followed` }),
      });
    }
    case 'bad-response':
      return new ApiError({
        ...base,
        kind: 'bad-response',
        reason: source.reason,
        ...(source.status === undefined ? {} : { status: source.status }),
        ...(source.detail === undefined ? {} : { detail: source.detail }),
        ...(source.body === undefined ? {} : { body: source.body }),
      });
    case 'response':
      return fromResponse(source, context, base);
  }
}

function fromResponse(
  source: Extract<ApiErrorSource, { type: 'response' }>,
  context: ApiErrorContext,
  base: Pick<ApiErrorInit, 'method' | 'path' | 'secrets'>,
): ApiError {
  const { status } = source;
  const text = source.body ?? '';
  let parsed: unknown;
  let isJson = false;
  if (text.trim() !== '') {
    try {
      parsed = JSON.parse(text) as unknown;
      isJson = true;
    } catch {
      parsed = undefined;
    }
  }
  const serverMessage = isJson ? messageOf(parsed) : undefined;
  const common: ApiErrorInit = {
    ...base,
    kind: 'server',
    status,
    ...(serverMessage === undefined ? {} : { serverMessage }),
    ...(isJson ? { envelope: parsed } : text.trim() === '' ? {} : { body: text }),
  };
  const make = (init: Partial<ApiErrorInit> & { kind: ApiErrorKind }): ApiError => new ApiError({ ...common, ...init });
  const msg = serverMessage ?? '';

  if (status === 429) {
    const retryAfterMs = serverRequestedDelayMs(source.headers, (context.now ?? Date.now)());
    return make({ kind: 'rate-limited', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }

  if (status >= 400 && status < 500 && msg !== '') {
    let m: RegExpExecArray | null;
    if ((m = RE.zone.exec(msg))) {
      return make({ kind: 'zone-denied', zone: m[1] ?? '', ...(m[2] === undefined ? {} : { user: m[2] }) });
    }
    if ((m = RE.ownerPermission.exec(msg))) {
      return make({ kind: 'owner-permission', user: m[1] ?? '', permission: m[2] ?? '' });
    }
    if (RE.patV1.test(msg)) return make({ kind: 'pat-v1-only' });
    if (RE.missingScope.test(msg)) return make({ kind: 'missing-scope', scopes: parseMissingScopes(msg) });
    if (RE.patDisabled.test(msg)) return make({ kind: 'pat-disabled' });
    if (RE.expired.test(msg)) return make({ kind: 'token-expired' });
    if (RE.tokenDisabled.test(msg)) return make({ kind: 'token-invalid', reason: 'token-disabled' });
    if (RE.missingAuth.test(msg)) return make({ kind: 'token-invalid', reason: 'missing-token' });
    if ((m = RE.tokenLimit.exec(msg))) {
      return make({ kind: 'validation', reason: 'token-limit', ...(m[2] === undefined ? {} : { user: m[2] }) });
    }
  }

  if (status === 400) {
    const ingest = ingestViolationsOf(parsed);
    if (ingest !== undefined) {
      const ingestMessage = isRecord(parsed) && isRecord(parsed.error) && typeof parsed.error.message === 'string'
        ? parsed.error.message
        : undefined;
      return make({ kind: 'validation', reason: 'ingest-lines', violations: ingest, ...(ingestMessage ? { serverMessage: ingestMessage } : {}) });
    }
    const violations = violationsOf(parsed);
    return make({ kind: 'validation', ...(violations === undefined ? {} : { violations }) });
  }
  if (status === 401) return make({ kind: 'token-invalid' });
  if (status === 403) return make({ kind: 'forbidden' });
  if (status === 404 || status === 410) return make({ kind: 'not-found' });
  if (status === 408) return make({ kind: 'timeout' });
  if (status >= 400 && status < 500) {
    const violations = violationsOf(parsed);
    return make({ kind: 'validation', ...(violations === undefined ? {} : { violations }) });
  }
  if (status >= 500 && status < 600) return make({ kind: 'server' });
  return make({ kind: 'bad-response', reason: 'unexpected-status' });
}

/** Marker used in redacted text; re-exported for tests and UIs that want to explain it. */
export { REDACTED };
