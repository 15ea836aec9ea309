import fc from 'fast-check';
import { describe, it } from 'vitest';
import { formatMetricSelector, parseMetricSelector } from '../../../lib/selectors';
import { validMetricSelectors } from '../../fixtures/selectors/metric-selectors';
import { anyText, expectWellFormed, metricSelectorArb, mutate, mutations, sameTree } from './arbitraries';

const RUNS = { numRuns: 10_000 };

describe('metric selector properties', () => {
  it('parse(format(ast)) equals ast for generated ASTs', () => {
    fc.assert(
      fc.property(metricSelectorArb, (ast) => {
        // sameTree, not toEqual: stricter (-0, undefined-valued keys) and much faster
        // over 10,000 runs; fast-check prints the counterexample when it fails.
        const result = parseMetricSelector(formatMetricSelector(ast));
        return result.ok && sameTree(result.value, ast);
      }),
      RUNS,
    );
  });

  it('never throws and reports offsets inside the input for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })), (input) => {
        expectWellFormed(input, parseMetricSelector(input));
      }),
      RUNS,
    );
  });

  it('never throws on mutated valid selectors, and what still parses round-trips', () => {
    const base = fc.oneof(
      metricSelectorArb.map(formatMetricSelector),
      fc.constantFrom(...validMetricSelectors.map((f) => f.input)),
    );
    fc.assert(
      fc.property(base, mutations, (text, edits) => {
        const input = mutate(text, edits);
        const result = parseMetricSelector(input);
        expectWellFormed(input, result);
        return !result.ok || sameTree(parseMetricSelector(formatMetricSelector(result.value)), result);
      }),
      RUNS,
    );
  });
});
