import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import ErrorNotice from '../../components/ErrorNotice.vue';
import { API_ERROR_KINDS, ApiError, toApiError } from '../../lib/dynatrace';
import { describeFailure } from '../../lib/failure/describe';
import { Failure, FAILURE_CODES, type FailureView } from '../../lib/failure/failure';

const response = (status: number, message: string, headers: Record<string, string> = {}) =>
  toApiError({ type: 'response', status, body: JSON.stringify({ error: { code: status, message } }), headers: { get: (n: string) => headers[n.toLowerCase()] ?? null } }, { method: 'GET', path: '/api/v2/metrics/query' });

const show = (view: FailureView) => mount(ErrorNotice, { props: { failure: view } });

/** Every failure goes through one describer and one component: each kind reads as a title and a cause. */
describe('describeFailure + ErrorNotice', () => {
  it.each(API_ERROR_KINDS.map((kind) => [kind]))('shows an API failure of kind %s with its own title and a cause', (kind) => {
    const view = describeFailure(new ApiError({ kind, method: 'GET', path: '/api/v2/entities', status: 400 }), { operation: 'query' });
    expect(view.kind).toBe(kind);
    expect(view.apiKind).toBe(kind);
    expect(view.title).not.toBe('Something went wrong');
    expect(view.message.length).toBeGreaterThan(10);
    expect(view.cause).toContain('GET /api/v2/entities failed');
    const alert = show(view).get('[role="alert"]');
    expect(alert.attributes('data-kind')).toBe(kind);
    expect(alert.text()).toContain(`${view.title}: ${view.message}`);
  });

  it.each(FAILURE_CODES.map((code) => [code]))('shows a failure of Tokenscope\'s own code %s with its own title and its message', (code) => {
    const view = describeFailure(new Failure(code, `Because of ${code}.`));
    expect(view.kind).toBe(code);
    expect(show(view).get('[role="alert"]').text()).toBe(`${view.title}: Because of ${code}.`);
  });

  it('titles differ between kinds (a title names the kind of failure)', () => {
    const titles = new Set(API_ERROR_KINDS.map((kind) => describeFailure(new ApiError({ kind, method: 'GET', path: '/x' })).title));
    expect(titles.size).toBe(API_ERROR_KINDS.length);
  });

  it.each([
    ['missing scope', response(403, 'Token is missing required scope. Use one of: metrics.read (Read metrics)'), /metrics\.read/],
    ['zone', response(403, "Management zone 'Production US' is not accessible to user 'analyst@example.com'"), /Production US.*analyst@example\.com/],
    ['owner permission', response(403, "User 'nogrants@example.com' lacks the permission 'viewer' required for this request"), /nogrants@example\.com/],
    ['expired', response(401, 'Token Authentication failed: the token has expired'), /expired/i],
    ['invalid', response(401, 'Token Authentication failed'), /token/i],
    ['PATs disabled', response(401, 'Token Authentication failed: personal access tokens are disabled in this environment'), /disabled/i],
    ['PAT on v1', response(403, 'Personal access tokens can only be used with API v2'), /API v2/],
    ['rate limited', response(429, 'Too many requests', { 'retry-after': '17' }), /17 seconds/],
    ['timeout', toApiError({ type: 'timeout', timeoutMs: 10_000 }, { method: 'GET', path: '/api/v2/metrics/query' }), /10 seconds/],
    ['network', toApiError({ type: 'network', cause: new TypeError('fetch failed') }, { method: 'GET', path: '/api/v2/metrics/query' }), /reach|network|connect/i],
  ])('names the cause of a real answer: %s', (_what, error, text) => {
    expect(show(describeFailure(error, { operation: 'query' })).get('[role="alert"]').text()).toMatch(text);
  });

  it('offers to re-run with a stored token that would succeed, as an action the notice emits', async () => {
    const view = describeFailure(response(403, 'Token is missing required scope. Use one of: settings.read (Read settings)'), { operation: 'query', alternatives: [{ id: 'dt0c01.S', label: 'support' }] });
    const w = show(view);
    expect(w.text()).toContain('The stored token "support" would be allowed to run this query.');
    await w.get('button').trigger('click');
    expect(w.emitted('action')).toEqual([[{ kind: 'rerun-with', tokenId: 'dt0c01.S', label: 'Re-run with support' }]]);
  });

  it('names a rejected field of a query; several are listed', () => {
    const violations = [
      { path: 'entitySelector', message: 'expected a closing parenthesis', parameterLocation: 'QUERY', location: null },
      { path: 'from', message: 'not a timeframe', parameterLocation: 'QUERY', location: null },
    ];
    const one = toApiError({ type: 'response', status: 400, body: JSON.stringify({ error: { code: 400, message: 'Constraints violated.', constraintViolations: violations.slice(0, 1) } }) }, { method: 'GET', path: '/api/v2/entities' });
    expect(show(describeFailure(one)).text()).toContain('entitySelector: expected a closing parenthesis');
    const two = toApiError({ type: 'response', status: 400, body: JSON.stringify({ error: { code: 400, message: 'Constraints violated.', constraintViolations: violations } }) }, { method: 'GET', path: '/api/v2/entities' });
    expect(show(describeFailure(two)).findAll('.details li').map((li) => li.text())).toEqual(['entitySelector: expected a closing parenthesis', 'from: not a timeframe']);
  });

  it('a validation message of Tokenscope is invalid-input, not unexpected; an unknown error is unexpected and redacted', () => {
    expect(describeFailure(new Failure('invalid-input', 'Give the new token a name.')).kind).toBe('invalid-input');
    const secret = `dt0c01.${'A'.repeat(24)}.${'B'.repeat(64)}`;
    const view = describeFailure(new Error(`boom ${secret}`));
    expect(view.kind).toBe('unexpected');
    expect(JSON.stringify(view)).not.toContain('B'.repeat(64));
  });
});
