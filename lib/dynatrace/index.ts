/**
 * Public surface of the Dynatrace API client. Import from `lib/dynatrace`, not from the files behind it.
 */
export { createDynatraceClient } from './client';
export type { CallOptions, DynatraceClient, DynatraceClientOptions, FetchLike, NextPage, PageOptions } from './client';
export { API_ERROR_KINDS, ApiError, isApiError, parseMissingScopes, toApiError } from './errors';
export { describeApiError } from '../failure/describe';
export type { ApiErrorContext, ApiErrorInit, ApiErrorKind, ApiErrorReason, ApiErrorSource, MissingScope } from './errors';
export { isLoopbackHost, parseEnvironmentUrl } from './environment-url';
export { checkEnvironmentUrl, lookAlikeWarning } from './look-alike-host';
export type { EnvironmentKind, EnvironmentUrl, EnvironmentUrlError, EnvironmentUrlErrorCode, EnvironmentUrlResult } from './environment-url';
export { DEFAULT_MAX_PAGES, paginate, paginateItems } from './paginate';
export type { PaginateOptions } from './paginate';
export { backoffDelayMs, RETRYABLE_STATUSES, serverRequestedDelayMs } from './retry';
export type { HeaderReader, RetryOptions, Sleep } from './retry';
export { checkTokenFormat, isTokenFormat, isTokenId, TOKEN_ID_PATTERN, TOKEN_PATTERN, tokenId } from './token-format';
export type { TokenFormatCheck } from './token-format';
export type * from './types';
