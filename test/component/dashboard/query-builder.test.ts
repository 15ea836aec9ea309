import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { defineComponent, effectScope, nextTick, ref, shallowRef } from 'vue';
import QueryBuilder from '../../../components/QueryBuilder.vue';
import MetricQueryEditor from '../../../dashboard/components/MetricQueryEditor.vue';
import type { ClientIdentity } from '../../../composables/useApiQuery';
import { useMetricCatalog } from '../../../composables/useMetricCatalog';
import type { BuilderDescriptor, BuilderFilter } from '../../../lib/builder';
import { ApiError, type DynatraceClient, type MetricDescriptor, type MetricDescriptorCollection } from '../../../lib/dynatrace';

const CPU = 'builtin:host.cpu.usage';

/** Descriptors as `GET /api/v2/metrics/{key}` answers them (API notes §5.3). */
const DESCRIPTORS: Record<string, MetricDescriptor> = {
  [CPU]: {
    metricId: CPU,
    displayName: 'CPU usage %',
    description: 'Percentage of CPU time in use',
    unit: 'Percent',
    aggregationTypes: ['auto', 'avg', 'max', 'min'],
    dimensionDefinitions: [{ key: 'dt.entity.host', name: 'Host', displayName: 'Host', index: 0, type: 'ENTITY' }],
  },
  'builtin:host.cpu.idle': {
    metricId: 'builtin:host.cpu.idle',
    displayName: 'CPU idle',
    description: '',
    unit: 'Percent',
    aggregationTypes: ['auto', 'avg', 'max', 'min'],
    dimensionDefinitions: [{ key: 'dt.entity.host', name: 'Host', displayName: 'Host', index: 0, type: 'ENTITY' }],
  },
};

interface FakeCalls {
  list: { text?: string; fields?: string; signal?: AbortSignal }[];
  get: string[];
}

/** A client that answers from {@link DESCRIPTORS}; searches take `listDelayMs` (fake timers). */
function fakeIdentity(tokenId = 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', calls: FakeCalls = { list: [], get: [] }, listDelayMs = 0): ClientIdentity {
  const client = {
    metrics: {
      list: async (params: { text?: string; fields?: string }, call?: { signal?: AbortSignal }): Promise<MetricDescriptorCollection> => {
        calls.list.push({ text: params.text, fields: params.fields, signal: call?.signal });
        if (listDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, listDelayMs));
        const text = (params.text ?? '').toLowerCase();
        const metrics = Object.values(DESCRIPTORS)
          .filter((d) => [d.metricId, d.displayName, d.description].some((s) => s?.toLowerCase().includes(text)))
          .map(({ metricId, displayName, description, unit }) => ({ metricId, displayName, description, unit }));
        return { totalCount: metrics.length, nextPageKey: null, metrics };
      },
      get: async (key: string): Promise<MetricDescriptor> => {
        calls.get.push(key);
        const d = DESCRIPTORS[key];
        if (!d) throw new ApiError({ kind: 'not-found', status: 404, method: 'GET', path: `/api/v2/metrics/${key}`, serverMessage: `Metric key '${key}' not found` });
        return d;
      },
    },
  } as unknown as DynatraceClient;
  return { tokenId, client };
}

/** The control a `<label>` names (what a screen reader announces as its accessible name). */
function byLabel(w: VueWrapper | DOMWrapper<Element>, name: string) {
  const label = w.findAll('label').find((l) => l.text() === name);
  if (!label) throw new Error(`no label "${name}"`);
  return w.get<HTMLElement>(`[id="${label.attributes('for')}"]`);
}

function describedError(w: VueWrapper, control: ReturnType<typeof byLabel>): string | undefined {
  const id = control.attributes('aria-describedby');
  if (!id) return undefined;
  const el = w.get(`[id="${id}"]`);
  expect(el.attributes('role')).toBe('alert');
  return el.text();
}

const cpuDescriptor: BuilderDescriptor = DESCRIPTORS[CPU]!;

describe('QueryBuilder', () => {
  const mounted: VueWrapper[] = [];
  afterEach(() => { mounted.splice(0).forEach((w) => w.unmount()); });

  function builder(props: Record<string, unknown>) {
    const w = mount(QueryBuilder, { props: { query: { metricKey: '', splitBy: [] }, ...props }, attachTo: document.body });
    mounted.push(w);
    return w;
  }

  it('names its controls as the UI contract says', () => {
    const w = builder({ query: { metricKey: CPU, splitBy: [], filter: { kind: 'tag', dimension: 'dt.entity.host', entityType: 'HOST', value: '' } }, descriptor: cpuDescriptor });
    const metric = byLabel(w, 'Metric');
    expect(metric.attributes('role')).toBe('combobox');
    expect(metric.attributes('aria-autocomplete')).toBe('list');
    expect(w.get(`[id="${metric.attributes('aria-controls')}"]`).attributes('role')).toBe('listbox');
    expect(byLabel(w, 'Aggregation').element.tagName).toBe('SELECT');
    expect(byLabel(w, 'Split by').element.tagName).toBe('SELECT');
    expect(byLabel(w, 'Filter by').element.tagName).toBe('SELECT');
    expect(byLabel(w, 'Filter value').attributes('type')).toBe('text');
    expect(byLabel(w, 'Top N').attributes('type')).toBe('text');
  });

  it('searches as you type and picks a metric with the keyboard; options show name, key, unit and description', async () => {
    const w = builder({});
    const metric = byLabel(w, 'Metric');
    (metric.element as HTMLInputElement).value = 'cpu';
    await metric.trigger('input');
    expect(w.emitted('search')?.at(-1)).toEqual(['cpu']);
    await w.setProps({ results: [
      { metricKey: CPU, displayName: 'CPU usage %', unit: 'Percent', description: 'Percentage of CPU time in use' },
      { metricKey: 'builtin:host.cpu.idle', displayName: 'CPU idle', unit: 'Percent' },
    ] });
    const options = w.findAll('[role="option"]');
    expect(options).toHaveLength(2);
    expect(options[0]!.text()).toContain('CPU usage %');
    expect(options[0]!.text()).toContain(CPU);
    expect(options[0]!.text()).toContain('Percent');
    expect(options[0]!.text()).toContain('Percentage of CPU time in use');
    expect(metric.attributes('aria-expanded')).toBe('true');
    await metric.trigger('keydown', { key: 'ArrowDown' });
    await metric.trigger('keydown', { key: 'ArrowDown' });
    await metric.trigger('keydown', { key: 'ArrowUp' });
    expect(metric.attributes('aria-activedescendant')).toBe(options[0]!.attributes('id'));
    expect(options[0]!.attributes('aria-selected')).toBe('true');
    await metric.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('update:query')?.at(-1)).toEqual([{ metricKey: CPU, splitBy: [] }]);
    expect(metric.attributes('aria-expanded')).toBe('false');
  });

  it('closes the list on Escape without choosing', async () => {
    const w = builder({ results: [{ metricKey: CPU }] });
    const metric = byLabel(w, 'Metric');
    (metric.element as HTMLInputElement).value = 'cp';
    await metric.trigger('input');
    expect(metric.attributes('aria-expanded')).toBe('true');
    await metric.trigger('keydown', { key: 'Escape' });
    expect(metric.attributes('aria-expanded')).toBe('false');
    expect(w.emitted('update:query')).toBeUndefined();
  });

  it('offers the descriptor\'s aggregations and dimensions, and emits the choice', async () => {
    const w = builder({ query: { metricKey: CPU, splitBy: [] }, descriptor: cpuDescriptor });
    const aggregation = byLabel(w, 'Aggregation');
    expect(aggregation.findAll('option').map((o) => o.attributes('value'))).toEqual(['', 'auto', 'avg', 'max', 'min']);
    await aggregation.setValue('max');
    expect(w.emitted('update:query')?.at(-1)).toEqual([{ metricKey: CPU, splitBy: [], aggregation: { kind: 'max' } }]);
    const split = byLabel(w, 'Split by');
    expect(split.findAll('option').map((o) => o.text())).toEqual(['None (keep every dimension)', 'Host (dt.entity.host)']);
    await split.setValue('dt.entity.host');
    expect(w.emitted('update:query')?.at(-1)).toEqual([{ metricKey: CPU, splitBy: ['dt.entity.host'] }]);
  });

  it('starts a filter on the metric\'s entity dimension and takes its value', async () => {
    const w = builder({ query: { metricKey: CPU, splitBy: [] }, descriptor: cpuDescriptor });
    await byLabel(w, 'Filter by').setValue('tag');
    const filter: BuilderFilter = { kind: 'tag', dimension: 'dt.entity.host', entityType: 'HOST', value: '' };
    expect(w.emitted('update:query')?.at(-1)).toEqual([{ metricKey: CPU, splitBy: [], filter }]);
    await w.setProps({ query: { metricKey: CPU, splitBy: [], filter } });
    await byLabel(w, 'Filter value').setValue('env:prod');
    expect(w.emitted('update:query')?.at(-1)).toEqual([{ metricKey: CPU, splitBy: [], filter: { ...filter, value: 'env:prod' } }]);
  });

  it('takes Top N as typed and leaves it out when emptied', async () => {
    const w = builder({ query: { metricKey: CPU, splitBy: [], topN: 5 }, descriptor: cpuDescriptor });
    const topN = byLabel(w, 'Top N');
    expect((topN.element as HTMLInputElement).value).toBe('5');
    await topN.setValue('12');
    expect(w.emitted('update:query')?.at(-1)).toEqual([{ metricKey: CPU, splitBy: [], topN: 12 }]);
    await topN.setValue('');
    expect(w.emitted('update:query')?.at(-1)).toEqual([{ metricKey: CPU, splitBy: [] }]);
  });

  it('shows an error next to its field, described and announced', () => {
    const w = builder({
      query: { metricKey: CPU, splitBy: [], aggregation: { kind: 'sum' } },
      descriptor: cpuDescriptor,
      errors: { aggregation: `${CPU} has no aggregation "sum"; it offers auto, avg, max, min.` },
    });
    const aggregation = byLabel(w, 'Aggregation');
    expect(aggregation.attributes('aria-invalid')).toBe('true');
    expect(describedError(w, aggregation)).toBe(`${CPU} has no aggregation "sum"; it offers auto, avg, max, min.`);
    expect((aggregation.element as HTMLSelectElement).value).toBe('sum');
    expect(byLabel(w, 'Top N').attributes('aria-describedby')).toBeUndefined();
  });

  it('disables every field when told to', () => {
    const w = builder({ disabled: true });
    expect(w.get('fieldset').attributes('disabled')).toBeDefined();
  });
});

describe('MetricQueryEditor', () => {
  const mounted: VueWrapper[] = [];
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => {
    mounted.splice(0).forEach((w) => w.unmount());
    vi.useRealTimers();
  });

  /** An editor with its v-model wired back, as a page would bind it. */
  function editor(modelValue: string, identity: ClientIdentity | null = fakeIdentity(), label = 'Query 1') {
    const w: VueWrapper = mount(MetricQueryEditor, {
      props: { modelValue, identity, label, 'onUpdate:modelValue': (v: string) => w.setProps({ modelValue: v }) },
      attachTo: document.body,
    });
    mounted.push(w);
    return w;
  }

  const tab = (w: VueWrapper, name: string) => w.findAll('[role="tab"]').find((t) => t.text() === name)!;
  const lastSelector = (w: VueWrapper) => w.emitted<[string]>('update:modelValue')?.at(-1)?.[0];
  const builderPanel = (w: VueWrapper) => w.get(`[id="${tab(w, 'Builder').attributes('aria-controls')}"]`);
  const codeBox = (w: VueWrapper) => w.get<HTMLTextAreaElement>('textarea');

  it('is a group named by its label, with tabs Builder and Code', async () => {
    const w = editor('');
    expect(w.get('[role="group"]').attributes('aria-label')).toBe('Query 1');
    expect(w.findAll('[role="tab"]').map((t) => t.text())).toEqual(['Builder', 'Code']);
    expect(tab(w, 'Builder').attributes('aria-selected')).toBe('true');
    expect(byLabel(w, 'Metric selector').element.tagName).toBe('TEXTAREA');
    await tab(w, 'Builder').trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(tab(w, 'Code').attributes('aria-selected')).toBe('true');
    expect(tab(w, 'Code').attributes('tabindex')).toBe('0');
    expect(tab(w, 'Builder').attributes('tabindex')).toBe('-1');
    expect(document.activeElement).toBe(tab(w, 'Code').element);
    await tab(w, 'Code').trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(tab(w, 'Builder').attributes('aria-selected')).toBe('true');
  });

  it('picks a metric, an aggregation and a split, and the selector follows at once', async () => {
    const calls: FakeCalls = { list: [], get: [] };
    const w = editor('', fakeIdentity(undefined, calls));
    const metric = byLabel(w, 'Metric');
    (metric.element as HTMLInputElement).value = 'cpu usage';
    await metric.trigger('input');
    await vi.advanceTimersByTimeAsync(300);
    await flushPromises();
    expect(calls.list.at(-1)).toMatchObject({ text: 'cpu usage', fields: 'displayName,unit,description' });
    const option = w.findAll('[role="option"]').find((o) => o.text().includes(CPU))!;
    await option.trigger('mousedown');
    expect(lastSelector(w)).toBe(CPU);
    await flushPromises();
    expect(calls.get).toEqual([CPU]);
    await byLabel(w, 'Aggregation').setValue('avg');
    expect(lastSelector(w)).toBe(`${CPU}:avg`);
    await byLabel(w, 'Split by').setValue('dt.entity.host');
    expect(lastSelector(w)).toBe(`${CPU}:splitBy("dt.entity.host"):avg`);
    await byLabel(w, 'Top N').setValue('10');
    expect(lastSelector(w)).toBe(`${CPU}:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)`);
    expect(codeBox(w).element.value).toBe(`${CPU}:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)`);
  });

  it('follows edits in the code', async () => {
    const w = editor(`${CPU}:avg`);
    await flushPromises();
    await tab(w, 'Code').trigger('click');
    const selector = 'builtin:host.cpu.idle:filter(in("dt.entity.host",entitySelector("type(~"HOST~"),mzName(~"Production EU~")"))):splitBy("dt.entity.host"):max';
    await codeBox(w).setValue(selector);
    expect(lastSelector(w)).toBe(selector);
    await flushPromises();
    expect((byLabel(w, 'Metric').element as HTMLInputElement).value).toBe('builtin:host.cpu.idle');
    expect((byLabel(w, 'Aggregation').element as HTMLSelectElement).value).toBe('max');
    expect((byLabel(w, 'Split by').element as HTMLSelectElement).value).toBe('dt.entity.host');
    expect((byLabel(w, 'Filter by').element as HTMLSelectElement).value).toBe('managementZone');
    expect((byLabel(w, 'Filter value').element as HTMLInputElement).value).toBe('Production EU');
  });

  it('names the part it cannot represent, disables the builder and leaves the code as it is', async () => {
    const selector = `${CPU}:splitBy("dt.entity.host"):rollup(avg,15m)`;
    const w = editor(selector);
    await flushPromises();
    expect(tab(w, 'Code').attributes('aria-selected')).toBe('true');
    await tab(w, 'Builder').trigger('click');
    const note = builderPanel(w).get('[role="note"]');
    expect(note.text()).toContain('The builder cannot represent :rollup(avg,15m) — edit it in Code.');
    expect(builderPanel(w).get('fieldset').attributes('disabled')).toBeDefined();
    expect(codeBox(w).element.value).toBe(selector);
    expect(w.emitted('update:modelValue')).toBeUndefined();
  });

  it('turns the builder off while the code cannot be represented, and back on when it can', async () => {
    const w = editor(`${CPU}:avg`);
    await flushPromises();
    await codeBox(w).setValue(`${CPU}:avg + 1`);
    expect(builderPanel(w).get('[role="note"]').text()).toContain(`${CPU}:avg + 1`);
    expect((byLabel(w, 'Aggregation').element as HTMLSelectElement).value).toBe('avg');
    await codeBox(w).setValue(`${CPU}:min`);
    expect(builderPanel(w).find('[role="note"]').exists()).toBe(false);
    expect((byLabel(w, 'Aggregation').element as HTMLSelectElement).value).toBe('min');
    expect(lastSelector(w)).toBe(`${CPU}:min`);
  });

  it('offers the builder\'s form when only the writing differs, and applies it only when asked', async () => {
    const w = editor(`${CPU}:splitBy(dt.entity.host)`);
    await flushPromises();
    await tab(w, 'Builder').trigger('click');
    expect(builderPanel(w).get('[role="note"]').text()).toContain('dt.entity.host');
    expect(w.emitted('update:modelValue')).toBeUndefined();
    await w.findAll('button').find((b) => b.text() === 'Use the builder\'s form')!.trigger('click');
    expect(lastSelector(w)).toBe(`${CPU}:splitBy("dt.entity.host")`);
    expect(builderPanel(w).find('[role="note"]').exists()).toBe(false);
  });

  it('shows an aggregation the descriptor lacks as an error next to the field', async () => {
    const w = editor(`${CPU}:sum`);
    await flushPromises();
    const aggregation = byLabel(w, 'Aggregation');
    expect(describedError(w, aggregation)).toBe(`${CPU} has no aggregation "sum"; it offers auto, avg, max, min.`);
    expect(w.emitted('update:modelValue')).toBeUndefined();
  });

  it('shows why the descriptor could not be loaded next to "Metric"', async () => {
    const w = editor('custom.gone:avg');
    await flushPromises();
    expect(describedError(w, byLabel(w, 'Metric'))).toMatch(/not found/i);
  });

  it('keeps several editors apart on one page', async () => {
    const identity = fakeIdentity();
    const page = mount(defineComponent({
      components: { MetricQueryEditor },
      setup: () => ({ identity, first: ref(`${CPU}:avg`), second: ref('builtin:host.cpu.idle:max') }),
      template: `
        <MetricQueryEditor v-model="first" :identity="identity" label="Query 1" />
        <MetricQueryEditor v-model="second" :identity="identity" label="Query 2" />
        <output>{{ first }} | {{ second }}</output>`,
    }), { attachTo: document.body });
    mounted.push(page);
    await flushPromises();
    const [a, b] = page.findAll('[role="group"]');
    expect([a!.attributes('aria-label'), b!.attributes('aria-label')]).toEqual(['Query 1', 'Query 2']);
    const ids = page.findAll('[id]').map((e) => e.attributes('id'));
    expect(new Set(ids).size).toBe(ids.length);
    await byLabel(b!, 'Aggregation').setValue('min');
    expect(page.get('output').text()).toBe(`${CPU}:avg | builtin:host.cpu.idle:min`);
  });

  it('emits submit on Ctrl+Enter in the code and Enter in a builder textbox', async () => {
    const w = editor(`${CPU}:avg`);
    await flushPromises();
    await codeBox(w).trigger('keydown', { key: 'Enter', ctrlKey: true });
    await byLabel(w, 'Top N').trigger('keydown', { key: 'Enter' });
    expect(w.emitted('submit')).toHaveLength(2);
  });
});

describe('useMetricCatalog', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('aborts a superseded search and shows only the newer answer', async () => {
    const calls: FakeCalls = { list: [], get: [] };
    const scope = effectScope();
    const identity = shallowRef<ClientIdentity | null>(fakeIdentity(undefined, calls, 1_000));
    const catalog = scope.run(() => useMetricCatalog({ identity }))!;
    catalog.search('cp');
    await vi.advanceTimersByTimeAsync(100);
    catalog.search('idle');
    await vi.advanceTimersByTimeAsync(1_300);
    await flushPromises();
    expect(calls.list.map((c) => c.text)).toEqual(['idle']); // debounced: "cp" was never sent
    expect(catalog.results.value.map((r) => r.metricKey)).toEqual(['builtin:host.cpu.idle']);
    catalog.search('cpu');
    await vi.advanceTimersByTimeAsync(300);
    const first = calls.list.at(-1)!.signal!;
    catalog.search('usage');
    await vi.advanceTimersByTimeAsync(1_300);
    await flushPromises();
    expect(first.aborted).toBe(true);
    expect(catalog.results.value.map((r) => r.metricKey)).toEqual([CPU]);
    expect(catalog.results.value[0]).toEqual({ metricKey: CPU, displayName: 'CPU usage %', unit: 'Percent', description: 'Percentage of CPU time in use' });
    scope.stop();
  });

  it('caches descriptors per token and forgets them on a switch', async () => {
    const calls: FakeCalls = { list: [], get: [] };
    const scope = effectScope();
    const identity = shallowRef<ClientIdentity | null>(fakeIdentity('dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', calls));
    const catalog = scope.run(() => useMetricCatalog({ identity }))!;
    expect((await catalog.describe(CPU))?.aggregationTypes).toEqual(['auto', 'avg', 'max', 'min']);
    await catalog.describe(CPU);
    expect(calls.get).toEqual([CPU]);
    catalog.search('cpu');
    await vi.advanceTimersByTimeAsync(300);
    await flushPromises();
    expect(catalog.results.value).not.toHaveLength(0);
    identity.value = fakeIdentity('dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB', calls);
    await nextTick();
    expect(catalog.results.value).toEqual([]);
    await catalog.describe(CPU);
    expect(calls.get).toEqual([CPU, CPU]);
    scope.stop();
  });

  it('does not cache a failed descriptor request', async () => {
    const calls: FakeCalls = { list: [], get: [] };
    const identity = shallowRef<ClientIdentity | null>(fakeIdentity(undefined, calls));
    const scope = effectScope();
    const catalog = scope.run(() => useMetricCatalog({ identity }))!;
    await expect(catalog.describe('custom.gone')).rejects.toBeInstanceOf(ApiError);
    await expect(catalog.describe('custom.gone')).rejects.toBeInstanceOf(ApiError);
    expect(calls.get).toEqual(['custom.gone', 'custom.gone']);
    scope.stop();
  });
});
