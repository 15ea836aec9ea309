import { beforeEach, describe, expect, it } from 'vitest';
import { effectScope, nextTick, ref, shallowRef } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { useComparison } from '../../../composables/useComparison';
import { useOtherTokensCheck } from '../../../composables/useOtherTokensCheck';
import { useExplainAccess } from '../../../composables/useExplainAccess';
import { useAlternatives } from '../../../composables/useAlternatives';
import { inspectStored } from '../../../composables/useInspector';
import { useInsightsStore } from '../../../stores/insights';
import { toApiError, type DynatraceClient, type EntitiesList } from '../../../lib/dynatrace';
import type { StoredToken } from '../../../platform/storage';
import { storedToken, TENANT } from '../../unit/stores/helpers';

const analyst = storedToken({ label: 'EU analyst', owner: 'analyst@example.com', scopes: ['entities.read', 'metrics.read'] });
const support = storedToken({ label: 'Support', owner: 'support@example.com', color: '#0f7b3f', scopes: ['entities.read', 'metrics.read'] });
const ops = storedToken({ label: 'Ops', owner: 'ops@example.com', scopes: ['entities.read'] });
const elsewhere = storedToken({ label: 'Other tenant', owner: 'x@example.com', environmentUrl: TENANT });
const zoneError = (zone: string, path = '/api/v2/entities') => toApiError({ type: 'response', status: 403, body: JSON.stringify({ error: { code: 403, message: `Management zone '${zone}' is not accessible to user 'analyst@example.com'` } }) }, { method: 'GET', path });
const page = (ids: string[], zone = 'Production EU'): EntitiesList => ({ totalCount: ids.length, pageSize: 500, nextPageKey: null, entities: ids.map((id) => ({ entityId: id, displayName: id.toLowerCase(), type: 'HOST', managementZones: [{ id: '1', name: zone }] })) });
const HOST = (n: number) => `HOST-${String(n).padStart(16, '0')}`;

/** A client whose entity list answers `list` (after `delayMs`), recording each call's signal. */
function fakeClient(list: (signal: AbortSignal) => EntitiesList | Error, delayMs = 0, calls: AbortSignal[] = []): DynatraceClient {
  return {
    entities: {
      list: async (_p: unknown, call: { signal?: AbortSignal } = {}) => {
        calls.push(call.signal!);
        await new Promise((r) => setTimeout(r, delayMs));
        const r = list(call.signal!);
        if (r instanceof Error) throw r;
        return r;
      },
      get: async () => { throw new Error('unexpected entity read'); },
    },
  } as unknown as DynatraceClient;
}

describe('support composables', () => {
  beforeEach(() => { fakeBrowser.reset(); setActivePinia(createPinia()); });

  it('compares under two tokens in parallel and drops the late answer of a token no longer compared', async () => {
    const signals: AbortSignal[] = [];
    const clients = new Map<string, DynatraceClient>([
      [analyst.id, fakeClient(() => page([HOST(1)]))],
      [support.id, fakeClient(() => page([HOST(1), HOST(2), HOST(3)], 'Production US'), 200, signals)],
      [ops.id, fakeClient(() => page([HOST(1), HOST(4)]), 10)],
    ]);
    const tokens = ref<StoredToken[]>([analyst, support, ops, elsewhere]);
    const current = shallowRef<StoredToken | null>(analyst);
    const scope = effectScope();
    const c = scope.run(() => useComparison({ tokens, current, clientFor: (t) => clients.get(t.id)! }))!;
    expect(c.options.value.map((t) => t.label)).toEqual(['Ops', 'Support']); // same environment only
    c.otherId.value = support.id;
    const first = c.run({ kind: 'entities', params: { entitySelector: 'type(HOST)' } });
    await new Promise((r) => setTimeout(r, 20));
    c.otherId.value = ops.id; // Support's slow answer is now for a token no longer compared
    await nextTick();
    await first;
    await new Promise((r) => setTimeout(r, 250));
    expect(signals[0]!.aborted).toBe(true);
    expect(c.sides.value!.map((s) => s.token.label)).toEqual(['EU analyst', 'Ops']);
    expect(c.comparison.value!.sentence).toBe('Ops sees 2 hosts, EU analyst 1; 1 only with Ops.');
    current.value = support; // a switch closes the comparison
    await nextTick();
    expect(c.open.value).toBe(false);
    scope.stop();
  });

  it('checks the other tokens, and what they proved feeds the suggestions and the insights', async () => {
    const insights = useInsightsStore();
    await insights.load();
    await insights.recordZones(analyst.id, ['Production EU'], { complete: true });
    const tokens = ref<StoredToken[]>([analyst, support, ops, elsewhere]);
    const current = shallowRef<StoredToken | null>(analyst);
    const failure = shallowRef<Error | null>(zoneError('Production US'));
    const clients = new Map<string, DynatraceClient>([
      [support.id, fakeClient(() => page([HOST(7)], 'Production US'))],
      [ops.id, fakeClient(() => zoneError('Production US'))],
    ]);
    const scope = effectScope();
    const { check, states, succeeded, candidates } = scope.run(() => useOtherTokensCheck({ tokens, current, clientFor: (t) => clients.get(t.id)! }))!;
    const { alternatives, zoneWarning } = scope.run(() => useAlternatives(tokens, current, failure))!;
    expect(alternatives.value).toEqual([]); // nothing known yet: the failure offers the check
    expect(candidates.value.map((t) => t.label)).toEqual(['Support', 'Ops']);
    await check({ kind: 'entities', params: { entitySelector: 'type(HOST),mzName("Production US")' } }, 'k');
    expect(states.value.map((s) => [s.label, s.status])).toEqual([['Support', 'succeeded'], ['Ops', 'failed']]);
    expect(succeeded.value).toEqual([{ id: support.id, label: 'Support' }]);
    expect(insights.zonesOf(support.id)!.zones).toEqual(['Production US']);
    expect(insights.zonesOf(ops.id)).toBeUndefined();
    // Known from now on: the same failure suggests Support by itself, and the pre-flight warning still names the zone.
    expect(alternatives.value).toEqual([{ id: support.id, label: 'Support' }]);
    expect(zoneWarning({ entitySelector: 'type(HOST),mzName("Production US")' })).toEqual(['Production US']);
    scope.stop();
  });

  it('learns the scope a failed query lacked from the token that ran it', async () => {
    const tokens = ref<StoredToken[]>([analyst, ops]);
    const current = shallowRef<StoredToken | null>(ops);
    const missing = shallowRef<Error | null>(toApiError({ type: 'response', status: 403, body: JSON.stringify({ error: { code: 403, message: 'Token is missing required scope. Use one of: problems.read (Read problems)' } }) }, { method: 'GET', path: '/api/v2/entities' }));
    const scope = effectScope();
    const { check } = scope.run(() => useOtherTokensCheck({ tokens, current, clientFor: () => fakeClient(() => page([HOST(1)])) }))!;
    const { alternatives } = scope.run(() => useAlternatives(tokens, current, missing))!;
    expect(alternatives.value).toEqual([]);
    await check({ kind: 'entities', params: { entitySelector: 'type(HOST)' } }, 'k', 'problems.read');
    expect(useInsightsStore().scopesOf(analyst.id)).toEqual(['problems.read']);
    expect(alternatives.value).toEqual([{ id: analyst.id, label: 'EU analyst' }]);
    scope.stop();
  });

  it('explains nothing and sends nothing for bad input, naming the position; the reference is the widest token of the environment', async () => {
    const insights = useInsightsStore();
    await insights.load();
    await insights.recordZones(support.id, ['Production EU', 'Production US', 'Staging'], { complete: true });
    await insights.recordZones(ops.id, ['Staging'], { complete: true });
    const built: string[] = [];
    const tokens = ref<StoredToken[]>([analyst, ops, support, elsewhere]);
    const scope = effectScope();
    const x = scope.run(() => useExplainAccess({ tokens, initial: shallowRef(analyst), clientFor: (t) => { built.push(t.id); return fakeClient(() => page([])); } }))!;
    expect(x.referenceOptions.value.map((t) => t.label)).toEqual(['Support', 'Ops']);
    expect(x.referenceId.value).toBe(support.id);
    x.input.value = 'HOST-12345';
    await x.explain();
    expect(x.inputError.value).toMatchObject({ kind: 'invalid-input', message: expect.stringMatching(/not an entity id .*\(at position 11\)/) });
    x.input.value = 'type("HOST"';
    await x.explain();
    expect(x.inputError.value!.message).toMatch(/\(at position 12\)/);
    expect(built).toEqual([]);
    expect(x.verdict.value).toBeNull();
    scope.stop();
  });

  it('does not take a restricted token for an unrestricted one because its settings list only its own zones', async () => {
    const insights = useInsightsStore();
    await insights.load();
    const operator = storedToken({ label: 'Staging operator', owner: 'operator@example.com' });
    // Every area but entities and settings refuses; the settings list names only the operator's zone.
    const refuse = async () => { throw zoneError('x'); };
    const client = {
      tokens: { lookup: refuse, list: refuse },
      entities: { list: async () => page([HOST(9)], 'Staging'), types: refuse },
      problems: { list: refuse },
      metrics: { list: refuse, ingest: refuse },
      settings: { objects: { list: async () => ({ items: [{ value: { name: 'Staging' } }] }) } },
    } as unknown as DynatraceClient;
    const tokens = [analyst, operator];
    await inspectStored(operator, { insights, tokens, signal: new AbortController().signal, client });
    expect(insights.zonesOf(operator.id)).toMatchObject({ zones: ['Staging'], allZones: true }); // nothing else known yet
    await insights.recordZones(analyst.id, ['Production EU'], { complete: true });
    await inspectStored(operator, { insights, tokens, signal: new AbortController().signal, client });
    expect(insights.zonesOf(operator.id)).toMatchObject({ zones: ['Staging'], allZones: false });
    // An "every zone" recorded before the analyst's zone was known is not trusted either.
    await insights.recordZones(operator.id, ['Staging'], { complete: true, allZones: true });
    const scope = effectScope();
    const { alternatives } = scope.run(() => useAlternatives(ref(tokens), shallowRef(analyst), shallowRef(zoneError('Production US'))))!;
    expect(alternatives.value).toEqual([]);
    scope.stop();
  });
});
