import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuilderAggregation, BuilderFilter, BuilderQuery } from '../../../lib/builder';
import { fromBuilder, toBuilder } from '../../../lib/builder';
import { formatMetricSelector } from '../../../lib/selectors';
import { formatTag } from '../../../lib/selectors/format-entity';
import { validMetricSelectors } from '../../fixtures/selectors/metric-selectors';
import { aggregation, metricKey, metricSelectorArb, mutate, mutations, nonEmptyText, tagFilter, typeValue } from '../selectors/arbitraries';

const RUNS = { numRuns: 5_000 };

const builderAggregation: fc.Arbitrary<BuilderAggregation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'auto' as const }) },
  { weight: 6, arbitrary: aggregation },
);

/** Filters the builder can write: the tag value is a tag as `tag("…")` writes it. */
const builderFilter: fc.Arbitrary<BuilderFilter> = fc
  .record({
    dimension: fc.oneof(fc.constantFrom('dt.entity.host', 'dt.entity.service'), nonEmptyText),
    entityType: typeValue,
    criterion: fc.oneof(
      nonEmptyText.map((value) => ({ kind: 'entityName' as const, value })),
      tagFilter.map((tag) => ({ kind: 'tag' as const, value: formatTag(tag) })),
      nonEmptyText.map((value) => ({ kind: 'managementZone' as const, value })),
    ),
  })
  .map(({ dimension, entityType, criterion }) => ({ ...criterion, dimension, entityType }));

/** Every query the builder can produce; optional steps are absent, never `undefined`. */
const builderQuery: fc.Arbitrary<BuilderQuery> = fc
  .record({
    metricKey,
    aggregation: fc.option(builderAggregation, { nil: undefined }),
    splitBy: fc.array(fc.oneof(fc.constantFrom('dt.entity.host', 'dt.entity.process_group'), nonEmptyText), { maxLength: 3 }),
    filter: fc.option(builderFilter, { nil: undefined }),
    topN: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
  })
  .map(({ metricKey: key, aggregation: agg, splitBy, filter, topN }) => ({
    metricKey: key,
    splitBy,
    ...(agg === undefined ? {} : { aggregation: agg }),
    ...(filter === undefined ? {} : { filter }),
    ...(topN === undefined ? {} : { topN }),
  }));

describe('builder round trips', () => {
  it('toBuilder(fromBuilder(q)) deep-equals q', () => {
    fc.assert(
      fc.property(builderQuery, (query) => {
        const result = toBuilder(fromBuilder(query));
        expect(result).toStrictEqual({ ok: true, query });
      }),
      RUNS,
    );
  });

  it('fromBuilder(toBuilder(s)) === s for every selector the builder writes', () => {
    fc.assert(
      fc.property(builderQuery, (query) => {
        const selector = fromBuilder(query);
        const result = toBuilder(selector);
        return result.ok && fromBuilder(result.query) === selector;
      }),
      RUNS,
    );
  });

  it('any other selector is either shown exactly or declined with a reason, never altered', () => {
    const selectors = fc.oneof(
      metricSelectorArb.map(formatMetricSelector),
      fc.tuple(fc.constantFrom(...validMetricSelectors.map((f) => f.input)), mutations).map(([text, edits]) => mutate(text, edits)),
      builderQuery.chain((q) => mutations.map((edits) => mutate(fromBuilder(q), edits))),
    );
    fc.assert(
      fc.property(selectors, (selector) => {
        const result = toBuilder(selector);
        if (result.ok) return fromBuilder(result.query) === selector;
        return result.reason.length > 0 && result.reason.endsWith('edit it in Code');
      }),
      RUNS,
    );
  });
});
