/**
 * The documented size limits of metric and entity queries (docs/dynatrace-api-notes.md §5.4, §7.4) as numbers, apart from their
 * checks (limits.ts), so code that only needs a number (batching ids: lib/entities/names.ts) loads no parser.
 */
export const QUERY_LIMITS = {
  /** Metrics per query; a sibling group `a.(b,c)` counts each metric, an arithmetic expression counts once. */
  maxMetricExpressions: 10,
  maxMetricSelectorLength: 5_000,
  maxEntitySelectorLength: 2_000,
} as const;
