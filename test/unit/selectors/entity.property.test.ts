import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEntitySelector, parseEntitySelector } from '../../../lib/selectors';
import { validEntitySelectors } from '../../fixtures/selectors/entity-selectors';
import { anyText, entitySelectorArb, expectWellFormed, mutate, mutations } from './arbitraries';

const RUNS = { numRuns: 10_000 };

describe('entity selector properties', () => {
  it('parse(format(ast)) equals ast for generated ASTs', () => {
    fc.assert(
      fc.property(entitySelectorArb, (ast) => {
        const text = formatEntitySelector(ast);
        expect(parseEntitySelector(text)).toEqual({ ok: true, value: ast });
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
        if (result.ok) expect(parseEntitySelector(formatEntitySelector(result.value))).toEqual(result);
      }),
      RUNS,
    );
  });
});
