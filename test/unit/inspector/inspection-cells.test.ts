import { describe, expect, it } from 'vitest';
import { decodeProbe, PROBES } from '../../../lib/inspector/inspection';
import { toApiError } from '../../../lib/dynatrace';

const probe = PROBES.find((p) => p.id === 'settings')!;
const res = (status: number, message: string) => toApiError({ type: 'response', status, body: JSON.stringify({ error: { code: status, message } }) }, { method: 'GET', path: '/api/v2/settings/objects' });

describe('access matrix cells', () => {
  it.each([
    ['allowed', { ok: true as const }, 'allowed', 'allowed'],
    ['400 after auth (empty ingest body)', { ok: false as const, error: res(400, 'Invalid line protocol') }, 'allowed', 'allowed'],
    ['missing scope', { ok: false as const, error: res(403, 'Token is missing required scope. Use one of: settings.read (Read settings)') }, 'missing-scope', 'missing scope settings.read'],
    ['owner lacks permission', { ok: false as const, error: res(403, "User 'a@b.c' lacks the permission 'viewer' required for this request") }, 'owner-permission', 'owner lacks permission viewer'],
    ['PAT not allowed', { ok: false as const, error: res(403, 'Personal access tokens can only be used with API v2') }, 'pat-not-allowed', 'PAT not allowed here'],
    ['server error', { ok: false as const, error: res(503, 'down') }, 'error', undefined],
  ])('%s', (_name, outcome, state, text) => {
    const cell = decodeProbe(probe, outcome);
    expect(cell.state).toBe(state);
    if (text) expect(cell.text).toBe(text); else expect(cell.text).toMatch(/^error: /);
  });
});
