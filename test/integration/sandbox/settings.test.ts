import { beforeEach, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, json, type TestSandbox } from '../../helpers/sandbox';

describe('sandbox settings objects list', () => {
  let sb: TestSandbox;
  let admin: string;
  beforeEach(async () => {
    sb = createTestSandbox();
    admin = await sb.mintPat(DEMO.admin, ['settings.read']);
  });
  const list = (query: string) => sb.request(`/api/v2/settings/objects?${query}`, { token: admin });
  const schemaIdsOf = async (res: Response) => (await json<{ items: { schemaId: string }[] }>(res)).items.map((i) => i.schemaId);

  it('lists each requested schema once, whatever the spacing and repetition', async () => {
    const res = await list(`schemaIds=${encodeURIComponent(' builtin:tokens.token-settings , builtin:management-zones,builtin:tokens.token-settings')}&fields=schemaId`);
    expect(res.status).toBe(200);
    const ids = await schemaIdsOf(res);
    expect(ids.filter((s) => s === 'builtin:tokens.token-settings')).toHaveLength(1);
    expect(ids.filter((s) => s === 'builtin:management-zones')).toHaveLength(4);
  });

  it.each([
    ['an empty entry', 'builtin:management-zones,,builtin:tokens.token-settings'],
    ['only commas', ','.repeat(10_000)],
    ['a malformed schema id', `builtin:${'('.repeat(10_000)}`],
  ])('refuses %s in schemaIds with a 400', async (_name, schemaIds) => {
    const res = await list(`schemaIds=${encodeURIComponent(schemaIds)}`);
    expect(res.status).toBe(400);
    const body = await json<{ error: { constraintViolations: { path: string; message: string }[] } }>(res);
    expect(body.error.constraintViolations[0]!.path).toBe('schemaIds');
    expect(body.error.constraintViolations[0]!.message.length).toBeLessThan(300);
  });

  it('answers 404 for a well-formed schema the sandbox does not emulate, naming it', async () => {
    const res = await list('schemaIds=builtin:alerting.profile');
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).toContain('builtin:alerting.profile');
  });

  it('ignores empty entries in fields, like the other lists', async () => {
    const res = await list('schemaIds=builtin:tokens.token-settings&fields=,objectId,,schemaId,');
    expect(res.status).toBe(200);
    expect((await json<{ items: Record<string, unknown>[] }>(res)).items).toEqual([{ objectId: expect.any(String) as unknown, schemaId: 'builtin:tokens.token-settings' }]);
  });
});
