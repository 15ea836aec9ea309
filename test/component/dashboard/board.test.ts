import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { isProxy } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import BoardTile from '../../../dashboard/components/BoardTile.vue';
import { useBoardStore } from '../../../stores/board';
import { boardsItem } from '../../../platform/storage';
import { createLimiter } from '../../../composables/useLimiter';
import { toApiError, type DynatraceClient, type MetricData } from '../../../lib/dynatrace';
import type { Tile } from '../../../lib/board/tiles';

const ENV = 'http://127.0.0.1:8787';
const tile = (title: string, metricSelector: string): Tile => ({ id: title, title, kind: 'metric', query: { metricSelector }, timeframe: '2h', chart: 'line' });

describe('board store', () => {
  beforeEach(() => { fakeBrowser.reset(); setActivePinia(createPinia()); });

  it('persists tiles per environment, in order, across a reload', async () => {
    const written: unknown[] = [];
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    fakeBrowser.storage.local.set = async (items: Record<string, unknown>) => { written.push(...Object.values(items)); return set(items); };
    const store = useBoardStore();
    await store.load();
    store.environmentUrl = ENV;
    await store.add({ title: 'CPU', kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage' }, timeframe: '2h', chart: 'line' });
    await store.add({ title: 'Errors', kind: 'problem', query: { problemSelector: 'status("open")' }, timeframe: '7d', chart: 'line' });
    await store.move(store.tiles[1]!.id, -1);
    await store.update(store.tiles[0]!.id, { title: 'Open problems' });
    store.environmentUrl = 'https://other.live.dynatrace.com';
    expect(store.tiles).toEqual([]);

    setActivePinia(createPinia());
    const again = useBoardStore();
    await again.load();
    again.environmentUrl = ENV;
    expect(again.tiles.map((t) => t.title)).toEqual(['Open problems', 'CPU']);
    await again.remove(again.tiles[0]!.id);
    const stored = await boardsItem.getValue();
    expect(stored[ENV]!.map((t) => t.title)).toEqual(['CPU']);
    // Chrome's storage turns a reactive proxy's arrays into objects (the fake browser clones them
    // correctly and would hide it): only plain data may be handed to storage.
    expect(written.length).toBeGreaterThan(0);
    expect(written.some((v) => isProxy(v) || (typeof v === 'object' && v !== null && Object.values(v).some((x) => isProxy(x))))).toBe(false);
  });

  it('migrates a v1 board (one global list) to v2 (per environment)', async () => {
    await fakeBrowser.storage.local.set({ boards: [tile('old', 'a.b')], boards$: { v: 1 } });
    await boardsItem.migrate();
    const v = await boardsItem.getValue();
    expect(Object.keys(v)).toEqual(['unknown']);
    expect(v.unknown![0]!.title).toBe('old');
  });
});

describe('board tiles fail independently', () => {
  beforeEach(() => { fakeBrowser.reset(); setActivePinia(createPinia()); });

  it('shows one tile\'s zone error while the other keeps its chart', async () => {
    const data: MetricData = { totalCount: 1, nextPageKey: null, resolution: '1m', result: [{ metricId: 'ok', dataPointCountRatio: 0, dimensionCountRatio: 0, data: [{ dimensions: [], dimensionMap: {}, timestamps: [60_000, 120_000], values: [1, 2] }] }] };
    const zoneError = toApiError({ type: 'response', status: 403, body: JSON.stringify({ error: { code: 403, message: "Management zone 'Production US' is not accessible to user 'analyst@example.com'" } }) }, { method: 'GET', path: '/api/v2/metrics/query' });
    const client = {
      metrics: { query: async (p: { metricSelector: string }) => { if (p.metricSelector.includes('US')) throw zoneError; return data; } },
      entities: { list: async () => ({ entities: [], totalCount: 0 }) },
    } as unknown as DynatraceClient;
    const identity = { tokenId: 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', client };
    const limiter = createLimiter(4);
    const props = { identity, limiter, timeframeOverride: '', refreshTick: 0, first: true, last: true };
    const good = mount(BoardTile, { props: { ...props, tile: tile('EU CPU', 'builtin:host.cpu.usage') } });
    const bad = mount(BoardTile, { props: { ...props, tile: tile('US CPU', 'builtin:host.cpu.usage:filter(US)') } });
    await flushPromises();
    expect(bad.get('[role="alert"]').text()).toContain('Production US');
    expect(good.find('[role="alert"]').exists()).toBe(false);
    expect(good.get('canvas[role="img"]').attributes('aria-label')).toBe('Chart of EU CPU');
  });
});

describe('insights store', () => {
  beforeEach(() => { fakeBrowser.reset(); setActivePinia(createPinia()); });

  it('accumulates zones per token and writes plain data', async () => {
    const written: unknown[] = [];
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    fakeBrowser.storage.local.set = async (items: Record<string, unknown>) => { written.push(...Object.values(items)); return set(items); };
    const { useInsightsStore } = await import('../../../stores/insights');
    const { tokenInsightsItem } = await import('../../../platform/storage');
    const s = useInsightsStore();
    await s.load();
    await s.recordZones('dt0c01.A', ['Production EU']);
    await s.recordZones('dt0c01.A', ['Staging', 'Production EU']);
    expect(s.zonesOf('dt0c01.A')!.zones).toEqual(['Production EU', 'Staging']);
    await s.recordZones('dt0c01.A', ['Staging'], { complete: true });
    const stored = await tokenInsightsItem.getValue();
    expect(stored['dt0c01.A']!.zones).toEqual(['Staging']);
    expect(stored['dt0c01.A']!.zones).toEqual(['Staging']);
    expect(written.some((v) => isProxy(v))).toBe(false);
  });
});
