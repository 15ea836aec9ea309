/**
 * Secret redaction for everything that may end up in a log line, an error message or a report.
 *
 * Dynatrace tokens look like `dt0c01.<24 public>.<64 secret>`; the part up to the second dot is the token id,
 * which is safe to show (the Token API itself uses it as `id`). Only the secret part is replaced, so a redacted
 * line still says *which* token was involved.
 */

/** What replaces a secret. Short and obviously not a token, so it cannot be mistaken for one. */
export const REDACTED = '***';

/**
 * Any Dynatrace token (`dt0c01`, `dt0s16`, ...): the documented detection pattern, prefix letter case-insensitive
 * (Dynatrace documents `dt0[a-zA-Z]{1}[0-9]{2}`). Not anchored: a token glued to other text is still a token.
 */
const TOKEN_RE = /(dt0[a-z]\d\d\.[A-Z0-9]{24})\.[A-Z0-9]{64}/gi;

/**
 * The value of an `Authorization: Api-Token <value>` header, however it was printed, and the `api-token=<value>`
 * query parameter Dynatrace also accepts. Whatever follows is treated as secret even when it is not a well-formed
 * token (a bare 64-char secret, an old-format token, a typo), because a header value is never safe to print.
 */
const HEADER_VALUE_RE = /(Api-Token\s+|api-token=)([^\s"',;&)}\]]+)/gi;

/**
 * A free-standing run of exactly 64 `[A-Z0-9]`: the shape of a token secret on its own (e.g. a JSON field holding
 * just the secret). Upper case only, so lower-case hex digests (SHA-256) survive; a false positive costs a log
 * detail, a false negative a secret.
 */
const BARE_SECRET_RE = /(?<![A-Za-z0-9])[A-Z0-9]{64}(?![A-Za-z0-9])/g;

/** A full, well-formed token value; used to keep the public id when a header value is redacted. */
const WHOLE_TOKEN_RE = /^(dt0[a-z]\d\d\.[A-Z0-9]{24})\.[A-Z0-9]{64}$/i;

/** Escapes a literal for use inside a RegExp. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every token secret in `text` with `***`, keeping the token id (`dt0c01.<public>.***`).
 *
 * Besides the token pattern it redacts free-standing 64-character `[A-Z0-9]` runs (a secret on its own), the
 * value after an `Api-Token ` prefix or an `api-token=` parameter, and every occurrence of the strings in `known`
 * (secrets the caller knows are in play, e.g. the token of the current request: a server could echo it in a shape
 * the patterns do not recognise, such as the secret in lower case or glued to other text).
 * Known strings shorter than 8 characters are ignored: redacting them would shred ordinary text and they are not
 * Dynatrace secrets anyway.
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret.length < 8) continue;
    const whole = WHOLE_TOKEN_RE.exec(secret);
    if (whole?.[1] !== undefined) {
      // Whole token first so its id survives; then the bare secret part, which servers may echo on its own.
      out = out.split(secret).join(`${whole[1]}.${REDACTED}`);
      const bare = secret.slice(whole[1].length + 1);
      out = out.replace(new RegExp(escapeRegExp(bare), 'gi'), REDACTED);
    } else {
      out = out.replace(new RegExp(escapeRegExp(secret), 'gi'), REDACTED);
    }
  }
  out = out.replace(TOKEN_RE, (_m, id: string) => `${id}.${REDACTED}`);
  out = out.replace(BARE_SECRET_RE, REDACTED);
  out = out.replace(HEADER_VALUE_RE, (_m, prefix: string, value: string) => {
    if (value === REDACTED) return `${prefix}${value}`;
    const id = /^(dt0[a-z]\d\d\.[A-Z0-9]{24})\./i.exec(value)?.[1];
    return id !== undefined ? `${prefix}${id}.${REDACTED}` : `${prefix}${REDACTED}`;
  });
  return out;
}

/**
 * Deep-copies a JSON-like value with every string (keys included) passed through {@link redactSecrets}.
 * Used for error envelopes that are kept for display: a server may echo the token anywhere in its body.
 * Keys are copied with `Object.fromEntries` (a data property even for `__proto__`), so a hostile body cannot
 * change the copy's prototype. Depth is bounded; anything deeper is replaced by a marker.
 */
export function redactDeep(value: unknown, known: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value, known);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, known, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [redactSecrets(k, known), redactDeep(v, known, depth + 1)]),
  );
}
