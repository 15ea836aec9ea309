import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestSandbox, DEMO, json, type TestSandbox } from '../../helpers/sandbox';

type Ent = { entityId: string; displayName: string; type?: string; managementZones?: { name: string }[]; tags?: { key: string; value?: string }[]; properties?: Record<string, unknown>; fromRelationships?: Record<string, { id: string }[]> };
type List = { totalCount: number; pageSize: number; nextPageKey: string | null; entities: Ent[] };

describe('sandbox entities API (docs/dynatrace-api-notes.md §7)', () => {
  let sb: TestSandbox;
  let admin: string;
  let analyst: string;
  const list = async (q: string, token = admin) => json<List>(await sb.request(`/api/v2/entities?${q}`, { token }));
  beforeAll(async () => {
    sb = createTestSandbox();
    admin = await sb.mintPat(DEMO.admin, ['entities.read']);
    analyst = await sb.mintPat(DEMO.analyst, ['entities.read']);
  });

  it('restricts a zone user silently to its zones and hides the others by id', async () => {
    const all = await list('entitySelector=type(HOST)&pageSize=500');
    const mine = await list('entitySelector=type(HOST)&pageSize=500&fields=%2BmanagementZones', analyst);
    expect(mine.totalCount).toBeGreaterThan(0);
    expect(mine.totalCount).toBeLessThan(all.totalCount);
    expect(mine.entities.every((e) => e.managementZones!.map((z) => z.name).join() === 'Production EU')).toBe(true);
    const foreign = all.entities.find((e) => !mine.entities.some((m) => m.entityId === e.entityId))!;
    const res = await sb.request(`/api/v2/entities/${foreign.entityId}`, { token: analyst });
    const missing = await sb.request('/api/v2/entities/HOST-FFFFFFFFFFFFFFFF', { token: analyst });
    expect(res.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await res.text()).replace(foreign.entityId, 'X')).toBe((await missing.text()).replace('HOST-FFFFFFFFFFFFFFFF', 'X'));
  });

  it('answers an explicit foreign zone with 403 naming it, or an empty 200 in filter mode', async () => {
    const res = await sb.request('/api/v2/entities?entitySelector=type(HOST),mzName("Production US")', { token: analyst });
    expect(res.status).toBe(403);
    expect((await json<{ error: { message: string } }>(res)).error.message).toBe("Management zone 'Production US' is not accessible to user 'analyst@example.com'");
    const usId = sb.deps.world.zoneByName.get('Production US')!.id;
    expect((await sb.request(`/api/v2/entities?entitySelector=type(HOST),not(mzId(${usId}))`, { token: analyst })).status).toBe(403);
    await sb.admin('/settings', 'PUT', { zoneDenials: 'filter' });
    const filtered = await list('entitySelector=type(HOST),mzName("Production US")', analyst);
    expect(filtered.totalCount).toBe(0);
    await sb.admin('/settings', 'PUT', { zoneDenials: 'reject' });
    expect((await list('entitySelector=type(HOST),mzName("Production EU")', analyst)).totalCount).toBeGreaterThan(0);
  });

  it('evaluates names, tags, attributes, health, relationships and negation', async () => {
    const web = await list('entitySelector=type("HOST"),entityName.startsWith("PRD-EU-WEB")&pageSize=500');
    expect(web.totalCount).toBeGreaterThan(0);
    expect(web.entities.every((e) => e.displayName.startsWith('prd-eu-web'))).toBe(true);
    expect((await list('entitySelector=type(HOST),caseSensitive(entityName.startsWith("PRD-EU-WEB"))')).totalCount).toBe(0);
    const prod = await list('entitySelector=type(HOST),tag("env:prod")&pageSize=500&fields=%2Btags');
    expect(prod.entities.every((e) => e.tags!.some((t) => t.key === 'env' && t.value === 'prod'))).toBe(true);
    const notProd = await list('entitySelector=type(HOST),not(tag("env:prod"))&pageSize=500');
    const allHosts = await list('entitySelector=type(HOST)&pageSize=500');
    expect(prod.totalCount + notProd.totalCount).toBe(allHosts.totalCount);
    const linux = await list('entitySelector=type(HOST),osType("LINUX")&pageSize=500&fields=%2Bproperties.osType');
    expect(linux.entities.every((e) => e.properties!.osType === 'LINUX')).toBe(true);
    expect(linux.entities.every((e) => Object.keys(e.properties!).join() === 'osType')).toBe(true);
    const unhealthy = await list('entitySelector=type(HOST),healthState("UNHEALTHY")&pageSize=500');
    const healthy = await list('entitySelector=type(HOST),healthState("HEALTHY")&pageSize=500');
    expect(unhealthy.totalCount + healthy.totalCount).toBe(allHosts.totalCount);
    // services running on EU web hosts, through the runsOnHost relationship
    const svc = await list('entitySelector=type(SERVICE),fromRelationships.runsOnHost(type(HOST),entityName.startsWith("prd-eu-web"))&pageSize=500&fields=%2BfromRelationships.runsOnHost');
    expect(svc.totalCount).toBe(web.totalCount);
    const webIds = new Set(web.entities.map((e) => e.entityId));
    expect(svc.entities.every((e) => webIds.has(e.fromRelationships!.runsOnHost![0]!.id))).toBe(true);
    const hostsOfSvc = await list(`entitySelector=type(HOST),toRelationships.runsOnHost(type(SERVICE),entityId("${svc.entities[0]!.entityId}"))`);
    expect(hostsOfSvc.entities.map((e) => e.entityId)).toEqual([svc.entities[0]!.fromRelationships!.runsOnHost![0]!.id]);
  });

  it('uses firstSeenTms and the timeframe: late hosts are missing from an older window', async () => {
    const recent = await list('entitySelector=type(HOST),firstSeenTms.gte(now-1d)&pageSize=500');
    const old = await list('entitySelector=type(HOST)&from=now-60d&to=now-2d&pageSize=500');
    expect(recent.totalCount).toBeGreaterThan(0);
    expect(old.entities.some((e) => recent.entities.some((r) => r.entityId === e.entityId))).toBe(false);
    expect((await sb.request('/api/v2/entities?entitySelector=type(HOST)&from=now-1d&to=now-2d', { token: admin })).status).toBe(400);
    expect((await sb.request('/api/v2/entities?entitySelector=type(HOST)&from=yesterday', { token: admin })).status).toBe(400);
  });

  it('pages with nextPageKey alone, sorted by name', async () => {
    const first = await list('entitySelector=type(PROCESS_GROUP_INSTANCE)&pageSize=7&sort=name');
    const names = first.entities.map((e) => e.displayName);
    const seen = [...names];
    let key = first.nextPageKey;
    let pages = 1;
    while (key) {
      const res = await sb.request(`/api/v2/entities?nextPageKey=${encodeURIComponent(key)}`, { token: admin });
      expect(res.status).toBe(200);
      const page = await json<List>(res);
      seen.push(...page.entities.map((e) => e.displayName));
      key = page.nextPageKey;
      pages++;
    }
    expect(seen).toHaveLength(first.totalCount);
    expect(pages).toBe(Math.ceil(first.totalCount / 7));
    expect(seen).toEqual([...seen].sort((a, b) => a.localeCompare(b)));
    expect((await sb.request(`/api/v2/entities?nextPageKey=${encodeURIComponent(first.nextPageKey!)}&entitySelector=type(HOST)`, { token: admin })).status).toBe(400);
    expect((await sb.request(`/api/v2/entities?nextPageKey=${encodeURIComponent(first.nextPageKey!)}`, { token: analyst })).status).toBe(400);
  });

  it.each([
    ['no selector', '', /entitySelector is required/],
    ['no type or entityId', 'entitySelector=tag("env:prod")', /type\(\.\.\.\) or entityId/],
    ['a syntax error', 'entitySelector=type(HOST),tag("env"', /position/],
    ['pageSize 0', 'entitySelector=type(HOST)&pageSize=0', /pageSize/],
    ['an unknown field', 'entitySelector=type(HOST)&fields=%2Bsecrets', /unknown field/],
    ['sort by type', 'entitySelector=type(HOST)&sort=type', /sorted by name/],
  ])('answers %s with 400 and a constraint violation', async (_name, q, message) => {
    const res = await sb.request(`/api/v2/entities?${q}`, { token: admin });
    expect(res.status).toBe(400);
    const body = await json<{ error: { constraintViolations: { message: string; parameterLocation: string }[] } }>(res);
    expect(body.error.constraintViolations[0]!.message).toMatch(message);
    expect(body.error.constraintViolations[0]!.parameterLocation).toBe('QUERY');
  });

  it('matches an in-memory reference filter for generated selectors, always within the caller\'s zones', async () => {
    const world = sb.deps.world;
    const euId = world.zoneByName.get('Production EU')!.id;
    const hosts = world.byType.get('HOST')!;
    await fc.assert(fc.asyncProperty(
      fc.record({ prefix: fc.constantFrom('prd', 'stg', 'shr', 'prd-eu', 'x'), env: fc.option(fc.constantFrom('prod', 'staging', 'shared')), os: fc.option(fc.constantFrom('LINUX', 'WINDOWS')), negate: fc.boolean() }),
      async ({ prefix, env, os, negate }) => {
        const parts = ['type(HOST)', `entityName.startsWith("${prefix}")`];
        if (env) parts.push(negate ? `not(tag("env:${env}"))` : `tag("env:${env}")`);
        if (os) parts.push(`osType("${os}")`);
        const got = await list(`entitySelector=${encodeURIComponent(parts.join(','))}&pageSize=500`, analyst);
        const expected = hosts.filter((h) => h.zoneIds.includes(euId) && h.displayName.toLowerCase().startsWith(prefix)
          && (!env || negate !== h.tags.some((t) => t.key === 'env' && t.value === env))
          && (!os || h.properties.osType === os)).map((h) => h.entityId).sort();
        expect(got.entities.map((e) => e.entityId).sort()).toEqual(expected);
      }), { numRuns: 200 });
  });
});
