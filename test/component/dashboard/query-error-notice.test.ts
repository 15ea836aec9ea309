import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import QueryErrorNotice from '../../../dashboard/components/QueryErrorNotice.vue';
import { ApiError, toApiError } from '../../../lib/dynatrace';

const response = (status: number, message: string, headers: Record<string, string> = {}) =>
  toApiError({ type: 'response', status, body: JSON.stringify({ error: { code: status, message } }), headers: { get: (n: string) => headers[n.toLowerCase()] ?? null } }, { method: 'GET', path: '/api/v2/metrics/query' });

/** Each decoded cause, as the real (or sandbox) answer produces it, shown in an alert that names it. */
describe('QueryErrorNotice', () => {
  it.each([
    ['missing scope', response(403, 'Token is missing required scope. Use one of: metrics.read (Read metrics)'), /metrics\.read/],
    ['zone', response(403, "Management zone 'Production US' is not accessible to user 'analyst@example.com'"), /Production US/],
    ['owner permission', response(403, "User 'nogrants@example.com' lacks the permission 'viewer' required for this request"), /nogrants@example\.com/],
    ['expired', response(401, 'Token Authentication failed: the token has expired'), /expired/i],
    ['invalid', response(401, 'Token Authentication failed'), /token/i],
    ['PATs disabled', response(401, 'Token Authentication failed: personal access tokens are disabled in this environment'), /disabled/i],
    ['PAT on v1', response(403, 'Personal access tokens can only be used with API v2'), /API v2/],
    ['rate limited', response(429, 'Too many requests', { 'retry-after': '17' }), /17/],
    ['timeout', toApiError({ type: 'timeout', timeoutMs: 10_000 }, { method: 'GET', path: '/api/v2/metrics/query' }), /10/],
    ['network', toApiError({ type: 'network', cause: new TypeError('fetch failed') }, { method: 'GET', path: '/api/v2/metrics/query' }), /reach|network|connect/i],
  ])('explains %s in an alert', (_what, error, text) => {
    expect(error).toBeInstanceOf(ApiError);
    const w = mount(QueryErrorNotice, { props: { error } });
    const alert = w.get('[role="alert"]');
    expect(alert.text()).toMatch(text);
  });

  it('offers to re-run with a stored token that would succeed', async () => {
    const w = mount(QueryErrorNotice, { props: { error: response(403, 'Token is missing required scope. Use one of: settings.read (Read settings)'), alternatives: [{ id: 'dt0c01.S', label: 'support' }] } });
    expect(w.text()).toContain('The stored token "support" would be allowed to run this query.');
    await w.get('button').trigger('click');
    expect(w.emitted('rerunWith')).toEqual([['dt0c01.S']]);
  });

  it('lists constraint violations of a rejected query', () => {
    const err = toApiError({ type: 'response', status: 400, body: JSON.stringify({ error: { code: 400, message: 'Constraints violated.', constraintViolations: [{ path: 'entitySelector', message: 'expected a closing parenthesis', parameterLocation: 'QUERY', location: null }] } }) }, { method: 'GET', path: '/api/v2/entities' });
    const w = mount(QueryErrorNotice, { props: { error: err } });
    expect(w.get('.violations').text()).toContain('entitySelector: expected a closing parenthesis');
  });
});
