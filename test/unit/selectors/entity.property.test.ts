import fc from 'fast-check';
import { describe, it } from 'vitest';
import { formatEntitySelector, parseEntitySelector } from '../../../lib/selectors';
import { validEntitySelectors } from '../../fixtures/selectors/entity-selectors';
import { anyText, entitySelectorArb, expectWellFormed, mutate, mutations, sameTree } from './arbitraries';

const RUNS = { numRuns: 10_000 };

describe('entity selector properties', () => {
  it('parse(format(ast)) equals ast for generated ASTs', () => {
    fc.assert(
      fc.property(entitySelectorArb, (ast) => {
        // sameTree, not toEqual: stricter (-0, undefined-valued keys) and much faster
        // over 10,000 runs; fast-check prints the counterexample when it fails.
        const result = parseEntitySelector(formatEntitySelector(ast));
        return result.ok && sameTree(result.value, ast);
      }),
      RUNS,
    );
  });

  it('never throws and reports offsets inside the input for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })), (input) => {
        expectWellFormed(input, parseEntitySelector(input));
      }),
      RUNS,
    );
  });

  it('never throws on mutated valid selectors, and what still parses round-trips', () => {
    const base = fc.oneof(
      entitySelectorArb.map(formatEntitySelector),
      fc.constantFrom(...validEntitySelectors.map((f) => f.input)),
    );
    fc.assert(
      fc.property(base, mutations, (text, edits) => {
        const input = mutate(text, edits);
        const result = parseEntitySelector(input);
        expectWellFormed(input, result);
        return !result.ok || sameTree(parseEntitySelector(formatEntitySelector(result.value)), result);
      }),
      RUNS,
    );
  });
});
