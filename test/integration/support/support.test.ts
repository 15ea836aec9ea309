import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/server';
import { ApiError, createDynatraceClient, type DynatraceClient } from '../../../lib/dynatrace';
import { inspectToken } from '../../../lib/inspector/inspection';
import { gatherEvidence, zoneReachOf, type GatherSide } from '../../../lib/explain/gather';
import { parseSubject } from '../../../lib/explain/subject';
import { explainVerdict, type Verdict } from '../../../lib/explain/verdict';
import { compareAnswers, comparisonCsv } from '../../../lib/compare/compare';
import { fixTimeframe, hasData, runReadQuery, type ReadQuery } from '../../../lib/compare/read-query';
import { probeTokens } from '../../../lib/compare/probe';
import { zonesBeyondKnown } from '../../../lib/permissions/alternatives';
import { supportReportJson, supportReportMarkdown } from '../../../lib/inspector/support-report';
import { adminFetch } from '../../helpers/spawn-sandbox';

const KEY = 'support-key';
const READ = ['entities.read', 'problems.read', 'metrics.read'];
const CPU_BY_HOST = 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg';

interface Minted { id: string; token: string }

/**
 * Issue #14 against a real sandbox, in both zone-denial modes: the demo analyst (Production EU only) explained with
 * the support engineer (all zones) as the reference, the two-token comparison, and "Check my other tokens".
 */
describe.each(['reject', 'filter'] as const)('support features against the sandbox (zone denials: %s)', (mode) => {
  let sb: RunningSandbox;
  let analyst: Minted;
  let support: Minted;
  let operator: Minted;
  const clients = new Map<string, DynatraceClient>();
  const client = (m: Minted) => {
    let c = clients.get(m.token);
    if (!c) { c = createDynatraceClient({ environmentUrl: sb.url, getToken: () => m.token, retry: false }); clients.set(m.token, c); }
    return c;
  };
  const mint = async (email: string, scopes: string[]) =>
    (await (await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: `support ${mode}`, scopes })).json()) as Minted;
  const side = (m: Minted, label: string, owner: string): GatherSide => ({
    tokenId: m.id, label, owner, client: client(m), reach: null,
    inspect: async (signal) => {
      const i = await inspectToken(client(m), { environmentUrl: sb.url, secret: () => m.token, signal });
      return { reach: zoneReachOf(i), requests: i.requests };
    },
  });
  const explain = async (input: string): Promise<Verdict> => {
    const subject = parseSubject(input);
    if (!subject.ok) throw new Error(subject.error.message);
    const r = await gatherEvidence(subject.value, side(analyst, 'EU analyst', 'analyst@example.com'), side(support, 'Support', 'support@example.com'));
    if (r.kind !== 'evidence') throw new Error(`several matches for ${input}`);
    return explainVerdict(r.evidence);
  };
  /** Every host with its zones, as the support engineer (all zones) sees them. */
  let hosts: { id: string; name: string; zones: string[] }[];

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, db: ':memory:', adminKey: KEY, zoneDenials: mode });
    analyst = await mint('analyst@example.com', READ);
    support = await mint('support@example.com', [...READ, 'settings.read']);
    operator = await mint('operator@example.com', READ);
    const all = await runReadQuery(client(support), { kind: 'entities', params: { entitySelector: 'type("HOST")' } });
    if (all.kind !== 'entities') throw new Error('not an entity answer');
    hosts = all.entities.map((e) => ({ id: e.id, name: e.name, zones: e.zones }));
  });
  afterAll(async () => { await sb?.close(); });

  it('explains a Production US host: in Production US, and the analyst reaches Production EU only', async () => {
    const us = hosts.find((h) => h.zones.join() === 'Production US')!;
    const v = await explain(us.id);
    expect(v.cause).toBe('outside-zones');
    expect(v.visible).toBe(false);
    expect(v.objectZones).toEqual(['Production US']);
    expect(v.zonesReadBy).toBe('Support');
    expect(v.explainedZones).toEqual(['Production EU']);
    expect(v.sentence).toBe(`${us.id} (${us.name}) is in Production US; analyst@example.com's token "EU analyst" reaches Production EU only.`);
  });

  it('explains the same host by its name, resolved with the reference token', async () => {
    const us = hosts.find((h) => h.zones.join() === 'Production US')!;
    const v = await explain(us.name);
    expect(v.cause).toBe('outside-zones');
    expect(v.object?.id).toBe(us.id);
    expect(v.sentence).toContain('Production US');
  });

  it('says an in-zone host is visible', async () => {
    const eu = hosts.find((h) => h.zones.includes('Production EU'))!;
    const v = await explain(eu.id);
    expect(v).toMatchObject({ cause: 'visible', visible: true });
    expect(v.sentence).toContain('can see');
  });

  it('explains a Staging problem likewise', async () => {
    const list = await client(support).problems.list({ from: 'now-90d', pageSize: 500 });
    const staging = list.problems!.find((p) => p.managementZones.map((z) => z.name).join() === 'Staging')!;
    expect(staging).toBeDefined();
    const v = await explain(staging.problemId);
    expect(v.cause).toBe('outside-zones');
    expect(v.objectZones).toEqual(['Staging']);
    expect(v.sentence).toMatch(/is in Staging; analyst@example\.com's token "EU analyst" reaches Production EU only\.$/);
  });

  it('says an id that exists nowhere exists for neither token', async () => {
    const v = await explain('HOST-0000000000000000');
    expect(v.cause).toBe('not-found-anywhere');
    expect(v.sentence).toMatch(/^No such entity for either token: neither "EU analyst" nor "Support"/);
  });

  it('cannot tell when the reference token does not reach every zone either', async () => {
    const subject = parseSubject('HOST-0000000000000000');
    if (!subject.ok) throw new Error('bad subject');
    const narrow = { ...side(operator, 'Staging operator', 'operator@example.com') };
    const r = await gatherEvidence(subject.value, side(analyst, 'EU analyst', 'analyst@example.com'), narrow);
    if (r.kind !== 'evidence') throw new Error('choice');
    const v = explainVerdict(r.evidence);
    expect(v.cause).toBe('cannot-tell');
    expect(v.why).toMatch(/Neither "EU analyst" nor "Staging operator" finds it/);
  });

  it('explains the selector type("HOST"): the difference set is the hosts outside Production EU', async () => {
    const v = await explain('type("HOST")');
    const outside = hosts.filter((h) => !h.zones.includes('Production EU')).map((h) => h.id).sort();
    expect(v.cause).toBe('outside-zones');
    expect(v.difference!.entities.map((e) => e.id).sort()).toEqual(outside);
    expect(v.difference!.unexplained).toEqual([]);
    expect(v.sentence).toContain(`${outside.length} of the ${hosts.length} entities matching type("HOST") are visible only to "Support"`);
  });

  it('explains a selector naming a foreign zone, in either mode', async () => {
    const v = await explain('type("HOST"),mzName("Production US")');
    expect(v.cause).toBe('outside-zones');
    expect(v.sentence).toContain('Production US');
    expect(v.difference!.entities.length).toBe(hosts.filter((h) => h.zones.includes('Production US')).length);
    if (mode === 'reject') expect(v.sentence).toContain('outside the zones of analyst@example.com');
  });

  it('compares type("HOST") under both tokens: exactly the hosts outside Production EU are only with Support', async () => {
    const q: ReadQuery = { kind: 'entities', params: { entitySelector: 'type("HOST")' } };
    const [a, b] = await Promise.all([runReadQuery(client(analyst), q), runReadQuery(client(support), q)]);
    const c = compareAnswers(q, { token: { tokenId: analyst.id, label: 'Analyst', color: '#1456c7', owner: 'analyst@example.com' }, answer: a },
      { token: { tokenId: support.id, label: 'Support', color: '#0f7b3f', owner: 'support@example.com' }, answer: b });
    const outside = hosts.filter((h) => !h.zones.includes('Production EU')).map((h) => h.id).sort();
    expect(c.onlyB.map((i) => i.key).sort()).toEqual(outside);
    expect(c.onlyA).toEqual([]);
    expect(c.sentence).toBe(`Support sees ${hosts.length} hosts, Analyst ${hosts.length - outside.length}; ${outside.length} only with Support.`);
    const csv = comparisonCsv(c).trim().split('\n');
    expect(csv).toHaveLength(outside.length + 1);
    expect(csv[1]).toMatch(/^only with Support,Support,HOST-/);
  });

  it('compares a metric query on the same absolute timeframe and resolution, and checks the slots', async () => {
    const tf = fixTimeframe({ from: 'now-2h' }, Date.now());
    if (!tf.ok) throw new Error(tf.error);
    const q: ReadQuery = { kind: 'metrics', params: { metricSelector: CPU_BY_HOST, from: tf.value.from, to: tf.value.to, resolution: tf.value.resolution } };
    const [a, b] = await Promise.all([runReadQuery(client(analyst), q, { signal: new AbortController().signal }), runReadQuery(client(support), q, { signal: new AbortController().signal })]);
    const c = compareAnswers(q, { token: { tokenId: analyst.id, label: 'Analyst', color: '#1456c7', owner: 'a' }, answer: a },
      { token: { tokenId: support.id, label: 'Support', color: '#0f7b3f', owner: 's' }, answer: b });
    const outside = hosts.filter((h) => !h.zones.includes('Production EU'));
    expect(c.slots).toMatchObject({ same: true });
    expect(c.onlyB).toHaveLength(outside.length);
    expect(c.onlyB.map((i) => i.label).sort()).toEqual(outside.map((h) => h.name).sort());
    expect(c.sentence).toBe(`Support sees ${hosts.length} hosts, Analyst ${hosts.length - outside.length}; ${outside.length} only with Support.`);
  });

  it('checks the other tokens for a Production US query, finds the support token, and re-runs with it', async () => {
    const q: ReadQuery = { kind: 'metrics', params: { metricSelector: CPU_BY_HOST, mzSelector: 'mzName("Production US")' } };
    // The pre-flight warning, from the analyst's inspected zones, names the zone before anything is sent.
    expect(zonesBeyondKnown({ mzSelector: q.params.mzSelector }, { zones: ['Production EU'], allZones: false })).toEqual(['Production US']);
    const own = await runReadQuery(client(analyst), q, { probe: true }).catch((e: unknown) => e);
    if (mode === 'reject') expect(own).toMatchObject({ kind: 'zone-denied', zone: 'Production US' });
    else expect(own instanceof ApiError ? own : hasData(own as never)).toBe(false);
    const updates: string[][] = [];
    const states = await probeTokens([
      { tokenId: support.id, label: 'Support', client: client(support) },
      { tokenId: operator.id, label: 'Staging operator', client: client(operator) },
    ], q, { onUpdate: (s) => updates.push(s.map((x) => x.status)) });
    expect(updates[0]).toEqual(['waiting', 'waiting']);
    expect(states.find((s) => s.label === 'Support')).toMatchObject({ status: 'succeeded', zones: ['Production US'] });
    expect(states.find((s) => s.label === 'Staging operator')!.status).toBe(mode === 'reject' ? 'failed' : 'empty');
    const rerun = await runReadQuery(client(support), q, { signal: new AbortController().signal });
    expect(hasData(rerun)).toBe(true);
  });

  it('writes explanations and comparisons into a report without any secret or secret-derived value', async () => {
    const us = hosts.find((h) => h.zones.join() === 'Production US')!;
    const v = await explain(us.id);
    const q: ReadQuery = { kind: 'entities', params: { entitySelector: 'type("HOST")' } };
    const c = compareAnswers(q, { token: { tokenId: analyst.id, label: 'Analyst', color: '#1456c7', owner: 'analyst@example.com' }, answer: await runReadQuery(client(analyst), q) },
      { token: { tokenId: support.id, label: 'Support', color: '#0f7b3f', owner: 'support@example.com' }, answer: await runReadQuery(client(support), q) });
    const input = { environmentUrl: sb.url, createdAt: new Date().toISOString(), inspections: [], explanations: [v], comparisons: [c] };
    const md = supportReportMarkdown(input);
    const json = supportReportJson(input);
    expect(md).toContain('Production US');
    expect(JSON.parse(json).explanations[0].cause).toBe('outside-zones');
    for (const report of [md, json]) {
      for (const t of [analyst, support, operator]) {
        const secret = t.token.split('.')[2]!;
        expect(report).not.toContain(secret);
        // No fragment of a secret either (eight characters are enough to narrow a guess).
        for (let i = 0; i + 8 <= secret.length; i += 4) expect(report).not.toContain(secret.slice(i, i + 8));
        const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(t.token)));
        for (const form of [digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')]) expect(report.toLowerCase()).not.toContain(form.toLowerCase().slice(0, 16));
      }
    }
  });
});
