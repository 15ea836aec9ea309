/**
 * Dynatrace's two query languages, parsed and formatted: the entity selector (API notes §7.4)
 * and the metric selector (§6). Parsers never throw; they return a {@link ParseResult}.
 */
export type { ParseResult, SelectorError } from './result';
export type * from './entity-ast';
export { parseEntitySelector } from './parse-entity';
export { formatEntitySelector } from './format-entity';
