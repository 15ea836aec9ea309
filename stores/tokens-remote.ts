/**
 * The network half of the tokens store: the Dynatrace API client (ofetch, the response guards, the error model)
 * and the decoding of its errors. `stores/tokens.ts` loads this module with `import()` at the moment an action
 * sends a request (adding, creating, revoking, checking a token again), so the popup's list screen loads none of it.
 * Only `stores/tokens.ts` imports it, and only dynamically.
 */
import { ApiError, describeApiError } from '../lib/dynatrace';
import type { TokensError, TokensOperation } from './tokens';

export { clientForSecret, clientForToken, lookupStoredToken } from '../platform/api';

/** The scope a token needs to create (and revoke) personal access tokens (same as `WRITE_SCOPE`). */
const WRITE_SCOPE = 'apiTokens.write';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The server says there is no such token (revoking one that is already gone). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.kind === 'not-found';
}

/**
 * Decodes an {@link ApiError} of a token action; `null` for any other error (the store decodes those itself).
 * `where` is the environment's origin, named in unreachable-host messages.
 */
export function decodeApiError(operation: TokensOperation, error: unknown, base: Pick<TokensError, 'operation' | 'tokenId'>, where = ''): TokensError | null {
  if (!(error instanceof ApiError)) return null;
  const api = { ...base, apiKind: error.kind };
  switch (error.kind) {
    case 'token-expired':
      return { ...api, code: 'expired', message: 'This token has expired (401). Create a new one.' };
    case 'validation':
      if (error.reason === 'token-limit') return { ...api, code: 'token-limit', message: describeApiError(error) };
      break;
    case 'missing-scope':
      if (operation === 'create' || operation === 'revoke') {
        return { ...api, code: 'missing-write-scope', message: `The token used for this lacks the scope ${WRITE_SCOPE} (403).` };
      }
      break;
    case 'network':
      return { ...api, code: 'unreachable', message: `${where ? hostOf(where) : 'The environment'} could not be reached. Check the environment URL (SaaS: https://<id>.live.dynatrace.com) and your network connection.` };
    case 'redirect':
    case 'bad-response':
      return { ...api, code: 'unreachable', message: `${where ? hostOf(where) : 'This address'} did not answer like a Dynatrace environment. ${describeApiError(error)}` };
    case 'not-found':
      if (operation === 'add') {
        return { ...api, code: 'unreachable', message: `${where ? hostOf(where) : 'This address'} has no Dynatrace token API (404). Check the environment URL.` };
      }
      break;
    case 'token-invalid':
      if (error.reason === undefined) {
        return { ...api, code: 'api', message: 'The environment rejected this token (401): it is unknown, mistyped, revoked, or belongs to another environment.' };
      }
      break;
    default:
      break;
  }
  return { ...api, code: 'api', message: describeApiError(error) };
}
