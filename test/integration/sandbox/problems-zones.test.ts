import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestSandbox, DEMO, json, T0, type TestSandbox } from '../../helpers/sandbox';
import type { EntityRecord, ProblemRecord } from '../../../sandbox/world/records';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.PROBLEM_RUNS ?? 300);

type Criterion = { name: string; value: string };
type Case = { affected: number[]; extraImpacted: number[]; rootCause: number | null; caller: string; criterion: string; pick: number };

/**
 * Problems that span zones, generated over the demo world's entities: a zone user sees such a problem
 * (it touches one of its zones), but its filters must match only through the entities and zones
 * the user can see. Otherwise `affectedEntities("<foreign id>")` would tell which foreign entities
 * a visible problem involves. The reference model below applies the same filters to the visible
 * parts only.
 */
describe(`problem filters see only the caller's part of a problem (seed ${SEED}, ${RUNS} runs)`, () => {
  let sb: TestSandbox;
  let seeded: ProblemRecord[];
  const tokens = new Map<string, string>();
  const CALLERS = [DEMO.analyst, DEMO.operator];

  beforeAll(async () => {
    sb = createTestSandbox();
    seeded = sb.deps.world.problems;
    await sb.admin('/settings', 'PUT', { zoneDenials: 'filter' });
    for (const email of CALLERS) tokens.set(email, await sb.mintPat(email, ['problems.read']));
  });
  afterAll(() => { sb.deps.world.setProblems(seeded); });

  const world = () => sb.deps.world;
  const pool = (): EntityRecord[] => [...world().byType.get('HOST')!, ...world().byType.get('SERVICE')!, ...world().byType.get('APPLICATION')!];

  const arbCase = (): fc.Arbitrary<Case> => fc.record({
    affected: fc.uniqueArray(fc.nat(pool().length - 1), { minLength: 1, maxLength: 3 }),
    extraImpacted: fc.uniqueArray(fc.nat(pool().length - 1), { maxLength: 3 }),
    rootCause: fc.option(fc.nat(5)),
    caller: fc.constantFrom(...CALLERS),
    criterion: fc.constantFrom('rootCauseEntity', 'affectedEntities', 'impactedEntities', 'entityTags', 'text', 'affectedEntityTypes', 'managementZoneIds', 'managementZones'),
    pick: fc.nat(20),
  });

  /** The problem and the criterion value, drawn from the problem's own entities and zones (visible or not). */
  function build(c: Case): { problem: ProblemRecord; criterion: Criterion } {
    const all = pool();
    const affected = c.affected.map((i) => all[i]!.entityId);
    const impacted = [...new Set([...affected, ...c.extraImpacted.map((i) => all[i]!.entityId)])];
    const rootCause = c.rootCause === null ? null : impacted[c.rootCause % impacted.length]!;
    const zoneIds = [...new Set(impacted.flatMap((id) => world().byId.get(id)!.zoneIds))];
    const problem: ProblemRecord = {
      problemId: '-1234567890123456789_1700000000000V2', displayId: 'P-990001', title: 'Generated cross-zone problem',
      severityLevel: 'PERFORMANCE', impactLevel: 'SERVICES', startTime: T0 - 3_600_000, endTime: -1,
      affected, impacted, rootCause, zoneIds, evidence: [],
    };
    const among = (ids: string[]) => ids[c.pick % ids.length]!;
    const entity = (id: string) => world().byId.get(id)!;
    let value: string;
    switch (c.criterion) {
      case 'rootCauseEntity': value = rootCause ?? among(impacted); break;
      case 'affectedEntities': case 'impactedEntities': value = among(impacted); break;
      case 'entityTags': {
        const tags = impacted.flatMap((id) => entity(id).tags);
        const t = tags[c.pick % Math.max(1, tags.length)];
        value = t === undefined ? 'none' : c.pick % 2 ? t.stringRepresentation : t.key;
        break;
      }
      case 'text': value = among(impacted).slice(-8); break;
      case 'affectedEntityTypes': value = entity(among(impacted)).type; break;
      case 'managementZoneIds': value = among(zoneIds); break;
      default: value = world().zoneById.get(among(zoneIds))!.name.slice(0, 7 + (c.pick % 5));
    }
    return { problem, criterion: { name: c.criterion, value } };
  }

  /**
   * Whether the caller gets the problem: it touches a visible zone, and the criterion holds on the
   * visible parts. With `everything`, the criterion is applied to all of the problem instead (what
   * a leaking server would answer).
   */
  function expected(problem: ProblemRecord, criterion: Criterion, email: string, everything = false): boolean {
    const grants = DEMO.analyst === email ? ['Production EU'] : ['Staging'];
    const mine = new Set(grants.map((n) => world().zoneByName.get(n)!.id));
    if (!problem.zoneIds.some((z) => mine.has(z))) return false;
    const zones = everything ? new Set(world().zones.map((z) => z.id)) : mine;
    const seen = (id: string) => world().byId.get(id)!.zoneIds.some((z) => zones.has(z));
    const affected = problem.affected.filter(seen);
    const v = criterion.value;
    switch (criterion.name) {
      case 'rootCauseEntity': return problem.rootCause !== null && seen(problem.rootCause) && problem.rootCause === v;
      case 'affectedEntities': return affected.includes(v);
      case 'impactedEntities': return problem.impacted.filter(seen).includes(v);
      case 'entityTags': return affected.some((id) => world().byId.get(id)!.tags.some((t) => t.stringRepresentation === v || t.key === v));
      case 'text': {
        const q = v.toLowerCase();
        return problem.title.toLowerCase().includes(q) || problem.displayId.toLowerCase().includes(q) || affected.some((id) => id.toLowerCase().includes(q));
      }
      case 'affectedEntityTypes': return affected.some((id) => world().byId.get(id)!.type === v);
      case 'managementZoneIds': return zones.has(v) && problem.zoneIds.includes(v);
      default: return problem.zoneIds.some((z) => zones.has(z) && world().zoneById.get(z)!.name.toLowerCase().includes(v.toLowerCase()));
    }
  }

  it('matches the reference model for generated cross-zone problems', async () => {
    let crossZone = 0;
    let boundary = 0;
    await fc.assert(fc.asyncProperty(arbCase(), async (c) => {
      const { problem, criterion } = build(c);
      world().setProblems([problem]);
      const selector = `${criterion.name}("${criterion.value.replace(/[~"]/g, '~$&')}")`;
      const res = await sb.request(`/api/v2/problems?from=now-1d&problemSelector=${encodeURIComponent(selector)}`, { token: tokens.get(c.caller)! });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      const got = (JSON.parse(text) as { totalCount: number }).totalCount === 1;
      const want = expected(problem, criterion, c.caller);
      expect(got, `${c.caller} ${selector} on ${JSON.stringify({ affected: problem.affected, impacted: problem.impacted, rootCause: problem.rootCause })}`).toBe(want);
      if (problem.zoneIds.length > 1) crossZone++;
      if (!want && expected(problem, criterion, c.caller, true)) boundary++;
    }), { numRuns: RUNS, seed: SEED });
    // The generator must produce problems that span zones, and cases where only a foreign part of a
    // visible problem matches, or the property proves little.
    expect(crossZone).toBeGreaterThan(RUNS / 4);
    expect(boundary).toBeGreaterThan(RUNS / 50);
  });

  it('does not confirm a foreign root cause, affected or impacted entity, tag or zone of a visible problem', async () => {
    const w = world();
    const eu = w.zoneByName.get('Production EU')!.id;
    const us = w.zoneByName.get('Production US')!.id;
    const euHost = w.byType.get('HOST')!.find((h) => h.zoneIds.includes(eu))!;
    const usHost = w.byType.get('HOST')!.find((h) => h.zoneIds.includes(us))!;
    const usTag = usHost.tags.find((t) => t.context === 'AWS')!.stringRepresentation;
    w.setProblems([{
      problemId: '-1_1700000000000V2', displayId: 'P-990002', title: 'Spans two zones', severityLevel: 'ERROR', impactLevel: 'INFRASTRUCTURE',
      startTime: T0 - 3_600_000, endTime: -1, affected: [euHost.entityId, usHost.entityId], impacted: [euHost.entityId, usHost.entityId],
      rootCause: usHost.entityId, zoneIds: [eu, us], evidence: [],
    }]);
    const count = async (selector: string) => (await json<{ totalCount: number }>(await sb.request(
      `/api/v2/problems?from=now-1d&problemSelector=${encodeURIComponent(selector)}`, { token: tokens.get(DEMO.analyst)! }))).totalCount;
    expect(await count('status("open")')).toBe(1);
    expect(await count(`affectedEntities("${euHost.entityId}")`)).toBe(1);
    for (const selector of [
      `rootCauseEntity("${usHost.entityId}")`, `affectedEntities("${usHost.entityId}")`, `impactedEntities("${usHost.entityId}")`,
      `entityTags("${usTag}")`, `text("${usHost.entityId.slice(-10)}")`, `managementZoneIds("${us}")`, 'managementZones("Production US")',
    ]) expect(await count(selector), selector).toBe(0);
  });
});
