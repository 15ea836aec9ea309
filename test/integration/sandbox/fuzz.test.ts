import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestSandbox, DEMO, type TestSandbox } from '../../helpers/sandbox';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** Parameter fuzzing: only 200/400/401/403/404, never a 5xx, and every 400 in the error envelope. */
describe(`sandbox parameter fuzzing (seed ${SEED}, ${RUNS} runs)`, () => {
  let sb: TestSandbox;
  let token: string;
  beforeAll(async () => {
    sb = createTestSandbox();
    token = await sb.mintPat(DEMO.analyst, ['entities.read', 'apiTokens.read', 'settings.read']);
  });

  const selectorish = fc.oneof(
    { arbitrary: fc.constantFrom('type(HOST)', 'type(SERVICE),tag("env:prod")', 'owner("analyst@example.com")', 'personalAccessToken(true)'), weight: 4 },
    fc.string({ maxLength: 80 }),
    fc.stringMatching(/^[a-zA-Z(),."~:![\] -]{0,80}$/),
    fc.constantFrom('type(HOST)', 'type("HOST"),tag("env:prod")', 'entityId("HOST-0000000000000000")', 'type(HOST),mzName("Staging")',
      'type(SERVICE),fromRelationships.runsOnHost(type(HOST))', 'not(type(HOST))', 'type(HOST),firstSeenTms.lt(now-1d)'),
  );
  const time = fc.oneof({ arbitrary: fc.constantFrom('now-3d', 'now-2h'), weight: 3 }, fc.constantFrom('now', 'now-2h', 'now-1d/d', '2026-11-01T00:00:00Z', '1764000000000', 'now+1y', ''), fc.string({ maxLength: 30 }));
  const auth = fc.oneof({ arbitrary: fc.constant('VALID'), weight: 8 }, fc.constant(undefined), fc.string({ maxLength: 120 }), fc.constant('dt0c01.'), fc.constant(`dt0c01.${'A'.repeat(24)}.${'B'.repeat(64)}`));

  it('never answers 5xx, and every 400 carries the error envelope', async () => {
    let statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(
      fc.record({
        path: fc.constantFrom('/api/v2/entities', '/api/v2/apiTokens', '/api/v2/settings/objects'),
        entitySelector: fc.option(selectorish, { freq: 8 }),
        from: fc.option(time, { freq: 2 }), to: fc.option(time, { freq: 2 }),
        pageSize: fc.option(fc.oneof(fc.integer({ min: -5, max: 20_000 }).map(String), fc.string({ maxLength: 8 })), { freq: 2 }),
        fields: fc.option(fc.oneof(fc.constantFrom('+tags', '+properties.osType', 'entityId', '-displayName'), fc.string({ maxLength: 20 })), { freq: 2 }),
        nextPageKey: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, fc.string({ maxLength: 40 })),
        apiTokenSelector: fc.option(selectorish, { freq: 2 }),
        auth,
      }),
      async (p) => {
        const q = new URLSearchParams();
        for (const k of ['entitySelector', 'from', 'to', 'pageSize', 'fields', 'nextPageKey', 'apiTokenSelector'] as const) {
          const v = p[k];
          if (v !== null && v !== undefined) q.set(k, v);
        }
        if (p.path.includes('settings')) q.set('schemaIds', 'builtin:management-zones');
        const headers: Record<string, string> = {};
        if (p.auth !== undefined) headers.authorization = `Api-Token ${p.auth === 'VALID' ? token : p.auth}`;
        const res = await sb.request(`${p.path}?${q}`, { headers });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect([200, 400, 401, 403, 404]).toContain(res.status);
        if (res.status === 400) {
          const body = (await res.json()) as { error: { code: number; message: string } };
          expect(body.error.code).toBe(400);
          expect(typeof body.error.message).toBe('string');
        }
      }), { numRuns: RUNS, seed: SEED });
    // The generator must reach the interesting answers, or the property proves little.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 50);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 50);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(RUNS / 50);
    statuses = new Map();
  });
});
