import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { computed, ref, shallowRef } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDynatraceClient } from '../../../lib/dynatrace';
import { dashboardRoutes } from '../../../dashboard/router';
import MetricsPage from '../../../dashboard/pages/MetricsPage.vue';
import EntitiesPage from '../../../dashboard/pages/EntitiesPage.vue';
import ProblemsPage from '../../../dashboard/pages/ProblemsPage.vue';
import { clearQueryCache, type ClientIdentity } from '../../../composables/useApiQuery';
import type { StoredToken } from '../../../platform/storage';
import { alias, exchange, type Exchange } from '../../helpers/recorded';
import { startReplayServer, type ReplayServer } from '../../helpers/replay-server';
import { nodeFetch } from '../../helpers/node-fetch';
import { runtimeToken } from '../../helpers/runtime-token';

/**
 * The dashboard's pages on real answers: each page runs as it does for a user, with a client pointed at the replay
 * server, which answers with recorded responses. A page sends its own query (its own fields, timeframe and page
 * size); the replay answers it with the recorded answer of the same route, as `alias` says, and with nothing else:
 * every request a page makes must be answered by a recorded exchange.
 */

const state = vi.hoisted(() => ({ identity: null as unknown, token: null as unknown }));
vi.mock('../../../composables/useDashboardIdentity', () => ({
  // The page's identity: a client for the replay server (the vault and host permissions are not under test here).
  useDashboardIdentity: () => ({
    store: { tokens: [state.token] }, token: computed(() => state.token), identity: shallowRef(state.identity), pinnedId: ref(null),
    expired: ref(false), pin: async () => {}, choose: async () => {}, pendingProduction: ref(null), confirmProduction: async () => {},
  }),
}));

const ENTITY = 'HOST-82F576674F19AC16';
const PROBLEM = '-1719139739592062093_1623004451641V2';

describe('dashboard pages render recorded answers', () => {
  let replay: ReplayServer;
  let router: Router;
  beforeAll(async () => {
    replay = await startReplayServer();
    const secret = runtimeToken();
    const client = createDynatraceClient({ environmentUrl: replay.url, getToken: () => secret, retry: false, fetch: nodeFetch });
    state.identity = { tokenId: secret.split('.').slice(0, 2).join('.'), client } satisfies ClientIdentity;
    state.token = {
      id: (state.identity as ClientIdentity).tokenId, label: 'replay', color: '#336699', environmentUrl: replay.url, owner: 'TestOwner', name: 'replay',
      personal: true, scopes: ['metrics.read', 'entities.read', 'problems.read'], expiresAt: null, createdAt: 0, production: false, lastCheckedAt: 0, lastUsedAt: null,
    } as unknown as StoredToken;
  });
  afterAll(async () => { await replay?.close(); });
  beforeEach(() => {
    fakeBrowser.reset();
    setActivePinia(createPinia());
    clearQueryCache();
    router = createRouter({ history: createMemoryHistory(), routes: dashboardRoutes });
  });

  async function mountAt(path: string, page: object, exchanges: Exchange[]): Promise<VueWrapper> {
    replay.serve(exchanges);
    replay.received.length = 0;
    await router.push(path);
    await router.isReady();
    const w = mount(page, { global: { plugins: [router] }, attachTo: document.body });
    await settle();
    return w;
  }

  /** Until every request the page started is answered and rendered. */
  async function settle() {
    for (let i = 0; i < 20; i++) {
      await flushPromises();
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('metrics: the recorded query as a chart and a table, series named by the recorded entity list, unit from the recorded descriptor', async () => {
    const w = await mountAt('/metrics?ms=builtin:host.cpu.idle', MetricsPage, [
      alias('GET_api_v2_metrics_query_3b31d1b7859b9a7', { query: [['metricSelector', 'builtin:host.cpu.idle'], ['from', 'now-2h']] }, 'the page\'s default timeframe'),
      alias('GET_api_v2_entities_64b5e3b6872892e', { query: [['entitySelector', `entityId("${ENTITY}")`], ['pageSize', '500'], ['from', 'now-365d']] }, 'the names of the series\' entities'),
      exchange('GET_api_v2_metrics_builtin_host_cpu_idle'),
    ]);
    expect(replay.misses()).toEqual([]);
    // The query and the descriptor's unit are asked together, the entity names after the answer; the builder reads the
    // same descriptor for its fields (aggregations, dimensions) through its own per-token cache.
    expect(replay.received.map((r) => r.path).sort()).toEqual(['/api/v2/entities', '/api/v2/metrics/builtin:host.cpu.idle', '/api/v2/metrics/builtin:host.cpu.idle', '/api/v2/metrics/query']);
    expect(w.find('[role="alert"]').exists()).toBe(false);
    expect(w.get('canvas[role="img"]').attributes('aria-label')).toBe('Chart of builtin:host.cpu.idle');
    expect(w.get('figcaption').text()).toContain('1 series, 84 points each');
    await w.get('figcaption button').trigger('click');
    const table = w.get('.table-box table');
    expect(table.findAll('thead th').map((t) => t.text())).toEqual(['Time', 'arch-david']);
    const rows = table.findAll('tbody tr');
    expect(rows).toHaveLength(84);
    // The first recorded value, 89.91581217447917, in the recorded descriptor's unit (Percent), and the two recorded
    // empty slots (null) as a dash.
    expect(rows[0]!.get('th').text()).toBe(new Date(1621020060000).toISOString());
    expect(rows[0]!.get('td').text()).toMatch(/^89\.9\d*\s?%$/);
    expect(rows.filter((r) => r.get('td').text() === '–')).toHaveLength(2);
    w.unmount();
  });

  it('metrics: a recorded answer with an empty result and warnings shows them', async () => {
    const w = await mountAt('/metrics?ms=builtin:host.cpu.idle', MetricsPage, [
      alias('GET_api_v2_metrics_query_0f81e686e69f013', { query: [['metricSelector', 'builtin:host.cpu.idle'], ['from', 'now-2h']] }, 'the page\'s default timeframe'),
      alias('GET_api_v2_entities_64b5e3b6872892e', { query: [['entitySelector', `entityId("${ENTITY}")`], ['pageSize', '500'], ['from', 'now-365d']] }, 'the names of the series\' entities'),
      exchange('GET_api_v2_metrics_builtin_host_cpu_idle'),
    ]);
    expect(replay.misses()).toEqual([]);
    expect(w.get('figcaption').text()).toContain('1 series, 3 points each');
    expect(w.findAll('p.warning').map((p) => p.text())).toEqual(['The dimension key `dt.entityhost` has been referenced, but the metric has no such key.']);
    w.unmount();
  });

  it('entities: the recorded list, types and details', async () => {
    const w = await mountAt('/entities?es=type("HOST")', EntitiesPage, [
      alias('GET_api_v2_entityTypes_e0d8c23ec365525', { query: [['pageSize', '500']] }, 'the type picker\'s page size'),
      alias('GET_api_v2_entities_64b5e3b6872892e', { query: [['entitySelector', 'type("HOST")'], ['fields', '+managementZones,+tags,+lastSeenTms'], ['pageSize', '50']] }, 'the page\'s fields, a subset of the recorded ones'),
      alias(`GET_api_v2_entities_${ENTITY}_eeb2d99e8563a18`, { query: [] }, 'the full record, asked without parameters'),
    ]);
    expect(w.findAll('select option').map((o) => o.text())).toEqual(['Choose a type…', 'ActiveGate (APM_SECURITY_GATEWAY)', 'Web application (APPLICATION)']);
    expect(w.get('p.count').text()).toBe('1 of 1 entities');
    const cells = w.findAll('table.entities tbody td').map((c) => c.text());
    expect(cells).toEqual(['arch-david', ENTITY, '', 'citrix-prod']);
    await w.get('table.entities tbody button').trigger('click');
    await settle();
    // The related entities' names: no recording answers that lookup (a 404 from the replay), so their ids show as they are.
    expect(replay.misses().map((r) => [r.path, new URLSearchParams(r.query).get('entitySelector')?.startsWith('entityId("DOCKER_CONTAINER_GROUP_INSTANCE-')])).toEqual([['/api/v2/entities', true]]);
    const details = w.get('article.entity-details');
    expect(details.attributes('aria-label')).toBe('Details of arch-david');
    const props = Object.fromEntries(details.findAll('dt').map((dt, i) => [dt.text(), details.findAll('dd')[i]!.text()]));
    expect(props).toMatchObject({ osType: 'LINUX', ipAddress: '192.168.15.101, 2804:431:c7f5:5683:a165:43dc:2569:656d', memoryTotal: '33269612544', installerTrackedDownload: 'false' });
    expect(details.text()).toContain('ZONE 1');
    const containers = details.get('ul[aria-label="isHostOfContainer (from this entity)"]');
    expect(containers.findAll('li').map((li) => li.text())).toContain('DOCKER_CONTAINER_GROUP_INSTANCE-8E2ED6F4E2AFDD89');
    expect(details.text()).not.toContain('not visible to this token');
    expect(w.get('a').text()).toBe('Show metrics of this entity');
    w.unmount();
  });

  it('problems: the recorded list and a problem\'s details with root cause and evidence', async () => {
    const w = await mountAt('/problems', ProblemsPage, [
      alias('GET_api_v2_problems_0d7ed4db1cd91c2', { query: [['problemSelector', 'status("open")'], ['from', 'now-7d'], ['pageSize', '50'], ['sort', '-startTime']] }, 'the page\'s filters'),
      alias(`GET_api_v2_problems_${PROBLEM}_8913ec9c57d7960`, { query: [['fields', 'evidenceDetails,impactAnalysis']] }, 'the page\'s fields, a subset of the default ones'),
    ]);
    expect(w.get('p.count').text()).toBe('2 of 11 problems');
    const first = w.findAll('tbody tr')[0]!.findAll('td').map((c) => c.text());
    expect(first.slice(0, 4)).toEqual(['P-210620 custom host disconnected error', 'OPEN', 'AVAILABILITY', 'INFRASTRUCTURE']);
    expect(first[5]).toBe('Operations Team');
    await w.get('tbody button').trigger('click');
    await settle();
    expect(replay.misses()).toEqual([]);
    const details = w.get('article.problem-details');
    expect(details.get('h3').text()).toBe('P-210617: Multiple infrastructure problems');
    expect(details.text()).toContain('easytravel.customer.frontend (PROCESS_GROUP-C44FB250621B8036)');
    const evidence = details.findAll('li').map((li) => li.text()).filter((t) => t.includes(': '));
    expect(evidence).toEqual([
      'EVENT: Memory resources exhausted on easytravel.customer.frontend',
      'METRIC: Garbage collection suspension time on easytravel.customer.frontend',
      'EVENT: Long garbage-collection time on easytravel.customer.frontend',
      'METRIC: JVM runtime free memory on easytravel.customer.frontend',
    ]);
    w.unmount();
  });
});
