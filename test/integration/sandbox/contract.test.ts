import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, type TestSandbox } from '../../helpers/sandbox';
import { specErrors } from '../../helpers/openapi';

/** Responses validate against Dynatrace's OpenAPI spec with additionalProperties: false. */
describe('sandbox responses match the OpenAPI spec', () => {
  let sb: TestSandbox;
  let admin: string;
  let analyst: string;
  beforeAll(async () => {
    sb = createTestSandbox();
    admin = await sb.mintPat(DEMO.admin, ['apiTokens.read', 'apiTokens.write', 'entities.read', 'settings.read']);
    analyst = await sb.mintPat(DEMO.analyst, ['entities.read']);
  });

  it('catches a body that breaks the schema (the check itself can fail)', () => {
    expect(specErrors('ApiToken', { id: 'x', digest: 'abc' })).not.toEqual([]);
    expect(specErrors('ErrorEnvelope', { error: { code: '400' } })).not.toEqual([]);
  });

  it('token list, token, lookup and created token', async () => {
    const created = await json(await sb.request('/api/v2/apiTokens', { token: admin, method: 'POST', body: { name: 'n', scopes: ['metrics.read'], personalAccessToken: true, expirationDate: 'now+1d' } }));
    expect(specErrors('ApiTokenCreated', created)).toEqual([]);
    const list = await json(await sb.request('/api/v2/apiTokens?fields=%2Bscopes,%2BexpirationDate,%2BlastUsedDate,%2BpersonalAccessToken', { token: admin }));
    expect(specErrors('ApiTokenList', list)).toEqual([]);
    const one = await json(await sb.request(`/api/v2/apiTokens/${String(created.id)}`, { token: admin }));
    expect(specErrors('ApiToken', one)).toEqual([]);
    const lookup = await json(await sb.request('/api/v2/apiTokens/lookup', { token: admin, method: 'POST', body: { token: admin } }));
    expect(specErrors('ApiToken', lookup)).toEqual([]);
  });

  it('entity list (all fields) and a full entity', async () => {
    const list = await json<{ entities: { entityId: string }[] }>(await sb.request('/api/v2/entities?entitySelector=type(SERVICE)&fields=%2Bproperties,%2Btags,%2BmanagementZones,%2BfromRelationships,%2BtoRelationships,%2BfirstSeenTms,%2BlastSeenTms,%2Bicon', { token: analyst }));
    expect(list.entities.length).toBeGreaterThan(0);
    expect(specErrors('EntitiesList', list)).toEqual([]);
    const one = await json(await sb.request(`/api/v2/entities/${list.entities[0]!.entityId}`, { token: analyst }));
    expect(specErrors('Entity', one)).toEqual([]);
  });

  it('entity types', async () => {
    const types = await json<{ types: { type: string }[] }>(await sb.request('/api/v2/entityTypes', { token: analyst }));
    expect(types.types.map((t) => t.type)).toContain('HOST');
    expect(specErrors('EntityTypeList', types)).toEqual([]);
    expect(specErrors('EntityType', await json(await sb.request('/api/v2/entityTypes/SERVICE', { token: analyst })))).toEqual([]);
  });

  it('problems list and a problem with evidence and impact analysis', async () => {
    const support = await sb.mintPat(DEMO.support, ['problems.read']);
    const list = await json<{ problems: { problemId: string; status: string; endTime: number }[] }>(await sb.request('/api/v2/problems?from=now-30d&pageSize=500&fields=evidenceDetails,impactAnalysis,recentComments', { token: support }));
    expect(list.problems.length).toBeGreaterThan(10);
    expect(list.problems.some((p) => p.status === 'OPEN' && p.endTime === -1)).toBe(true);
    expect(list.problems.some((p) => p.status === 'CLOSED' && p.endTime > 0)).toBe(true);
    expect(specErrors('Problems', list)).toEqual([]);
    expect(specErrors('Problem', await json(await sb.request(`/api/v2/problems/${list.problems[0]!.problemId}`, { token: support })))).toEqual([]);
  });

  it('settings objects', async () => {
    const objs = await json(await sb.request('/api/v2/settings/objects?schemaIds=builtin:management-zones&fields=objectId,value,schemaId,scope', { token: admin }));
    expect(specErrors('ObjectsList', objs)).toEqual([]);
  });

  it.each([
    ['401 missing token', (s: TestSandbox) => s.request('/api/v2/entities?entitySelector=type(HOST)')],
    ['401 bad token', (s: TestSandbox) => s.request('/api/v2/entities?entitySelector=type(HOST)', { token: 'nope' })],
    ['403 missing scope', (s: TestSandbox) => s.request('/api/v2/settings/objects?schemaIds=builtin:management-zones', { token: analyst })],
    ['403 foreign zone', (s: TestSandbox) => s.request('/api/v2/entities?entitySelector=type(HOST),mzName("Staging")', { token: analyst })],
    ['400 selector syntax', (s: TestSandbox) => s.request('/api/v2/entities?entitySelector=type(HOST', { token: analyst })],
    ['404 entity', (s: TestSandbox) => s.request('/api/v2/entities/HOST-0000000000000000', { token: analyst })],
    ['404 route', (s: TestSandbox) => s.request('/api/v2/nope', { token: analyst })],
    ['413 body', (s: TestSandbox) => s.request('/api/v2/apiTokens/lookup', { token: analyst, method: 'POST', body: JSON.stringify({ token: 'x'.repeat(1_100_000) }) })],
  ])('error envelope: %s', async (_name, call) => {
    const res = await call(sb);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(res);
    expect(specErrors('ErrorEnvelope', body)).toEqual([]);
    expect((body.error as { code: number }).code).toBe(res.status);
  });
});
