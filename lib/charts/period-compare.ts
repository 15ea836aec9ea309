import type { Duration, MetricExpression, MetricSelector } from '../selectors/metric-ast';
import { parseMetricSelector } from '../selectors/parse-metric';
import { formatMetricSelector } from '../selectors/format-metric';
import { resolveTimeframe, UNIT_MS } from '../time/timeframe';
import type { ChartModel, ChartSeries } from './metric-series';

/**
 * "Compare with": the same queries over an earlier period, asked as a second request whose every expression ends in
 * `:timeshift(-…)`, and drawn dashed in the colour of the series it shifts (MetricsPage.vue).
 */

export type PeriodComparison = '' | 'previous' | '1d' | '1w';

export const PERIOD_COMPARISONS: readonly { id: PeriodComparison; label: string }[] = [
  { id: '', label: 'None' },
  { id: 'previous', label: 'Previous period' },
  { id: '1d', label: '1 day earlier' },
  { id: '1w', label: '1 week earlier' },
];

/** The longest shift Dynatrace accepts in `:timeshift` (five years). */
const MAX_SHIFT_MS = 5 * 365 * UNIT_MS.d;

export type ShiftResult = { ok: true; shift: Duration; ms: number } | { ok: false; error: string };

/**
 * The shift of a comparison, as a negative whole duration: a day, a week, or the timeframe's own length for
 * "previous period" (in the coarsest unit that divides it, so `now-2h` becomes `-2h`).
 */
export function shiftOf(kind: Exclude<PeriodComparison, ''>, from: string | undefined, to: string | undefined, now: number): ShiftResult {
  if (kind === '1d') return { ok: true, shift: { amount: -1, unit: 'd' }, ms: UNIT_MS.d };
  if (kind === '1w') return { ok: true, shift: { amount: -1, unit: 'w' }, ms: UNIT_MS.w };
  const tf = resolveTimeframe(from, to, now, 'now-2h');
  if (!tf.ok) return { ok: false, error: `The timeframe cannot be compared with its previous period: ${tf.error}.` };
  const length = Math.round((tf.value.to - tf.value.from) / 1_000) * 1_000;
  if (length < UNIT_MS.s) return { ok: false, error: 'The timeframe is shorter than a second; there is no previous period to compare with.' };
  if (length > MAX_SHIFT_MS) return { ok: false, error: 'The timeframe is longer than five years, the longest time shift Dynatrace accepts.' };
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (length % UNIT_MS[unit] === 0) return { ok: true, shift: { amount: -(length / UNIT_MS[unit]), unit }, ms: length };
  }
  return { ok: true, shift: { amount: -(length / UNIT_MS.s), unit: 's' }, ms: length };
}

function shifted(expr: MetricExpression, shift: Duration): MetricExpression {
  const step = { name: 'timeshift', shift } as const;
  if (expr.kind === 'metric' || expr.kind === 'transformed') return { ...expr, transformations: [...expr.transformations, step] };
  // An arithmetic expression or a number is shifted as a whole: `(a + b):timeshift(-1d)`.
  return { kind: 'transformed', operand: expr, transformations: [step] };
}

/** The selector with every comma-separated expression shifted; a selector that does not parse is an error. */
export function shiftedSelector(selector: string, shift: Duration): { ok: true; value: string } | { ok: false; error: string } {
  const parsed = parseMetricSelector(selector);
  if (!parsed.ok) return { ok: false, error: parsed.error.message };
  const next: MetricSelector = { expressions: parsed.value.expressions.map((e) => shifted(e, shift)) };
  return { ok: true, value: formatMetricSelector(next) };
}

function seriesKey(s: ChartSeries): string {
  return `${s.query}\u0000${JSON.stringify(Object.entries(s.dimensionMap).sort(([a], [b]) => a.localeCompare(b)))}`;
}

/**
 * The chart of the current period with the shifted answer drawn into it: each shifted series takes the colour of the
 * series with the same query and dimensions (`color`), is dashed (`shiftLabel`) and labelled "<label> (<period>)".
 * Timestamps are moved into the current period by the shift when the answer still carries the earlier ones, so the
 * two lines meet slot by slot whichever way a server reports a shifted answer's times.
 */
export function withShifted(base: ChartModel, earlier: ChartModel, shiftMs: number, period: string): ChartModel {
  const own = new Set(base.timestamps);
  const inBase = earlier.timestamps.filter((t) => own.has(t)).length;
  const moved = earlier.timestamps.filter((t) => own.has(t + shiftMs)).length;
  const offset = moved > inBase ? shiftMs : 0;
  const all = new Set(base.timestamps);
  for (const t of earlier.timestamps) all.add(t + offset);
  const timestamps = [...all].sort((a, b) => a - b);
  const index = new Map(timestamps.map((t, i) => [t, i]));
  const realign = (s: ChartSeries, from: readonly number[], by: number): (number | null)[] => {
    const values = new Array<number | null>(timestamps.length).fill(null);
    from.forEach((t, i) => { values[index.get(t + by)!] = s.values[i] ?? null; });
    return values;
  };
  const matching = new Map(base.series.map((s, i) => [seriesKey(s), { color: s.color ?? i, label: s.label }]));
  let next = base.series.length;
  const series: ChartSeries[] = base.series.map((s, i) => ({ ...s, color: s.color ?? i, values: realign(s, base.timestamps, 0) }));
  for (const s of earlier.series) {
    // The shifted answer's metric ids end in `:timeshift(…)`; the label of the series it shifts reads better.
    const match = matching.get(seriesKey(s));
    const color = match?.color ?? next++;
    series.push({ ...s, label: `${match?.label ?? s.label} (${period})`, color, shiftLabel: period, values: realign(s, earlier.timestamps, offset) });
  }
  return { timestamps, series };
}
