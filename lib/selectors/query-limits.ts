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

/** `5000` → `5,000` (a whole, non-negative number) for the limits' messages, without the runtime's locale data. */
export function formatCount(n: number): string {
  const digits = String(n);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}
