import { beforeAll, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, type TestSandbox } from '../../helpers/sandbox';
import { specErrors } from '../../helpers/openapi';

/** Responses validate against Dynatrace's OpenAPI spec with additionalProperties: false. */
describe('sandbox responses match the OpenAPI spec', () => {
  let sb: TestSandbox;
  let admin: string;
  let analyst: string;
  let metricsReader: string;
  beforeAll(async () => {
    sb = createTestSandbox();
    admin = await sb.mintPat(DEMO.admin, ['apiTokens.read', 'apiTokens.write', 'entities.read', 'settings.read']);
    analyst = await sb.mintPat(DEMO.analyst, ['entities.read']);
    metricsReader = await sb.mintPat(DEMO.analyst, ['metrics.read']);
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

  it('metric list, descriptors (plain and transformed), query results and ingest answers', async () => {
    const reader = await sb.mintPat(DEMO.admin, ['metrics.read']);
    const allFields = 'fields=%2Btags,%2BdduBillable,%2Bcreated,%2BlastWritten,%2BaggregationTypes,%2BdefaultAggregation,%2BdimensionDefinitions,%2Btransformations,%2BentityType,%2BminimumValue,%2BmaximumValue,%2BrootCauseRelevant,%2BimpactRelevant,%2BmetricValueType,%2Blatency,%2Bscalar,%2BresolutionInfSupported,%2BunitDisplayFormat,%2BdimensionCardinalities';
    const list = await json<{ metrics: unknown[]; nextPageKey: string | null }>(await sb.request(`/api/v2/metrics?pageSize=10&${allFields}`, { token: reader }));
    expect(list.metrics).toHaveLength(10);
    expect(specErrors('MetricDescriptorCollection', list)).toEqual([]);
    const last = await json(await sb.request(`/api/v2/metrics?nextPageKey=${encodeURIComponent(list.nextPageKey!)}`, { token: reader }));
    expect(specErrors('MetricDescriptorCollection', last)).toEqual([]);
    for (const key of ['builtin:host.cpu.usage', 'builtin:host.disk.avail:names:parents', 'builtin:service.response.time:splitBy():percentile(95)']) {
      expect(specErrors('MetricDescriptor', await json(await sb.request(`/api/v2/metrics/${encodeURIComponent(key)}`, { token: reader }))), key).toEqual([]);
    }
    const sel = encodeURIComponent('builtin:host.cpu.usage:names,builtin:host.disk.usedPct:splitBy("dt.entity.host"):max:fold,builtin:service.response.time:filter(eq(dt.entity.hostx,x)),builtin:host.cpu.user + 1');
    const data = await json<{ result: unknown[]; warnings?: string[] }>(await sb.request(`/api/v2/metrics/query?metricSelector=${sel}&from=now-1h`, { token: reader }));
    expect(data.result).toHaveLength(4);
    expect(data.warnings).toHaveLength(1);
    expect(specErrors('MetricData', data)).toEqual([]);
    const ingester = await sb.mintClassic(['metrics.ingest']);
    const ok = await sb.request('/api/v2/metrics/ingest', { token: ingester, method: 'POST', body: 'contract.gauge,dim=a 1\ncontract.count count,delta=2', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(ok.status).toBe(202);
    expect(specErrors('ValidationResponse', await json(ok))).toEqual([]);
    const bad = await sb.request('/api/v2/metrics/ingest', { token: ingester, method: 'POST', body: 'contract.gauge 1\n9bad 2', headers: { 'content-type': 'text/plain' } });
    expect(bad.status).toBe(400);
    expect(specErrors('ValidationResponse', await json(bad))).toEqual([]);
    expect(specErrors('ValidationResponse', { linesOk: 1, linesInvalid: 0, error: null, warnings: null, extra: 1 })).not.toEqual([]);
  });

  it.each([
    [400, 'metric selector syntax', (s: TestSandbox) => s.request('/api/v2/metrics/query?metricSelector=builtin:host.cpu.usage:avg(', { token: metricsReader })],
    [403, 'environment-wide metric for a zone user', (s: TestSandbox) => s.request('/api/v2/metrics/query?metricSelector=builtin:billing.ddu.metrics.total', { token: metricsReader })],
    [404, 'unknown metric', (s: TestSandbox) => s.request('/api/v2/metrics/builtin:nope', { token: metricsReader })],
    [406, 'unsupported Accept', (s: TestSandbox) => s.request('/api/v2/metrics/query?metricSelector=builtin:host.cpu.usage', { token: metricsReader, headers: { accept: 'application/xml' } })],
  ])('error envelope (metrics): %i %s', async (status, _name, call) => {
    const res = await call(sb);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await json(res);
    expect(specErrors('ErrorEnvelope', body)).toEqual([]);
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
