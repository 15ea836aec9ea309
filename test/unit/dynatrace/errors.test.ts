/**
 * Every ApiError kind from the error bodies real Dynatrace servers send (docs/dynatrace-api-notes.md §1.3, §2) and
 * from the sandbox's decided messages (docs/sandbox-behaviour.md), through the client and a fake fetch.
 */
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  API_ERROR_KINDS,
  describeApiError,
  parseMissingScopes,
  toApiError,
  type ApiErrorKind,
} from '../../../lib/dynatrace';
import { envelope, fakeFetch, json, rejection, TOKEN, testClient, text } from './fake-fetch';

/** Calls a GET endpoint once (no retries) against `reply` and returns the ApiError. */
async function errorFor(reply: Response): Promise<ApiError> {
  const { fetch, requests } = fakeFetch(reply);
  const { client } = testClient(fetch, { retry: false });
  const err = await rejection(client.metrics.query({ metricSelector: 'builtin:host.cpu.usage' }));
  expect(err).toBeInstanceOf(ApiError);
  expect(requests).toHaveLength(1);
  return err as ApiError;
}

describe('real Dynatrace error bodies', () => {
  it('401 Missing authorization parameter. -> token-invalid/missing-token', async () => {
    const err = await errorFor(envelope(401, 'Missing authorization parameter.'));
    expect(err).toMatchObject({ kind: 'token-invalid', reason: 'missing-token', status: 401, method: 'GET', path: '/api/v2/metrics/query' });
    expect(err.envelope).toEqual({ error: { code: 401, message: 'Missing authorization parameter.' } });
  });

  it('403 missing scope with title', async () => {
    const err = await errorFor(envelope(403, 'Token is missing required scope. Use one of: metrics.read (Read metrics)'));
    expect(err).toMatchObject({ kind: 'missing-scope', status: 403, scopes: [{ name: 'metrics.read', title: 'Read metrics' }] });
    expect(describeApiError(err)).toBe('This token is missing the scope metrics.read (Read metrics).');
  });

  it('403 missing scope, old form without a title', async () => {
    const err = await errorFor(envelope(403, 'Token is missing required scope. Use one of: ExternalSyntheticIntegration'));
    expect(err.scopes).toEqual([{ name: 'ExternalSyntheticIntegration' }]);
    expect(describeApiError(err)).toBe('This token is missing the scope ExternalSyntheticIntegration.');
  });

  it('403 missing scope with several alternatives', async () => {
    const err = await errorFor(envelope(403, 'Token is missing required scope. Use one of: DataExport (Access problem and event feed, metrics, and topology), metrics.read (Read metrics)'));
    expect(err.scopes).toEqual([
      { name: 'DataExport', title: 'Access problem and event feed, metrics, and topology' },
      { name: 'metrics.read', title: 'Read metrics' },
    ]);
    expect(describeApiError(err)).toBe(
      'This token needs one of the scopes DataExport (Access problem and event feed, metrics, and topology) or metrics.read (Read metrics).',
    );
  });

  it('400 constraint violations keep path, message, parameterLocation and location null', async () => {
    const body = {
      error: {
        code: 400,
        message: 'Constraints violated.',
        constraintViolations: [
          { path: 'entitySelector', message: 'Predicate name mzId not applicable for type SERVICE_METHOD', parameterLocation: 'QUERY', location: null },
        ],
      },
    };
    const err = await errorFor(json(400, body));
    expect(err).toMatchObject({ kind: 'validation', status: 400, serverMessage: 'Constraints violated.' });
    expect(err.violations).toEqual(body.error.constraintViolations);
    expect(err.envelope).toEqual(body);
    expect(describeApiError(err)).toBe('The request was rejected as invalid: entitySelector: Predicate name mzId not applicable for type SERVICE_METHOD.');
  });

  it('400 metric selector syntax error without violations', async () => {
    const err = await errorFor(envelope(400, "Metric selector parse error: line 1:161 extraneous input '(' expecting {<EOF>, COMMA}"));
    expect(err.kind).toBe('validation');
    expect(describeApiError(err)).toContain('Metric selector parse error');
  });

  it('404 HTTP 404 Not Found -> not-found', async () => {
    const err = await errorFor(envelope(404, 'HTTP 404 Not Found'));
    expect(err).toMatchObject({ kind: 'not-found', status: 404 });
  });

  it('404 without a body -> not-found', async () => {
    const err = await errorFor(new Response(null, { status: 404 }));
    expect(err).toMatchObject({ kind: 'not-found', status: 404 });
    expect(err.envelope).toBeUndefined();
  });

  it('500 envelope -> server; 502 HTML from a proxy -> server with a body snippet', async () => {
    expect((await errorFor(envelope(500, 'Internal Server Error'))).kind).toBe('server');
    const err = await errorFor(text(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' }));
    expect(err).toMatchObject({ kind: 'server', status: 502 });
    expect(err.body).toContain('Bad Gateway');
  });

  it('406 (unsupported Accept) -> validation', async () => {
    expect((await errorFor(envelope(406, 'Not acceptable'))).kind).toBe('validation');
  });
});

describe('sandbox messages (docs/sandbox-behaviour.md, decided responses)', () => {
  const cases: [string, number, string, Partial<ApiError>, string][] = [
    ['malformed/unknown/wrong secret', 401, 'Token Authentication failed', { kind: 'token-invalid' },
      'The environment did not accept this token: it is unknown, mistyped, or its owner no longer exists.'],
    ['expired', 401, 'Token Authentication failed: the token has expired', { kind: 'token-expired' }, 'This token has expired.'],
    ['disabled', 401, 'Token Authentication failed: the token is disabled', { kind: 'token-invalid', reason: 'token-disabled' },
      'This token has been disabled.'],
    ['PATs switched off', 401, 'Token Authentication failed: personal access tokens are disabled in this environment',
      { kind: 'pat-disabled' }, 'Personal access tokens are disabled in this environment; an administrator has to enable them.'],
    ['PAT on v1', 403, 'Personal access tokens can only be used with API v2', { kind: 'pat-v1-only' },
      'Personal access tokens only work with API v2, and this endpoint belongs to an older API.'],
    ['owner lacks permission', 403, "User 'anna@example.com' lacks the permission 'operator' required for this request",
      { kind: 'owner-permission', user: 'anna@example.com', permission: 'operator' },
      'User anna@example.com lacks the permission "operator" needed for this request.'],
    ['explicit foreign zone', 403, "Management zone 'Production US' is not accessible to user 'anna@example.com'",
      { kind: 'zone-denied', zone: 'Production US', user: 'anna@example.com' },
      'The management zone "Production US" is outside the zones of user anna@example.com.'],
    ['sixth PAT', 400, "The maximum of five personal access tokens for user 'anna@example.com' is reached",
      { kind: 'validation', reason: 'token-limit', user: 'anna@example.com' },
      'User anna@example.com already has the maximum of five personal access tokens. Delete one before creating another.'],
    ['not found', 404, 'Entity HOST-0000000000000000 not found', { kind: 'not-found' },
      'Not found: it does not exist, or it is outside the management zones this token can see.'],
    ['unknown 403', 403, 'Something new and unexpected', { kind: 'forbidden' },
      'The environment refused this request: Something new and unexpected.'],
    ['unknown 401', 401, 'Authentication required', { kind: 'token-invalid' },
      'The environment did not accept this token: it is unknown, mistyped, or its owner no longer exists.'],
  ];

  it.each(cases)('%s', async (_label, status, message, expected, sentence) => {
    const err = await errorFor(envelope(status, message));
    expect(err).toMatchObject({ status, serverMessage: message, ...expected });
    expect(describeApiError(err)).toBe(sentence);
  });

  it('matches the messages case-insensitively and with other quotes', async () => {
    const err = await errorFor(envelope(403, 'MANAGEMENT ZONE "Production US" IS NOT ACCESSIBLE TO USER "anna@example.com"'));
    expect(err).toMatchObject({ kind: 'zone-denied', zone: 'Production US', user: 'anna@example.com' });
    const expired = await errorFor(envelope(401, 'token authentication failed: THE TOKEN HAS EXPIRED'));
    expect(expired.kind).toBe('token-expired');
  });

  it('429 Too many requests with Retry-After -> rate-limited with the wait', async () => {
    const err = await errorFor(envelope(429, 'Too many requests', {}, { 'retry-after': '7' }));
    expect(err).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 7000 });
    expect(describeApiError(err)).toBe('The environment is limiting requests. Try again in 7 seconds.');
  });

  it('429 with an HTTP-date Retry-After and with X-RateLimit-Reset in microseconds', async () => {
    // testClient's clock is 2026-01-01T00:00:00Z.
    const date = await errorFor(envelope(429, 'Too many requests', {}, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }));
    expect(date.retryAfterMs).toBe(5000);
    const resetUs = String((Date.parse('2026-01-01T00:00:03Z')) * 1000);
    const reset = await errorFor(envelope(429, 'Too many requests', {}, { 'x-ratelimit-reset': resetUs }));
    expect(reset.retryAfterMs).toBe(3000);
  });

  it('metrics ingest 400 ValidationResponse -> validation/ingest-lines with the invalid lines', async () => {
    const body = {
      linesOk: 163,
      linesInvalid: 29,
      error: {
        code: 400,
        message: 'First 10 errors reported',
        invalidLines: [{ line: 3, error: "failed to parse metric key of message 'system.load.average.1m 2.33154'" }],
      },
    };
    const { fetch } = fakeFetch(json(400, body));
    const { client } = testClient(fetch);
    const err = (await rejection(client.metrics.ingest(['a 1', 'b 2']))) as ApiError;
    expect(err).toMatchObject({ kind: 'validation', reason: 'ingest-lines', status: 400, serverMessage: 'First 10 errors reported' });
    expect(err.violations).toEqual([{ path: 'line 3', message: body.error.invalidLines[0]?.error, parameterLocation: 'PAYLOAD_BODY' }]);
  });
});

describe('ApiError shape', () => {
  it('carries status, method, path without query, message, and serialises without secrets', async () => {
    const err = await errorFor(envelope(403, 'Token is missing required scope. Use one of: metrics.read (Read metrics)'));
    expect(err.name).toBe('ApiError');
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(
      'GET /api/v2/metrics/query failed 403 (missing-scope): Token is missing required scope. Use one of: metrics.read (Read metrics)',
    );
    expect(String(err)).toBe(`ApiError: ${err.message}`);
    const plain = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(plain).toMatchObject({ name: 'ApiError', kind: 'missing-scope', status: 403, method: 'GET', path: '/api/v2/metrics/query' });
    expect(JSON.stringify(err)).not.toContain(TOKEN.slice(32));
  });

  it('toApiError cuts the query string and redacts the path', () => {
    const err = toApiError({ type: 'aborted' }, { method: 'get', path: `/api/v2/apiTokens/${TOKEN}?api-token=${TOKEN}`, secrets: [TOKEN] });
    expect(err.method).toBe('GET');
    expect(err.path).toBe(`/api/v2/apiTokens/${TOKEN.slice(0, 31)}.***`);
    expect(err.message).not.toContain(TOKEN.slice(32));
  });

  it('has a sentence for every kind', () => {
    for (const kind of API_ERROR_KINDS) {
      const sentence = describeApiError(new ApiError({ kind: kind as ApiErrorKind, method: 'GET', path: '/api/v2/x' }));
      expect(sentence, kind).toMatch(/^[A-Z].*[.]$/);
    }
  });

  it('parseMissingScopes handles trailing periods and spacing', () => {
    expect(parseMissingScopes('Token is missing required scope. Use one of:  a.read (A) ,b.write.')).toEqual([
      { name: 'a.read', title: 'A' },
      { name: 'b.write' },
    ]);
    expect(parseMissingScopes('Forbidden')).toEqual([]);
  });

  const USE = 'Token is missing required scope. Use one of:';
  it.each([
    [`${USE} metrics.read (Read metrics)`, [{ name: 'metrics.read', title: 'Read metrics' }]],
    [`${USE} ExternalSyntheticIntegration`, [{ name: 'ExternalSyntheticIntegration' }]],
    [`${USE} CaptureRequestData (Capture request data).`, [{ name: 'CaptureRequestData', title: 'Capture request data' }]],
    ['Token is missing required scope. use ONE of:\n\ta.read (A, with a comma), b.write ( B )', [{ name: 'a.read', title: 'A, with a comma' }, { name: 'b.write', title: 'B' }]],
    [`${USE} a (b (c))`, [{ name: 'a', title: 'b (c)' }]],
    [`${USE} a.read.`, [{ name: 'a.read' }]],
    [`${USE} a.read ()`, [{ name: 'a.read' }]],
    [`${USE} two words, c.read`, [{ name: 'c.read' }]],
    [`${USE} (no name), c.read`, [{ name: 'c.read' }]],
    [`${USE} a.read (A) trailing words`, []],
    [`${USE}`, []],
  ])('parseMissingScopes(%j)', (message, expected) => {
    expect(parseMissingScopes(message)).toEqual(expected);
  });

  // The message comes from the server: a hostile or broken one must not freeze the page. A backtracking
  // pattern takes seconds on a few thousand spaces (cubic); the scan takes microseconds.
  it.each([
    ['3,000 spaces inside an item', `${USE} a${' '.repeat(3000)}b`, []],
    ['3,000 spaces and dots inside an item', `${USE} a${' .'.repeat(1500)}b`, []],
    ['100 kB of spaces after the colon', `${USE}${' '.repeat(100_000)}`, []],
    ['100 kB of items', `${USE} ${'a.read (A), '.repeat(8000)}`, Array.from({ length: 8000 }, () => ({ name: 'a.read', title: 'A' }))],
  ])('parseMissingScopes answers at once: %s', (_name, message, expected) => {
    const started = performance.now();
    expect(parseMissingScopes(message)).toEqual(expected);
    expect(performance.now() - started).toBeLessThan(250);
  });
});
