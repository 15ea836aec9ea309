/**
 * The Dynatrace Environment API v2 client, built on ofetch.
 *
 * ofetch does the request plumbing (JSON bodies, headers, reading the body); its own retry and timeout are off
 * because the rules here are stricter than its defaults: GET-only retries on 429/502/503/504 and network errors,
 * a deadline that covers the whole attempt including the body, abort that also interrupts the backoff sleep, and a
 * token that only ever goes to the environment's origin.
 *
 * Security rules, in one place:
 * - the token is read with `getToken()` for every attempt and never stored by the client;
 * - it travels only in `Authorization: Api-Token <token>`, never in a URL (a full token passed as an id to
 *   `tokens.get/update/delete` is reduced to its id first);
 * - redirects are handled manually (`redirect: 'manual'`): same-origin ones are followed, a redirect to any other
 *   origin is reported as an `ApiError` of kind `redirect` and not followed, so the token never leaves the origin;
 * - every error is built by `toApiError`, which redacts the token wherever a server may have echoed it.
 */
import { createFetch } from 'ofetch';
import { createLogger, type Logger } from '../log/logger';
import { parseEnvironmentUrl, type EnvironmentUrl } from './environment-url';
import { ApiError, type ApiErrorSource, toApiError } from './errors';
import { type Guard, guards } from './guards';
import { DEFAULT_MAX_PAGES, paginateItems } from './paginate';
import {
  backoffDelayMs,
  isRetryableMethod,
  resolveRetryOptions,
  RETRYABLE_STATUSES,
  type HeaderReader,
  type RetryOptions,
  serverRequestedDelayMs,
} from './retry';
import { isTokenFormat, tokenId } from './token-format';
import type {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  ApiTokenList,
  ApiTokenListParams,
  ApiTokenUpdate,
  EntitiesList,
  Entity,
  EntityGetParams,
  EntityListParams,
  EntityType,
  EntityTypeList,
  EntityTypeListParams,
  MetricData,
  MetricDescriptor,
  MetricDescriptorCollection,
  MetricListParams,
  MetricQueryParams,
  ObjectsList,
  Problem,
  ProblemGetParams,
  ProblemListParams,
  Problems,
  SettingsObject,
  SettingsObjectListParams,
  ValidationResponse,
} from './types';

/** The `fetch` the client uses; inject a fake in tests or a bound fetch in special contexts. */
export type FetchLike = typeof globalThis.fetch;

/** Options of {@link createDynatraceClient}. */
export interface DynatraceClientOptions {
  /** The environment, as typed by the user (validated with `parseEnvironmentUrl`) or already parsed. */
  environmentUrl: string | EnvironmentUrl;
  /** Returns the token for each request. The client never caches it. */
  getToken: () => Promise<string> | string;
  /** Deadline of one attempt (request, redirects and body), default 10,000 ms (below MV3's 30 s fetch limit). */
  timeoutMs?: number;
  /** Retry tuning, or `false` to never retry. */
  retry?: RetryOptions | false;
  /** `fetch` implementation passed to ofetch (default: the global `fetch`, looked up per call). */
  fetch?: FetchLike;
  /** Page cap of the `listAll` helpers, default 100. */
  maxPages?: number;
  /** Same-origin redirects followed per attempt, default 5. */
  maxRedirects?: number;
  /** Logger for retries (warn) and failed calls (debug). Default: a console logger scoped `dynatrace`. */
  logger?: Logger;
  /** Clock in epoch ms for `Retry-After` dates and `X-RateLimit-Reset` (default `retry.now`, then `Date.now`). */
  now?: () => number;
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call; it then rejects with kind `aborted` and any late answer is dropped. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt deadline for this call. */
  timeoutMs?: number;
}

/** Options of the `listAll` helpers. */
export interface PageOptions extends CallOptions {
  /** Overrides the client's page cap. */
  maxPages?: number;
}

/** A follow-up page request: only the cursor is sent (Problems may add `fields`). */
export interface NextPage {
  nextPageKey: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type QueryValue = string | number | boolean | null | undefined;
type Query = Record<string, QueryValue>;

/** What a request expects back on success. */
type Expect<T> =
  | { kind: 'json'; guard: Guard<T> }
  /** JSON if there is a body, `undefined` otherwise (metrics ingest's 202). */
  | { kind: 'optional-json'; guard: Guard<T> }
  /** No body (204): anything sent is ignored. */
  | { kind: 'none' };

interface RequestSpec<T> {
  method: Method;
  /** Below `/api/v2`, path parameters already encoded. */
  path: string;
  query?: Query;
  json?: unknown;
  text?: string;
  expect: Expect<T>;
  /** Secrets in this request besides the auth token (a looked-up token); redacted from errors. */
  secrets?: readonly string[];
}

interface RawResponse {
  status: number;
  headers: HeaderReader;
  body: string;
}

/** A failure inside an attempt, before it becomes an ApiError (the known secrets are added then). */
class AttemptFailure {
  constructor(readonly source: ApiErrorSource) {}
}

/** Encodes a path parameter. `:` stays readable (metric keys), everything that could change the path is escaped. */
function encodePathParam(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}

/** `a=1&b=x%20y`: `encodeURIComponent` for keys and values (`+` must become `%2B` for `fields=+scopes`). */
function encodeQuery(query: Query | undefined): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** A token passed where an id is expected is reduced to its id, so the secret never enters a URL. */
function idFromTokenOrId(value: string): string {
  return isTokenFormat(value) ? tokenId(value) : value;
}

/** The secrets to redact from errors of a call that was given `value` as a token id (it may be a full token). */
function secretsOf(value: string): string[] {
  return isTokenFormat(value) ? [value] : [];
}

/** Follow-up page parameters: only the key survives (plus `keep` fields, for Problems' `fields`). */
function pageQuery<P extends object>(params: P | NextPage | undefined, keep: readonly string[] = []): Query {
  if (params === undefined) return {};
  const record = params as Record<string, unknown>;
  const key = record.nextPageKey;
  if (typeof key === 'string') {
    const query: Query = { nextPageKey: key };
    for (const name of keep) {
      const value = record[name];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') query[name] = value;
    }
    return query;
  }
  return toQuery(params);
}

function toQuery(params: object | undefined): Query {
  const query: Query = {};
  if (params === undefined) return query;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') query[name] = value;
  }
  return query;
}

/** Builds the API client for one environment. Throws a `TypeError` if `environmentUrl` is not acceptable. */
export function createDynatraceClient(options: DynatraceClientOptions) {
  let environment: EnvironmentUrl;
  if (typeof options.environmentUrl === 'string') {
    const parsed = parseEnvironmentUrl(options.environmentUrl);
    if (!parsed.ok) throw new TypeError(parsed.error.message);
    environment = parsed.value;
  } else {
    environment = options.environmentUrl;
  }
  const origin = environment.origin;
  const defaultTimeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? (options.retry === false ? undefined : options.retry?.now) ?? Date.now;
  const retry = resolveRetryOptions(options.retry === false ? { retries: 0, now } : { ...options.retry, now });
  const maxPagesDefault = options.maxPages ?? DEFAULT_MAX_PAGES;
  const maxRedirects = options.maxRedirects ?? 5;
  const log = options.logger ?? createLogger('dynatrace');
  // Look the global fetch up per call, so a fetch installed later (or stubbed in a test) is used.
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const $fetch = createFetch({ fetch: fetchImpl });

  /** Rejects with `aborted` as soon as `signal` aborts; otherwise settles like `promise`. */
  function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => unknown): Promise<T> {
    if (signal === undefined) return promise;
    return new Promise<T>((resolve, reject) => {
      const abort = (): void => reject(onAbort());
      if (signal.aborted) {
        abort();
        promise.catch(() => undefined);
        return;
      }
      signal.addEventListener('abort', abort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', abort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', abort);
          reject(error);
        },
      );
    });
  }

  /**
   * One attempt: the request, same-origin redirects and the body, all under one deadline. Settles exactly once;
   * whatever the underlying fetch does after a timeout or abort is ignored (the late answer is dropped).
   */
  function attempt(url: string, method: Method, headers: Record<string, string>, body: string | undefined,
    timeoutMs: number, signal: AbortSignal | undefined): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const controller = new AbortController();
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = (): void => {
        settle(() => reject(new AttemptFailure({ type: 'aborted' })));
        controller.abort();
      };
      const timer = setTimeout(() => {
        settle(() => reject(new AttemptFailure({ type: 'timeout', timeoutMs })));
        controller.abort();
      }, timeoutMs);
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      sendFollowingRedirects(url, method, headers, body, controller.signal).then(
        (response) => settle(() => resolve(response)),
        (error: unknown) => settle(() => reject(error instanceof AttemptFailure ? error : new AttemptFailure(networkSource(error)))),
      );
    });
  }

  function networkSource(error: unknown): ApiErrorSource {
    // ofetch wraps fetch failures in a FetchError whose getters expose the request options (with the
    // Authorization header); keep only the underlying cause's message.
    const cause = error instanceof Error && error.name === 'FetchError' && error.cause !== undefined ? error.cause : error;
    return { type: 'network', cause };
  }

  async function sendFollowingRedirects(url: string, method: Method, headers: Record<string, string>,
    body: string | undefined, signal: AbortSignal): Promise<RawResponse> {
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; hop <= maxRedirects; hop += 1) {
      const response = await $fetch.raw<string, 'text'>(current, {
        method: currentMethod,
        headers,
        ...(currentBody === undefined ? {} : { body: currentBody }),
        redirect: 'manual',
        signal,
        retry: false,
        ignoreResponseError: true,
        responseType: 'text',
      });
      // A browser hides a manual redirect's target: we cannot check its origin, so we do not follow it.
      if (response.type === 'opaqueredirect') throw new AttemptFailure({ type: 'redirect', reason: 'opaque' });
      // A fetch that followed a redirect despite `manual` (some polyfills do): never use an answer from elsewhere.
      if (response.url !== '' && sameOrigin(response.url) === false) {
        throw new AttemptFailure({ type: 'redirect', reason: 'cross-origin', location: response.url });
      }
      const { status } = response;
      if (status >= 300 && status < 400 && status !== 304) {
        const location = response.headers.get('location');
        if (location === null || location === '') {
          throw new AttemptFailure({ type: 'redirect', reason: 'no-location', status });
        }
        let target: URL;
        try {
          target = new URL(location, current);
        } catch {
          throw new AttemptFailure({ type: 'redirect', reason: 'no-location', status });
        }
        if (target.origin !== origin) {
          throw new AttemptFailure({ type: 'redirect', reason: 'cross-origin', status, location: target.href });
        }
        // Fetch semantics: 303 turns into GET, and so do 301/302 after a POST; 307/308 keep method and body.
        if ((status === 303 && currentMethod !== 'GET') || ((status === 301 || status === 302) && currentMethod === 'POST')) {
          currentMethod = 'GET';
          currentBody = undefined;
        }
        current = target.href;
        continue;
      }
      return { status, headers: response.headers, body: typeof response._data === 'string' ? response._data : '' };
    }
    throw new AttemptFailure({ type: 'redirect', reason: 'too-many' });
  }

  function sameOrigin(url: string): boolean | undefined {
    try {
      return new URL(url).origin === origin;
    } catch {
      return undefined;
    }
  }

  /** Decodes a 2xx answer according to `expect`; violations become `bad-response`. */
  function decode<T>(spec: RequestSpec<T>, response: RawResponse, fail: (source: ApiErrorSource) => ApiError): T {
    const { expect } = spec;
    if (expect.kind === 'none') return undefined as T;
    if (response.body.trim() === '') {
      if (expect.kind === 'optional-json') return undefined as T;
      throw fail({ type: 'bad-response', reason: 'empty-body', status: response.status });
    }
    let value: unknown;
    try {
      value = JSON.parse(response.body) as unknown;
    } catch {
      throw fail({ type: 'bad-response', reason: 'not-json', status: response.status, body: response.body });
    }
    const problem = expect.guard.check(value);
    if (problem !== undefined) {
      throw fail({ type: 'bad-response', reason: 'schema', status: response.status, detail: problem });
    }
    return value as T;
  }

  /** Runs a request with token, deadline, retries and error mapping. */
  async function execute<T>(spec: RequestSpec<T>, call: CallOptions = {}): Promise<T> {
    const url = `${environment.apiBase}${spec.path}${encodeQuery(spec.query)}`;
    const parsedUrl = new URL(url);
    const path = parsedUrl.pathname;
    if (parsedUrl.origin !== origin) {
      // Cannot happen with encoded path parameters; checked because the token must never go anywhere else.
      throw toApiError({ type: 'redirect', reason: 'cross-origin', location: url }, { method: spec.method, path });
    }
    if (path !== `${new URL(environment.apiBase).pathname}${spec.path}`) {
      // An id of `.` or `..` (even encoded) is resolved away by URL parsing and would hit another endpoint.
      throw toApiError({ type: 'invalid-request', detail: 'a path parameter is not a valid id' }, { method: spec.method, path });
    }
    const { signal } = call;
    const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
    const canRetry = isRetryableMethod(spec.method);
    let secrets: readonly string[] = spec.secrets ?? [];
    const fail = (source: ApiErrorSource): ApiError =>
      toApiError(source, { method: spec.method, path, secrets, now: retry.now });
    const abortedError = (): ApiError => fail({ type: 'aborted' });

    let body: string | undefined;
    const baseHeaders: Record<string, string> = { Accept: 'application/json' };
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      baseHeaders['Content-Type'] = 'application/json; charset=utf-8';
    } else if (spec.text !== undefined) {
      body = spec.text;
      baseHeaders['Content-Type'] = 'text/plain; charset=utf-8';
    }

    for (let attemptNo = 0; ; attemptNo += 1) {
      if (signal?.aborted) throw abortedError();
      const token: unknown = await raceAbort(Promise.resolve().then(() => options.getToken()), signal, abortedError);
      if (typeof token !== 'string' || !isTokenFormat(token)) {
        // Never send something that is not a token: it could be a typo'd secret or carry header-breaking characters.
        throw fail({ type: 'invalid-token' });
      }
      secrets = [token, ...(spec.secrets ?? [])];
      const headers = { ...baseHeaders, Authorization: `Api-Token ${token}` };

      let response: RawResponse;
      try {
        response = await attempt(url, spec.method, headers, body, timeoutMs, signal);
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        const apiError = fail(error.source);
        if (error.source.type === 'network' && canRetry && attemptNo < retry.retries) {
          await backoff(attemptNo, undefined, apiError, signal, abortedError);
          continue;
        }
        log.debug(apiError);
        throw apiError;
      }

      if (response.status >= 200 && response.status < 300) {
        try {
          return decode(spec, response, fail);
        } catch (error) {
          log.debug(error);
          throw error;
        }
      }
      const apiError = fail({ type: 'response', status: response.status, headers: response.headers, body: response.body });
      if (canRetry && RETRYABLE_STATUSES.has(response.status) && attemptNo < retry.retries) {
        const requested = serverRequestedDelayMs(response.headers, retry.now());
        // A server asking for a long pause gets it from the user, not from a spinner: report when to retry.
        if (requested === undefined || requested <= retry.maxRetryAfterMs) {
          await backoff(attemptNo, requested, apiError, signal, abortedError);
          continue;
        }
      }
      log.debug(apiError);
      throw apiError;
    }
  }

  async function backoff(attemptNo: number, requestedMs: number | undefined, cause: ApiError,
    signal: AbortSignal | undefined, abortedError: () => ApiError): Promise<void> {
    const delay = requestedMs ?? backoffDelayMs(attemptNo, retry);
    log.warn(`retry ${attemptNo + 1}/${retry.retries} in ${delay} ms after: ${cause.message}`);
    try {
      await raceAbort(retry.sleep(delay, signal), signal, abortedError);
    } catch (error) {
      if (signal?.aborted) throw abortedError();
      throw error;
    }
    if (signal?.aborted) throw abortedError();
  }

  /** `listAll` plumbing: pages via `list`, items via `itemsOf`. */
  function listAll<P extends { nextPageKey?: string | null }, I, Params extends object>(
    list: (params: Params | NextPage, call: CallOptions) => Promise<P>,
    itemsOf: (page: P) => readonly I[] | undefined,
    listPath: string,
    params: Params,
    page: PageOptions,
    nextExtras: (key: string) => NextPage = (key) => ({ nextPageKey: key }),
  ): AsyncGenerator<I, void, undefined> {
    const call: CallOptions = {
      ...(page.signal === undefined ? {} : { signal: page.signal }),
      ...(page.timeoutMs === undefined ? {} : { timeoutMs: page.timeoutMs }),
    };
    return paginateItems(
      (key) => list(key === undefined ? params : nextExtras(key), call),
      itemsOf,
      {
        maxPages: page.maxPages ?? maxPagesDefault,
        path: new URL(`${environment.apiBase}${listPath}`).pathname,
        ...(page.signal === undefined ? {} : { signal: page.signal }),
      },
    );
  }

  // ---- resource groups ------------------------------------------------------------------------------------------

  const tokens = {
    /** `POST /apiTokens/lookup`: metadata of `token` (works with any scope). The looked-up secret is redacted from errors. */
    lookup: (token: string, call?: CallOptions): Promise<ApiToken> =>
      execute({ method: 'POST', path: '/apiTokens/lookup', json: { token }, secrets: [token], expect: { kind: 'json', guard: guards.apiToken } }, call),
    /** `GET /apiTokens`: one page. Pass `{ nextPageKey }` alone for a follow-up page. */
    list: (params?: ApiTokenListParams | NextPage, call?: CallOptions): Promise<ApiTokenList> =>
      execute({ method: 'GET', path: '/apiTokens', query: pageQuery(params), expect: { kind: 'json', guard: guards.apiTokenList } }, call),
    /** Every token over all pages. */
    listAll: (params: ApiTokenListParams = {}, page: PageOptions = {}): AsyncGenerator<ApiToken, void, undefined> =>
      listAll(tokens.list, (p: ApiTokenList) => p.apiTokens, '/apiTokens', params, page),
    /** `GET /apiTokens/{id}`; a full token is reduced to its id. */
    get: (id: string, call?: CallOptions): Promise<ApiToken> =>
      execute({ method: 'GET', path: `/apiTokens/${encodePathParam(idFromTokenOrId(id))}`, secrets: secretsOf(id), expect: { kind: 'json', guard: guards.apiToken } }, call),
    /** `POST /apiTokens` (201): the answer carries the new secret, the only time it is ever shown. */
    create: (body: ApiTokenCreate, call?: CallOptions): Promise<ApiTokenCreated> =>
      execute({ method: 'POST', path: '/apiTokens', json: body, expect: { kind: 'json', guard: guards.apiTokenCreated } }, call),
    /** `PUT /apiTokens/{id}` (204). `scopes` replaces the whole list. */
    update: (id: string, body: ApiTokenUpdate, call?: CallOptions): Promise<void> =>
      execute({ method: 'PUT', path: `/apiTokens/${encodePathParam(idFromTokenOrId(id))}`, json: body, secrets: secretsOf(id), expect: { kind: 'none' } }, call),
    /** `DELETE /apiTokens/{id}` (204). */
    delete: (id: string, call?: CallOptions): Promise<void> =>
      execute({ method: 'DELETE', path: `/apiTokens/${encodePathParam(idFromTokenOrId(id))}`, secrets: secretsOf(id), expect: { kind: 'none' } }, call),
  };

  const metrics = {
    /** `GET /metrics`: one page of descriptors. */
    list: (params?: MetricListParams | NextPage, call?: CallOptions): Promise<MetricDescriptorCollection> =>
      execute({ method: 'GET', path: '/metrics', query: pageQuery(params), expect: { kind: 'json', guard: guards.metricDescriptorCollection } }, call),
    listAll: (params: MetricListParams = {}, page: PageOptions = {}): AsyncGenerator<MetricDescriptor, void, undefined> =>
      listAll(metrics.list, (p: MetricDescriptorCollection) => p.metrics, '/metrics', params, page),
    /** `GET /metrics/{metricKey}`; the key may carry transformations (`builtin:host.disk.avail:names`). */
    get: (metricKey: string, call?: CallOptions): Promise<MetricDescriptor> =>
      execute({ method: 'GET', path: `/metrics/${encodePathParam(metricKey)}`, expect: { kind: 'json', guard: guards.metricDescriptor } }, call),
    /** `GET /metrics/query`. */
    query: (params: MetricQueryParams, call?: CallOptions): Promise<MetricData> =>
      execute({ method: 'GET', path: '/metrics/query', query: toQuery(params), expect: { kind: 'json', guard: guards.metricData } }, call),
    /**
     * `POST /metrics/ingest` with line-protocol text (lines joined with `\n`). Resolves with the
     * `ValidationResponse` (or `undefined` if the server sent none); rejected lines give `validation`/`ingest-lines`.
     */
    ingest: (lines: string | readonly string[], call?: CallOptions): Promise<ValidationResponse | undefined> =>
      execute({
        method: 'POST',
        path: '/metrics/ingest',
        text: typeof lines === 'string' ? lines : lines.join('\n'),
        expect: { kind: 'optional-json', guard: guards.validationResponse },
      }, call),
  };

  const entities = {
    /** `GET /entities`: one page (`entitySelector` is required on the first page). */
    list: (params?: EntityListParams | NextPage, call?: CallOptions): Promise<EntitiesList> =>
      execute({ method: 'GET', path: '/entities', query: pageQuery(params), expect: { kind: 'json', guard: guards.entitiesList } }, call),
    listAll: (params: EntityListParams, page: PageOptions = {}): AsyncGenerator<Entity, void, undefined> =>
      listAll(entities.list, (p: EntitiesList) => p.entities, '/entities', params, page),
    /** `GET /entities/{entityId}`: the full record. */
    get: (entityId: string, params?: EntityGetParams, call?: CallOptions): Promise<Entity> =>
      execute({ method: 'GET', path: `/entities/${encodePathParam(entityId)}`, query: toQuery(params), expect: { kind: 'json', guard: guards.entity } }, call),
    /** `GET /entityTypes`: one page. */
    types: (params?: EntityTypeListParams | NextPage, call?: CallOptions): Promise<EntityTypeList> =>
      execute({ method: 'GET', path: '/entityTypes', query: pageQuery(params), expect: { kind: 'json', guard: guards.entityTypeList } }, call),
    typesAll: (params: EntityTypeListParams = {}, page: PageOptions = {}): AsyncGenerator<EntityType, void, undefined> =>
      listAll(entities.types, (p: EntityTypeList) => p.types, '/entityTypes', params, page),
    /** `GET /entityTypes/{type}`. */
    type: (type: string, call?: CallOptions): Promise<EntityType> =>
      execute({ method: 'GET', path: `/entityTypes/${encodePathParam(type)}`, expect: { kind: 'json', guard: guards.entityType } }, call),
  };

  const problems = {
    /** `GET /problems`: one page. A follow-up page sends `nextPageKey` and, if given, `fields` (Problems only). */
    list: (params?: ProblemListParams | (NextPage & { fields?: string }), call?: CallOptions): Promise<Problems> =>
      execute({ method: 'GET', path: '/problems', query: pageQuery(params, ['fields']), expect: { kind: 'json', guard: guards.problems } }, call),
    listAll: (params: ProblemListParams = {}, page: PageOptions = {}): AsyncGenerator<Problem, void, undefined> =>
      listAll(problems.list, (p: Problems) => p.problems, '/problems', params, page,
        (key) => (params.fields === undefined ? { nextPageKey: key } : { nextPageKey: key, fields: params.fields } as NextPage)),
    /** `GET /problems/{problemId}`. */
    get: (problemId: string, params?: ProblemGetParams, call?: CallOptions): Promise<Problem> =>
      execute({ method: 'GET', path: `/problems/${encodePathParam(problemId)}`, query: toQuery(params), expect: { kind: 'json', guard: guards.problem } }, call),
  };

  const settings = {
    objects: {
      /** `GET /settings/objects`: one page. */
      list: (params?: SettingsObjectListParams | NextPage, call?: CallOptions): Promise<ObjectsList> =>
        execute({ method: 'GET', path: '/settings/objects', query: pageQuery(params), expect: { kind: 'json', guard: guards.objectsList } }, call),
      listAll: (params: SettingsObjectListParams = {}, page: PageOptions = {}): AsyncGenerator<SettingsObject, void, undefined> =>
        listAll(settings.objects.list, (p: ObjectsList) => p.items, '/settings/objects', params, page),
    },
  };

  return {
    /** The validated environment this client talks to. */
    environment,
    tokens,
    metrics,
    entities,
    problems,
    settings,
  };
}

/** The client returned by {@link createDynatraceClient}. */
export type DynatraceClient = ReturnType<typeof createDynatraceClient>;
