import type { ChartModel } from './metric-series';

/**
 * The two views of a metric answer that are not a chart over time (docs/ui-contract.md "Analyst tools", board tiles "single value" and
 * "top list"). Pure, shared by the metrics page, the board and the popup's overview.
 */

/** How a metric answer is drawn: over time as lines or bars, as one value, or as a ranking of its series. */
export type MetricView = 'line' | 'bar' | 'single' | 'top';

export const METRIC_VIEWS: readonly { id: MetricView; label: string }[] = [
  { id: 'line', label: 'Line' },
  { id: 'bar', label: 'Bar' },
  { id: 'single', label: 'Single value' },
  { id: 'top', label: 'Top list' },
];

export function isMetricView(v: unknown): v is MetricView {
  return v === 'line' || v === 'bar' || v === 'single' || v === 'top';
}

/** The latest non-null value of a series (the slot the dashboard calls "now"), or null when it has none. */
export function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** The single value of an answer: the latest value of its first series, with that series' label. */
export function singleValue(model: ChartModel): { label: string; value: number } | null {
  for (const s of model.series) {
    if (s.shiftLabel) continue;
    const value = lastValue(s.values);
    return value === null ? null : { label: s.label, value };
  }
  return null;
}

export interface TopEntry { label: string; value: number }

/**
 * The series ranked by their mean over the timeframe (empty slots left out), highest first, at most `n`. The mean
 * keeps a ranking of 2 hours and of 7 days comparable (a sum would grow with the timeframe's slot count). A series
 * with no value at all is not ranked; ties keep the answer's order.
 */
export function topList(model: ChartModel, n = 10): TopEntry[] {
  const ranked: (TopEntry & { at: number })[] = [];
  model.series.forEach((s, at) => {
    if (s.shiftLabel) return;
    let sum = 0;
    let count = 0;
    for (const v of s.values) if (typeof v === 'number' && Number.isFinite(v)) { sum += v; count++; }
    if (count > 0) ranked.push({ label: s.label, value: sum / count, at });
  });
  ranked.sort((a, b) => b.value - a.value || a.at - b.at);
  return ranked.slice(0, Math.max(0, n)).map(({ label, value }) => ({ label, value }));
}
