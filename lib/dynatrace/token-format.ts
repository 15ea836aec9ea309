/**
 * Dynatrace access-token format helpers (docs/dynatrace-api-notes.md §1.1).
 *
 * A token is `<prefix>.<public>.<secret>`: the prefix `dt0c01` marks classic API tokens and personal access
 * tokens, the public part is 24 and the secret 64 characters of `[A-Z0-9]`. The token id (`prefix.public`) is what
 * the Token API calls `id` and is safe to show and log; the secret part never is.
 */

/** The only token format Tokenscope sends: `dt0c01.<24 [A-Z0-9]>.<64 [A-Z0-9]>`. */
export const TOKEN_PATTERN = /^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$/;

/** A token id: `dt0c01.<24 [A-Z0-9]>`. */
export const TOKEN_ID_PATTERN = /^dt0c01\.[A-Z0-9]{24}$/;

/** True if `value` is a well-formed `dt0c01` token (prefix, public part and secret). */
export function isTokenFormat(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** True if `value` is a token id (`dt0c01.<public>`), i.e. a token without its secret. */
export function isTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value);
}

/**
 * The id of a token: `dt0c01.<public>`. Throws on a malformed token rather than guessing, because a wrong
 * split could put part of the secret into something that is displayed.
 */
export function tokenId(token: string): string {
  if (!isTokenFormat(token)) throw new TypeError('Not a dt0c01 token; cannot derive its id.');
  return token.slice(0, token.lastIndexOf('.'));
}

/** Result of {@link checkTokenFormat}: why a pasted value is not a usable token, in words for the UI. */
export type TokenFormatCheck =
  | { ok: true; value: { token: string; id: string } }
  | { ok: false; error: { message: string } };

/**
 * Validates a pasted token (surrounding whitespace is trimmed, nothing else is changed) and explains what is
 * wrong. Messages never echo the input: it may be a secret with a typo.
 */
export function checkTokenFormat(input: string): TokenFormatCheck {
  const token = input.trim();
  if (isTokenFormat(token)) return { ok: true, value: { token, id: tokenId(token) } };
  const parts = token.split('.');
  let message: string;
  if (token === '') message = 'Enter a token.';
  else if (parts[0] !== 'dt0c01') message = 'A personal access token starts with "dt0c01.".';
  else if (parts.length !== 3) message = 'A token has three parts separated by dots: dt0c01.<public part>.<secret>.';
  else if (!/^[A-Z0-9]{24}$/.test(parts[1] ?? '')) message = 'The public part must be 24 characters A-Z or 0-9.';
  else message = 'The secret part must be 64 characters A-Z or 0-9.';
  return { ok: false, error: { message } };
}
