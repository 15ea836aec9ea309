import { describe, expect, it } from 'vitest';
import type { BuilderDescriptor, BuilderErrors, BuilderQuery } from '../../../lib/builder';
import { BUILDER_LIMITS, checkMetricCount, validateBuilder } from '../../../lib/builder';
import { QUERY_LIMITS } from '../../../lib/selectors';

const CPU = 'builtin:host.cpu.usage';

/** The descriptor of builtin:host.cpu.usage as API notes §5.3 shows one, plus a string dimension. */
const descriptor: BuilderDescriptor = {
  metricId: CPU,
  displayName: 'CPU usage %',
  unit: 'Percent',
  aggregationTypes: ['auto', 'avg', 'max', 'min'],
  dimensionDefinitions: [
    { key: 'dt.entity.host', name: 'Host', displayName: 'Host', type: 'ENTITY' },
    { key: 'cpu.state', name: 'State', displayName: 'State', type: 'STRING' },
  ],
};

const base: BuilderQuery = { metricKey: CPU, splitBy: [] };
const hostFilter = { kind: 'entityName', dimension: 'dt.entity.host', entityType: 'HOST', value: 'web' } as const;

const cases: readonly [string, BuilderQuery, BuilderDescriptor | null, BuilderErrors][] = [
  ['a query the descriptor allows', { ...base, aggregation: { kind: 'max' }, splitBy: ['dt.entity.host'], filter: hostFilter, topN: 10 }, descriptor, {}],
  ['nothing chosen yet', { metricKey: '', splitBy: [] }, null, {}],
  [
    'an aggregation the descriptor lacks',
    { ...base, aggregation: { kind: 'sum' } },
    descriptor,
    { aggregation: `${CPU} has no aggregation "sum"; it offers auto, avg, max, min.` },
  ],
  [
    'a percentile without "percentile" in the descriptor',
    { ...base, aggregation: { kind: 'percentile', percentile: 90 } },
    descriptor,
    { aggregation: `${CPU} has no aggregation "percentile(90)"; it offers auto, avg, max, min.` },
  ],
  ['a percentile over 100', { ...base, aggregation: { kind: 'percentile', percentile: 101 } }, null, { aggregation: 'A percentile is a number from 0 to 100.' }],
  [
    'a split dimension the descriptor lacks',
    { ...base, splitBy: ['dt.entity.process_group'] },
    descriptor,
    { splitBy: `${CPU} has no dimension "dt.entity.process_group"; its dimensions are dt.entity.host, cpu.state.` },
  ],
  ['a split dimension twice', { ...base, splitBy: ['dt.entity.host', 'dt.entity.host'] }, descriptor, { splitBy: '"dt.entity.host" is chosen twice.' }],
  ['a filter without a value', { ...base, filter: { ...hostFilter, value: '' } }, descriptor, { filter: 'Enter a value to filter by.' }],
  [
    'a tag that is not a tag',
    { ...base, filter: { ...hostFilter, kind: 'tag', value: '[AWS' } },
    descriptor,
    { filter: '"[AWS" is not a tag; write key, key:value or [context]key:value.' },
  ],
  [
    'a filter on a string dimension',
    { ...base, filter: { ...hostFilter, dimension: 'cpu.state' } },
    descriptor,
    { filter: '"cpu.state" is not an entity dimension, so it cannot be filtered by entity name, tag or zone.' },
  ],
  [
    'a filter on a metric without entity dimensions',
    { ...base, filter: { ...hostFilter, dimension: '' } },
    { ...descriptor, dimensionDefinitions: [{ key: 'cpu.state', type: 'STRING' }] },
    { filter: `${CPU} has no entity dimension to filter by.` },
  ],
  ['top N of zero', { ...base, topN: 0 }, null, { topN: 'Top N is a whole number from 1 to 1,000; leave it empty for no limit.' }],
  ['top N over the maximum', { ...base, topN: BUILDER_LIMITS.maxTopN + 1 }, null, { topN: 'Top N is a whole number from 1 to 1,000; leave it empty for no limit.' }],
  ['fractional top N', { ...base, topN: 2.5 }, null, { topN: 'Top N is a whole number from 1 to 1,000; leave it empty for no limit.' }],
  ['top N at the maximum', { ...base, topN: BUILDER_LIMITS.maxTopN }, null, {}],
  ['no descriptor yet: descriptor checks wait', { ...base, aggregation: { kind: 'sum' }, splitBy: ['x'] }, null, {}],
];

describe('validateBuilder', () => {
  it.each(cases)('%s', (_name, query, desc, errors) => {
    expect(validateBuilder(query, desc)).toStrictEqual(errors);
  });

  it('reports a selector over the length limit', () => {
    const query: BuilderQuery = { ...base, filter: { ...hostFilter, value: 'x'.repeat(QUERY_LIMITS.maxMetricSelectorLength) } };
    expect(validateBuilder(query, descriptor).selector).toMatch(/^The selector would be 5,\d{3} characters long; at most 5,000 are allowed\.$/);
  });
});

describe('checkMetricCount', () => {
  it('allows ten metrics across queries', () => {
    expect(checkMetricCount(['a.b', 'c.(d,e,f)', 'g.h + i.j', '', 'k.l,m.n,o.p,q.r,s.t'])).toStrictEqual({ ok: true, metrics: 10 });
  });

  it('refuses the eleventh, counting sibling groups per metric', () => {
    expect(checkMetricCount(['a.(b,c,d,e,f,g)', 'x.y,z.w', 'q.q + r.r', 'k.k', 'l.l'])).toStrictEqual({
      ok: false,
      metrics: 11,
      message: 'These queries select 11 metrics; one query can select at most 10 (sibling groups count each metric).',
    });
  });

  it('counts a selector that does not parse as one, blank ones as none', () => {
    expect(checkMetricCount(['a.b:splitBy(', '   '])).toStrictEqual({ ok: true, metrics: 1 });
  });
});
