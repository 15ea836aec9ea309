import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/server';
import { createDynatraceClient } from '../../../lib/dynatrace';
import { diffInspections, inspectionReportJson, inspectionReportMarkdown, inspectToken, type Inspection } from '../../../lib/inspector/inspection';
import { adminFetch } from '../../helpers/spawn-sandbox';

const KEY = 'inspector-key';

describe('token inspector against the sandbox', () => {
  let sb: RunningSandbox;
  let analyst: string;
  let support: string;
  let a: Inspection;
  let s: Inspection;
  const mint = async (email: string, scopes: string[]) =>
    ((await (await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'inspect me', scopes })).json()) as { token: string }).token;
  const inspect = (token: string) => inspectToken(createDynatraceClient({ environmentUrl: sb.url, getToken: () => token }), { environmentUrl: sb.url, secret: () => token });

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, db: ':memory:', adminKey: KEY });
    analyst = await mint('analyst@example.com', ['entities.read', 'problems.read', 'metrics.read', 'apiTokens.read']);
    support = await mint('support@example.com', ['entities.read', 'problems.read', 'metrics.read', 'settings.read']);
    [a, s] = await Promise.all([inspect(analyst), inspect(support)]);
  });
  afterAll(async () => { await sb?.close(); });

  it('shows the EU analyst its one zone and metadata from lookup', () => {
    expect(a.token).toMatchObject({ owner: 'analyst@example.com', personalAccessToken: true });
    expect(a.zones.map((z) => z.zone)).toEqual(['Production EU']);
    expect(a.zones[0]!.byType.HOST).toBeGreaterThan(0);
    expect(a.zonesNotSeen).toBeNull(); // it may not read settings
  });

  it('decodes the matrix: allowed, missing scope, and ingest probed without writing', () => {
    const cell = (i: Inspection, id: string) => i.matrix.find((c) => c.probe === id)!;
    expect(cell(a, 'entities').state).toBe('allowed');
    expect(cell(a, 'metricsRead').state).toBe('allowed');
    expect(cell(a, 'problems').state).toBe('allowed');
    expect(cell(a, 'settings')).toMatchObject({ state: 'missing-scope', text: 'missing scope settings.read' });
    expect(cell(a, 'metricsIngest')).toMatchObject({ state: 'missing-scope', text: 'missing scope metrics.ingest' });
    expect(cell(s, 'tokens')).toMatchObject({ state: 'missing-scope' });
    expect(cell(s, 'settings').state).toBe('allowed');
  });

  it('compares two tokens: the support engineer sees the extra zones', () => {
    const d = diffInspections(a, s);
    expect(d.zones.onlyB).toEqual(['Production US', 'Shared Services', 'Staging']);
    expect(d.zones.both).toEqual(['Production EU']);
    expect(d.scopes.onlyA).toEqual(['apiTokens.read']);
    expect(d.scopes.onlyB).toEqual(['settings.read']);
    expect(d.matrix.find((m) => m.probe === 'settings')!.differs).toBe(true);
  });

  it('writes secret-free reports with the token id, time and environment', () => {
    for (const [insp, secret] of [[a, analyst], [s, support]] as const) {
      const md = inspectionReportMarkdown(insp);
      const json = inspectionReportJson(insp);
      for (const r of [md, json]) {
        expect(r).not.toContain(secret.split('.')[2]);
        expect(r).toContain(secret.split('.').slice(0, 2).join('.'));
        expect(r).toContain(sb.url);
        expect(r).toContain(insp.inspectedAt);
      }
      expect(JSON.parse(json).matrix).toHaveLength(7);
    }
  });

  it('counts its requests', () => {
    expect(a.requests).toBeGreaterThanOrEqual(7 + 1 + 4 + 1);
  });
});
