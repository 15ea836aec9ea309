import { describe, expect, it } from 'vitest';
import type { BuilderQuery } from '../../../lib/builder';
import { fromBuilder, toBuilder } from '../../../lib/builder';
import { metricDocExamples, unsupportedMetricDocExamples } from '../../fixtures/selectors/doc-examples';
import { metricQueryLimitFixtures } from '../../fixtures/selectors/limits';
import { invalidMetricSelectors, validMetricSelectors } from '../../fixtures/selectors/metric-selectors';

/** Every metric selector of the shared fixtures and the documentation corpus, written and normalised. */
const corpus = [
  ...new Set([
    ...validMetricSelectors.flatMap((f) => [f.input, f.formatted]),
    ...invalidMetricSelectors.map((f) => f.input),
    ...metricDocExamples.map((f) => f.input),
    ...unsupportedMetricDocExamples.map((f) => f.input),
    ...metricQueryLimitFixtures.flatMap((f) => (typeof f.input.metricSelector === 'string' ? [f.input.metricSelector] : [])),
  ]),
];

describe('the selector corpus through the builder', () => {
  it.each(corpus.map((selector) => [selector]))('%s is shown exactly or declined with a reason', (selector) => {
    const result = toBuilder(selector);
    if (result.ok) {
      expect(fromBuilder(result.query)).toBe(selector);
    } else {
      expect(result.reason).toMatch(/^the builder .+; edit it in Code$/s);
    }
  });

  it('shows the documented builder-shaped selectors', () => {
    const shown = corpus.filter((s) => toBuilder(s).ok);
    expect(shown).toEqual(
      expect.arrayContaining([
        'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)',
        'builtin:service.response.time:filter(in("dt.entity.service",entitySelector("type(~"SERVICE~"),tag(~"env:prod~")"))):splitBy("dt.entity.service"):percentile(90)',
        'builtin:host.cpu.usage:sort(value(avg,descending)):limit(5)',
        'builtin:host.cpu.usage:auto',
        'builtin:host.cpu.usage',
      ]),
    );
  });
});

const CPU = 'builtin:host.cpu.usage';

const shownCases: readonly [string, BuilderQuery][] = [
  ['', { metricKey: '', splitBy: [] }],
  [CPU, { metricKey: CPU, splitBy: [] }],
  [
    'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(10)',
    { metricKey: CPU, splitBy: ['dt.entity.host'], aggregation: { kind: 'avg' }, topN: 10 },
  ],
  [
    'builtin:service.response.time:filter(in("dt.entity.service",entitySelector("type(~"SERVICE~"),tag(~"env:prod~")"))):splitBy("dt.entity.service"):percentile(90)',
    {
      metricKey: 'builtin:service.response.time',
      splitBy: ['dt.entity.service'],
      aggregation: { kind: 'percentile', percentile: 90 },
      filter: { kind: 'tag', dimension: 'dt.entity.service', entityType: 'SERVICE', value: 'env:prod' },
    },
  ],
  [
    'builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(~"HOST~"),entityName(~"web~")"))):max',
    { metricKey: CPU, splitBy: [], aggregation: { kind: 'max' }, filter: { kind: 'entityName', dimension: 'dt.entity.host', entityType: 'HOST', value: 'web' } },
  ],
  [
    'builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(~"HOST~"),mzName(~"Production EU~")"))):splitBy("dt.entity.host","dt.entity.process_group")',
    {
      metricKey: CPU,
      splitBy: ['dt.entity.host', 'dt.entity.process_group'],
      filter: { kind: 'managementZone', dimension: 'dt.entity.host', entityType: 'HOST', value: 'Production EU' },
    },
  ],
  ['builtin:host.cpu.usage:auto:sort(value(avg,descending)):limit(3)', { metricKey: CPU, splitBy: [], aggregation: { kind: 'auto' }, topN: 3 }],
  ['builtin:host.cpu.usage:max:sort(value(max,descending)):limit(3)', { metricKey: CPU, splitBy: [], aggregation: { kind: 'max' }, topN: 3 }],
  ['"ext:selfmonitoring.jmx.Agents: Type ~"APACHE~""', { metricKey: 'ext:selfmonitoring.jmx.Agents: Type "APACHE"', splitBy: [] }],
];

describe('toBuilder shows', () => {
  it.each(shownCases)('%s', (selector, query) => {
    expect(toBuilder(selector)).toStrictEqual({ ok: true, query });
    expect(fromBuilder(query)).toBe(selector);
  });
});

/** Selector, and the part the reason must name. */
const declinedCases: readonly [string, string][] = [
  ['builtin:host.cpu.usage:rollup(avg,15m)', ':rollup(avg,15m)'],
  ['builtin:host.cpu.usage:fold', ':fold'],
  ['builtin:host.cpu.usage:timeshift(-1d)', ':timeshift(-1d)'],
  ['builtin:host.cpu.usage:names', ':names'],
  ['builtin:host.cpu.usage:sum:rate(5m)', ':rate(5m)'],
  ['builtin:host.cpu.usage:default(0)', ':default(0)'],
  ['builtin:host.cpu.(usage,idle)', 'builtin:host.cpu.(usage,idle)'],
  ['builtin:host.cpu.usage,builtin:host.mem.usage', 'builtin:host.mem.usage'],
  ['builtin:host.cpu.usage * 100', 'builtin:host.cpu.usage * 100'],
  ['(a.b + c.d):avg', '(a.b + c.d):avg'],
  ['builtin:host.cpu.usage:avg:splitBy("dt.entity.host")', ':splitBy("dt.entity.host")'],
  ['builtin:host.cpu.usage:avg:max', ':max'],
  ['builtin:host.cpu.usage:splitBy()', ':splitBy()'],
  ['builtin:host.cpu.usage:filter(eq("dt.entity.host","HOST-1"))', ':filter(eq("dt.entity.host","HOST-1"))'],
  ['builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(~"HOST~")")))', ':filter(in('],
  ['builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(~"HOST~"),tag(~"a~",~"b~")")))', 'tag(~"a~",~"b~")'],
  ['builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(~"HOST~"),entityName.equals(~"a~")")))', 'entityName.equals'],
  ['builtin:host.cpu.usage:filter(in("dt.entity.host",entitySelector("type(~"HOST~"),healthState(~"HEALTHY~")")))', 'healthState'],
  ['builtin:host.cpu.usage:sort(value(avg,ascending)):limit(5)', ':sort(value(avg,ascending))'],
  ['builtin:host.cpu.usage:sort(value(avg,descending))', ':sort(value(avg,descending))'],
  ['builtin:host.cpu.usage:limit(5)', ':limit(5)'],
  ['builtin:host.cpu.usage:max:sort(value(avg,descending)):limit(5)', ':sort(value(avg,descending))'],
  ['builtin:host.cpu.usage : avg', ' : '],
  ['builtin:host.cpu.usage:splitBy(dt.entity.host)', 'dt.entity.host'],
  ['builtin:host.cpu.usage:splitBy("dt.entity.host"', ''],
  [
    'builtin:service.response.time:filter(in("dt.entity.service",entitySelector("type(SERVICE),tag(\\"env:prod\\")"))):splitBy("dt.entity.service"):percentile(90)',
    '',
  ],
];

describe('toBuilder declines, naming the part', () => {
  it.each(declinedCases)('%s', (selector, part) => {
    const result = toBuilder(selector);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/edit it in Code$/);
    if (part !== '') {
      expect(result.part).toContain(part);
      expect(result.reason).toContain(part.trim());
    }
  });

  it('names a rollup in the words of the note', () => {
    const result = toBuilder('builtin:host.cpu.usage:rollup(avg,15m)');
    expect(result).toStrictEqual({
      ok: false,
      reason: 'the builder cannot show :rollup(avg,15m); edit it in Code',
      part: ':rollup(avg,15m)',
    });
  });

  it('says when only the writing differs, and offers the builder form without applying it', () => {
    const result = toBuilder('builtin:host.cpu.usage:splitBy(dt.entity.host)');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rewritten).toBe('builtin:host.cpu.usage:splitBy("dt.entity.host")');
    expect(result.reason).toContain('spacing, quoting or escapes differ');
  });

  it('says that a selector which does not parse is not shown, with the parser position', () => {
    const result = toBuilder('builtin:host.cpu.usage:splitBy("a"');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/does not parse \(position 35: /);
  });
});

describe('fromBuilder', () => {
  it('leaves out an incomplete filter instead of writing half of it', () => {
    expect(fromBuilder({ metricKey: CPU, splitBy: [], filter: { kind: 'entityName', dimension: 'dt.entity.host', entityType: 'HOST', value: '' } })).toBe(CPU);
    expect(fromBuilder({ metricKey: CPU, splitBy: [], filter: { kind: 'tag', dimension: 'dt.entity.host', entityType: 'HOST', value: '[x' } })).toBe(CPU);
  });

  it('leaves out a percentile or top N the parser would refuse', () => {
    expect(fromBuilder({ metricKey: CPU, splitBy: [], aggregation: { kind: 'percentile', percentile: 101 }, topN: 0 })).toBe(CPU);
    expect(fromBuilder({ metricKey: CPU, splitBy: [], aggregation: { kind: 'percentile', percentile: Number.NaN }, topN: 2.5 })).toBe(CPU);
    expect(fromBuilder({ metricKey: CPU, splitBy: [], aggregation: { kind: 'max' }, topN: Number.NaN })).toBe(`${CPU}:max`);
  });

  it('writes nothing while no metric is chosen', () => {
    expect(fromBuilder({ metricKey: '', splitBy: ['dt.entity.host'], topN: 5 })).toBe('');
  });
});
