/**
 * The one place that turns a failure into what people read: {@link describeFailure} takes anything a catch block
 * can hold (an {@link ApiError} of the client, a {@link Failure} of Tokenscope's own rules, an error of the
 * platform, which carries a {@link FailureCode}, or something unexpected) and gives a {@link FailureView}: a short
 * title, a sentence naming the cause (the scope, the zone, the user), the technical cause, and the actions that fix
 * it. Every surface shows a `FailureView` through `components/ErrorNotice.vue`.
 *
 * Secret-free by construction: it reads only the redacted fields of an `ApiError`, messages Tokenscope wrote, and
 * redacts anything else before it is shown.
 */
import { ApiError, type ApiErrorKind, type MissingScope } from '../dynatrace/errors';
import { redactSecrets } from '../log/redact';
import {
  FAILURE_CODES, type CodedError, type FailureAction, type FailureCode, type FailureContext, type FailureDetail, type FailureView,
} from './failure';

export { Failure, FAILURE_CODES } from './failure';
export type { CodedError, FailureAction, FailureCode, FailureContext, FailureDetail, FailureOperation, FailureView } from './failure';

function isCodedError(error: unknown): error is CodedError {
  return error instanceof Error && typeof (error as Partial<CodedError>).code === 'string'
    && (FAILURE_CODES as readonly string[]).includes((error as Partial<CodedError>).code as string);
}

const API_TITLES: Record<ApiErrorKind, string> = {
  'missing-scope': 'Missing token scope',
  'zone-denied': 'Management zone not accessible',
  'owner-permission': 'The token owner lacks a permission',
  forbidden: 'Refused by the environment',
  'token-expired': 'Token expired',
  'token-invalid': 'Token not accepted',
  'pat-disabled': 'Personal access tokens are disabled',
  'pat-v1-only': 'Personal access tokens work only with API v2',
  'rate-limited': 'Rate limited',
  validation: 'Request rejected',
  'not-found': 'Not found',
  server: 'Server error',
  network: 'Environment unreachable',
  timeout: 'Timed out',
  aborted: 'Cancelled',
  redirect: 'Redirected',
  'bad-response': 'Unexpected answer',
};

const CODE_TITLES: Record<FailureCode, string> = {
  locked: 'The vault is locked',
  'invalid-url': 'Not an environment URL',
  'invalid-token': 'Not a token',
  'not-personal': 'Not a personal access token',
  duplicate: 'Already stored',
  'token-limit': 'Five personal access tokens already',
  'missing-write-scope': 'Missing scope apiTokens.write',
  expired: 'Token expired',
  'host-permission': 'No access to this environment',
  unreachable: 'Environment unreachable',
  'not-found': 'Not found',
  'invalid-input': 'Check this value',
  storage: 'Stored data problem',
  'wrong-passphrase': 'Wrong passphrase',
  'vault-state': 'The vault changed',
  'load-failed': 'Part of Tokenscope did not load',
  unexpected: 'Something went wrong',
};

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

/** The sentence for an API failure, read in the light of what was being done. */
function apiMessage(err: ApiError, context: FailureContext): string {
  const where = context.where ? hostOf(context.where) : undefined;
  const tokenAction = context.operation !== undefined && ['add', 'create', 'revoke', 'recheck'].includes(context.operation);
  switch (err.kind) {
    case 'missing-scope':
      if (context.operation === 'create' || context.operation === 'revoke') return 'The token used for this lacks the scope apiTokens.write (403).';
      break;
    case 'network':
      if (tokenAction) return `${where ?? 'The environment'} could not be reached. Check the environment URL (SaaS: https://<id>.live.dynatrace.com) and your network connection.`;
      break;
    case 'redirect':
    case 'bad-response':
      if (tokenAction) return `${where ?? 'This address'} did not answer like a Dynatrace environment. ${describeApiError(err)}`;
      break;
    case 'not-found':
      if (context.operation === 'add') return `${where ?? 'This address'} has no Dynatrace token API (404). Check the environment URL.`;
      break;
    case 'token-invalid':
      if (tokenAction && err.reason === undefined) return 'The environment rejected this token (401): it is unknown, mistyped, revoked, or belongs to another environment.';
      break;
    case 'token-expired':
      if (tokenAction) return 'This token has expired (401). Create a new one.';
      break;
    default:
      break;
  }
  return describeApiError(err);
}

/**
 * Some API failures mean one of Tokenscope's own codes during a token action: a host that does not answer like an
 * environment while adding is a wrong URL (`unreachable`), a missing scope while creating or revoking is the missing
 * `apiTokens.write`, the server's 400 for a sixth PAT is the token limit, a 401 for expiry is `expired`.
 */
function kindOf(err: ApiError, context: FailureContext): ApiErrorKind | FailureCode {
  const op = context.operation;
  const tokenAction = op === 'add' || op === 'create' || op === 'revoke' || op === 'recheck';
  if (op === 'add' && (err.kind === 'network' || err.kind === 'redirect' || err.kind === 'bad-response' || err.kind === 'not-found')) return 'unreachable';
  if (tokenAction && (err.kind === 'network' || err.kind === 'redirect' || err.kind === 'bad-response')) return 'unreachable';
  if ((op === 'create' || op === 'revoke') && err.kind === 'missing-scope') return 'missing-write-scope';
  if (err.kind === 'validation' && err.reason === 'token-limit') return 'token-limit';
  if (tokenAction && err.kind === 'token-expired') return 'expired';
  return err.kind;
}

function actionsOf(detail: FailureDetail | undefined): FailureAction[] {
  const actions: FailureAction[] = [];
  if (detail?.origin !== undefined) actions.push({ kind: 'grant-access', origin: detail.origin, label: `Grant access to ${hostOf(detail.origin)}` });
  if (detail?.suggestion !== undefined) actions.push({ kind: 'use-suggestion', value: detail.suggestion, label: `Use ${detail.suggestion}` });
  return actions;
}

/**
 * Turns any failure into what people read (see the file's header). `context` says what was being done, for the
 * few API failures that read differently then (an unreachable host while adding a token is a wrong URL).
 */
export function describeFailure(error: unknown, context: FailureContext = {}): FailureView {
  const tokenId = context.tokenId;
  const others = context.alternatives ?? [];
  const withToken = (view: FailureView): FailureView => {
    const own = tokenId === undefined || view.tokenId !== undefined ? view : { ...view, tokenId };
    if (others.length === 0) return own;
    const who = others.length === 1 ? `The stored token "${others[0]?.label ?? ''}" would be allowed to run this query.` : 'These stored tokens would be allowed to run this query.';
    return {
      ...own,
      message: `${own.message} ${who}`,
      actions: [...own.actions, ...others.map((a): FailureAction => ({ kind: 'rerun-with', tokenId: a.id, label: `Re-run with ${a.label}` }))],
    };
  };
  if (error instanceof ApiError) {
    const kind = kindOf(error, context);
    const details = (error.violations?.length ?? 0) > 1
      ? error.violations?.map((v) => (v.path ? `${v.path}: ${v.message ?? ''}` : (v.message ?? '')))
      : undefined;
    return withToken({
      kind,
      apiKind: error.kind,
      title: kind === error.kind ? API_TITLES[error.kind] : CODE_TITLES[kind as FailureCode],
      message: apiMessage(error, context),
      cause: error.message,
      ...(details === undefined ? {} : { details }),
      actions: [],
    });
  }
  if (isCodedError(error)) {
    return withToken({
      kind: error.code,
      title: CODE_TITLES[error.code],
      message: redactSecrets(error.message),
      actions: actionsOf(error.detail),
      ...(error.detail?.tokenId === undefined ? {} : { tokenId: error.detail.tokenId }),
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  return withToken({
    kind: 'unexpected',
    title: CODE_TITLES.unexpected,
    message: redactSecrets(`Something went wrong: ${text}`),
    actions: [],
  });
}

// ---- the sentence for each API failure ------------------------------------------------------------------------------

function scopeText(scope: MissingScope): string {
  return scope.title === undefined ? scope.name : `${scope.name} (${scope.title})`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s === 1 ? '1 second' : `${s} seconds`;
}

/** Ends a server message with a period so it can be embedded in a sentence. */
function asSentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/**
 * A plain sentence for the UI, naming the scope, zone or user where the server told us. Secret-free (built from
 * the redacted fields only).
 */
export function describeApiError(err: ApiError): string {
  switch (err.kind) {
    case 'missing-scope': {
      const scopes = err.scopes ?? [];
      if (scopes.length === 0) return 'This token is missing a scope this request needs.';
      if (scopes.length === 1) return `This token is missing the scope ${scopeText(scopes[0] as MissingScope)}.`;
      return `This token needs one of the scopes ${orList(scopes.map(scopeText))}.`;
    }
    case 'zone-denied': {
      const zone = `The management zone "${err.zone ?? ''}"`;
      return err.user ? `${zone} is outside the zones of user ${err.user}.` : `${zone} is outside the zones this token's owner can see.`;
    }
    case 'owner-permission':
      return err.user
        ? `User ${err.user} lacks the permission "${err.permission ?? ''}" needed for this request.`
        : "The token's owner lacks a permission needed for this request.";
    case 'forbidden':
      return err.serverMessage
        ? `The environment refused this request: ${asSentence(err.serverMessage)}`
        : 'The environment refused this request (403 Forbidden).';
    case 'token-expired':
      return 'This token has expired.';
    case 'token-invalid':
      switch (err.reason) {
        case 'missing-token':
          return 'The request reached the environment without a token.';
        case 'token-disabled':
          return 'This token has been disabled.';
        case 'malformed-token':
          return 'This is not a valid token: it must look like dt0c01.<24 characters>.<64 characters>.';
        default:
          return 'The environment did not accept this token: it is unknown, mistyped, or its owner no longer exists.';
      }
    case 'pat-disabled':
      return 'Personal access tokens are disabled in this environment; an administrator has to enable them.';
    case 'pat-v1-only':
      return 'Personal access tokens only work with API v2, and this endpoint belongs to an older API.';
    case 'rate-limited':
      return err.retryAfterMs !== undefined
        ? `The environment is limiting requests. Try again in ${seconds(err.retryAfterMs)}.`
        : 'The environment is limiting requests. Try again shortly.';
    case 'validation': {
      if (err.reason === 'token-limit') {
        return err.user
          ? `User ${err.user} already has the maximum of five personal access tokens. Delete one before creating another.`
          : 'The maximum of five personal access tokens is reached. Delete one before creating another.';
      }
      const first = err.violations?.[0];
      if (first?.message) {
        const where = first.path ? `${first.path}: ` : '';
        const more = (err.violations?.length ?? 0) > 1 ? ` (and ${(err.violations?.length ?? 1) - 1} more)` : '';
        return `The request was rejected as invalid: ${where}${first.message}${more}`.replace(/\.?$/, '.');
      }
      return err.serverMessage
        ? `The request was rejected as invalid: ${asSentence(err.serverMessage)}`
        : 'The request was rejected as invalid.';
    }
    case 'not-found':
      return 'Not found: it does not exist, or it is outside the management zones this token can see.';
    case 'server':
      return `The Dynatrace environment had an internal problem${err.status ? ` (HTTP ${err.status})` : ''}. Try again later.`;
    case 'network':
      return 'The environment could not be reached. Check the environment URL and your network connection.';
    case 'timeout':
      return err.timeoutMs !== undefined
        ? `The environment did not answer within ${seconds(err.timeoutMs)}.`
        : 'The environment did not answer in time.';
    case 'aborted':
      return 'The request was cancelled.';
    case 'redirect':
      if (err.reason === 'cross-origin' && err.redirectOrigin) {
        return `The environment redirected to ${err.redirectOrigin}; the token was not sent there. Check the environment URL.`;
      }
      return 'The environment answered with a redirect, which is not followed with a token. Check the environment URL.';
    case 'bad-response':
      switch (err.reason) {
        case 'not-json':
        case 'empty-body':
          return 'The answer was not Dynatrace API data. Is the environment URL correct?';
        case 'repeated-page-key':
          return 'Paging stopped: the environment sent the same page key twice.';
        case 'page-cap':
          return 'Paging stopped: too many pages. Narrow the query.';
        default:
          return 'The environment sent an answer in an unexpected format.';
      }
  }
}

