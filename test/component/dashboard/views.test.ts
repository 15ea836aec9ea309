import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import BoardTile from '../../../dashboard/components/BoardTile.vue';
import EntityDetails from '../../../dashboard/components/EntityDetails.vue';
import { createLimiter } from '../../../composables/useLimiter';
import type { DynatraceClient, Entity, MetricData } from '../../../lib/dynatrace';
import type { Tile } from '../../../lib/board/tiles';

const hosts = ['HOST-0000000000000001', 'HOST-0000000000000002', 'HOST-0000000000000003'];
const data: MetricData = {
  totalCount: 3, nextPageKey: null, resolution: '1m',
  result: [{ metricId: 'builtin:host.cpu.usage:splitBy("dt.entity.host")', dataPointCountRatio: 0, dimensionCountRatio: 0,
    data: hosts.map((h, i) => ({ dimensions: [h], dimensionMap: { 'dt.entity.host': h }, timestamps: [60_000, 120_000], values: [10 * (i + 1), 10 * (i + 1) + 4] })) }],
};
const client = {
  metrics: { query: async () => data, get: async () => ({ metricId: 'builtin:host.cpu.usage', unit: 'Percent' }) },
  entities: { list: async () => ({ totalCount: 3, entities: hosts.map((h, i) => ({ entityId: h, displayName: `web-0${i + 1}` })) }) },
} as unknown as DynatraceClient;
const props = { identity: { tokenId: 'dt0c01.T', client }, limiter: createLimiter(4), timeframeOverride: '', refreshTick: 0, first: true, last: true };
const tile = (chart: Tile['chart']): Tile => ({ id: chart, title: 'CPU by host', kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage:splitBy("dt.entity.host")' }, timeframe: '2h', chart });

describe('board tile views', () => {
  it('a single value tile shows the latest value of the first series with the descriptor\'s unit', async () => {
    const w = mount(BoardTile, { props: { ...props, tile: tile('single') } });
    await flushPromises();
    const single = w.get('[aria-label="Single value of CPU by host"]');
    expect(single.get('.value').text()).toBe('14 %');
    expect(single.text()).toContain('web-01');
    expect(w.find('canvas').exists()).toBe(false);
  });

  it('a top list tile ranks the hosts by display name and mean, highest first', async () => {
    const w = mount(BoardTile, { props: { ...props, tile: tile('top') } });
    await flushPromises();
    const rows = w.get('table[aria-label="Top list of CPU by host"]').findAll('tbody tr').map((r) => r.text());
    expect(rows).toEqual(['web-0332 %', 'web-0222 %', 'web-0112 %']);
  });

  it('"Show as" in the tile\'s edit form changes the view', async () => {
    const w = mount(BoardTile, { props: { ...props, tile: tile('line') } });
    await flushPromises();
    await w.get('button[aria-label="Edit CPU by host"]').trigger('click');
    await w.get('select').setValue('top');
    await w.get('form.rename').trigger('submit');
    expect(w.emitted('view')).toEqual([['top']]);
    expect(w.emitted('rename')).toBeUndefined();
  });
});

describe('entity details', () => {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] });
  const entity: Entity = {
    entityId: 'SERVICE-00000000000000A1', displayName: 'checkout', type: 'SERVICE',
    fromRelationships: { runsOnHost: [{ id: 'HOST-0000000000000001', type: 'HOST' }, { id: 'HOST-00000000000000FF', type: 'HOST' }] },
    toRelationships: { calls: [{ id: 'SERVICE-00000000000000B2', type: 'SERVICE' }] },
  } as Entity;

  it('names related entities as links, and says which ones this token cannot see', async () => {
    const names = new Map([['HOST-0000000000000001', 'web-01'], ['SERVICE-00000000000000B2', 'frontend']]);
    const w = mount(EntityDetails, { props: { entity, names, linkFor: (id: string) => ({ path: '/entities', query: { details: id } }) }, global: { plugins: [router] } });
    const runsOn = w.get('ul[aria-label="runsOnHost (from this entity)"]');
    expect(runsOn.findAll('li').map((l) => l.text())).toEqual(['web-01', 'HOST-00000000000000FF not visible to this token']);
    expect(runsOn.get('a').attributes('href')).toContain('details=HOST-0000000000000001');
    expect(w.get('ul[aria-label="calls (to this entity)"]').text()).toBe('frontend');
    await runsOn.get('a').trigger('click');
    expect(w.emitted('open')).toEqual([['HOST-0000000000000001']]);
  });

  it('shows ids without a verdict while the names are looked up', () => {
    const w = mount(EntityDetails, { props: { entity, names: null, linkFor: () => '/' }, global: { plugins: [router] } });
    expect(w.text()).not.toContain('not visible');
    expect(w.text()).toContain('HOST-00000000000000FF');
  });
});

describe('a tile whose refresh fails', () => {
  it('keeps the previous answer greyed and labelled next to the failure', async () => {
    let fail = false;
    const flaky = { ...client, metrics: { ...client.metrics, query: async () => { if (fail) throw new Error('network down'); return data; } } } as unknown as DynatraceClient;
    const w = mount(BoardTile, { props: { ...props, identity: { tokenId: 'dt0c01.T', client: flaky }, tile: tile('single') } });
    await flushPromises();
    expect(w.find('.previous-note').exists()).toBe(false);
    fail = true;
    await w.setProps({ refreshTick: 1 });
    await flushPromises();
    expect(w.get('[role="alert"]').text()).toContain('network down');
    expect(w.get('.previous-note').text()).toBe('Result of the previous run');
    expect(w.get('.previous .value').text()).toBe('14 %');
  });
});
