import { describe, expect, it } from 'vitest';
import { createDynatraceClient, type DynatraceClient } from '../../../lib/dynatrace';
import { probeTokens, zonesProvenBy, type ProbeState } from '../../../lib/compare/probe';
import { runReadQuery, type ReadQuery } from '../../../lib/compare/read-query';
import { ENV, envelope, fakeFetch, json, makeToken } from '../dynatrace/fake-fetch';

const SERIES = { totalCount: 1, nextPageKey: null, resolution: '1m', result: [{ metricId: 'm', data: [{ dimensions: [], dimensionMap: {}, timestamps: [60_000], values: [1] }] }] };
const EMPTY = { totalCount: 0, nextPageKey: null, resolution: '1m', result: [{ metricId: 'm', data: [] }] };
const US: ReadQuery = { kind: 'metrics', params: { metricSelector: 'builtin:host.cpu.usage', mzSelector: 'mzName("Production US")' } };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('probeTokens', () => {
  it('runs at most four at once, reports which are pending, and tells data, no data and failures apart', async () => {
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, deferred);
    const client = (i: number, answer: 'data' | 'empty' | 'zone'): DynatraceClient => createDynatraceClient({
      environmentUrl: ENV, getToken: () => makeToken(i), retry: false,
      fetch: fakeFetch(async () => {
        active++;
        peak = Math.max(peak, active);
        await gates[i]!.promise;
        active--;
        return answer === 'data' ? json(200, SERIES) : answer === 'empty' ? json(200, EMPTY) : envelope(403, "Management zone 'Production US' is not accessible to user 'x@example.com'");
      }).fetch,
    });
    const kinds = ['data', 'empty', 'zone', 'data', 'empty', 'data'] as const;
    const candidates = kinds.map((k, i) => ({ tokenId: `t${i}`, label: `Token ${i}`, client: client(i, k) }));
    const updates: ProbeState[][] = [];
    const run = probeTokens(candidates, US, { onUpdate: (s) => updates.push(s) });
    await new Promise((r) => setTimeout(r, 20));
    expect(updates.at(-1)!.map((s) => s.status)).toEqual(['running', 'running', 'running', 'running', 'waiting', 'waiting']);
    gates.forEach((g) => g.resolve());
    const states = await run;
    expect(peak).toBe(4);
    expect(states.map((s) => s.status)).toEqual(['succeeded', 'empty', 'failed', 'succeeded', 'empty', 'succeeded']);
    expect(states[0]!.zones).toEqual(['Production US']);
    expect(states[1]!.zones).toEqual([]);
    expect(states[2]!.error).toMatchObject({ kind: 'zone-denied', zone: 'Production US' });
  });

  it('sends GET requests only, whatever the query', async () => {
    const f = fakeFetch((req) => (req.url.includes('/metrics/query') ? json(200, SERIES)
      : json(200, { totalCount: 1, nextPageKey: null, entities: [{ entityId: 'HOST-0000000000000001', displayName: 'h', managementZones: [{ id: '1', name: 'Staging' }] }] })));
    const c = createDynatraceClient({ environmentUrl: ENV, getToken: () => makeToken(1), fetch: f.fetch });
    await probeTokens([{ tokenId: 'a', label: 'A', client: c }], { kind: 'entities', params: { entitySelector: 'type(HOST)' } });
    await runReadQuery(c, US, { signal: new AbortController().signal });
    await runReadQuery(c, { kind: 'entities', params: { entitySelector: 'type(HOST)' } });
    expect(f.requests.length).toBeGreaterThanOrEqual(3);
    expect(new Set(f.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('waits as long as Retry-After asks when the environment is rate limiting', async () => {
    const slept: number[] = [];
    const f = fakeFetch(envelope(429, 'Too many requests', {}, { 'retry-after': '2' }), () => json(200, SERIES));
    const c = createDynatraceClient({ environmentUrl: ENV, getToken: () => makeToken(1), fetch: f.fetch, retry: { sleep: async (ms) => { slept.push(ms); }, random: () => 0 } });
    const [state] = await probeTokens([{ tokenId: 'a', label: 'A', client: c }], US);
    expect(slept).toEqual([2000]);
    expect(state!.status).toBe('succeeded');
    expect(f.requests).toHaveLength(2);
  });

  it('stops on abort: queued probes never start', async () => {
    const ctrl = new AbortController();
    const f = fakeFetch(async (req) => { await new Promise((r) => setTimeout(r, 50)); return req.signal?.aborted ? json(200, EMPTY) : json(200, SERIES); });
    const candidates = Array.from({ length: 6 }, (_, i) => ({ tokenId: `t${i}`, label: `T${i}`, client: createDynatraceClient({ environmentUrl: ENV, getToken: () => makeToken(i), fetch: f.fetch }) }));
    const run = probeTokens(candidates, US, { signal: ctrl.signal });
    ctrl.abort();
    await expect(run).rejects.toMatchObject({ kind: 'aborted' });
    await new Promise((r) => setTimeout(r, 80));
    expect(f.requests.length).toBeLessThanOrEqual(4);
  });
});

describe('zonesProvenBy', () => {
  it.each([
    ['data for the one named zone', US, { kind: 'metrics' as const, data: SERIES, names: {}, requests: 1 }, ['Production US']],
    ['no data proves nothing', US, { kind: 'metrics' as const, data: EMPTY, names: {}, requests: 1 }, []],
    ['two named zones are OR-ed: data proves neither', { kind: 'metrics' as const, params: { metricSelector: 'm', mzSelector: 'mzName("A","B")' } }, { kind: 'metrics' as const, data: SERIES, names: {}, requests: 1 }, []],
    ['entities prove their zones', { kind: 'entities' as const, params: { entitySelector: 'type(HOST)' } },
      { kind: 'entities' as const, entities: [{ id: 'HOST-1', kind: 'entity' as const, name: 'h', zones: ['Staging', 'Shared Services'] }], total: 1, truncated: false, requests: 1 }, ['Shared Services', 'Staging']],
  ])('%s', (_n, q, a, zones) => {
    expect(zonesProvenBy(q as ReadQuery, a as never)).toEqual(zones);
  });
});
