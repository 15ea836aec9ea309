import type { MetricData } from '../dynatrace/types';

/** One line or bar series of a chart, independent of chart.js. */
export interface ChartSeries {
  /** Legend text: the metric and its dimension values, entity ids replaced by display names. */
  label: string;
  metricId: string;
  /** Position of the series' metric expression in the selector (`result[query]`). */
  query: number;
  /** Palette index; defaults to the series' position. A shifted series shares the colour of the one it shifts. */
  color?: number;
  /** Set on a series of an earlier period ("1 day earlier"): drawn dashed. */
  shiftLabel?: string;
  dimensionMap: Record<string, string>;
  /** One value per timestamp of the chart; `null` for an empty slot (a gap in the line). */
  values: (number | null)[];
}

export interface ChartModel {
  /** Union of all series' slot-end timestamps, ascending. */
  timestamps: number[];
  series: ChartSeries[];
}

const ENTITY_ID = /^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$/;

/**
 * Maps a `MetricData` answer to a chart model. Series of several metrics are aligned on the union of
 * their timestamps; entity ids in dimensions are shown with their display names when known
 * (`names`, e.g. from `:names` dimensions or an entity lookup), never as raw ids when a name exists.
 */
export function toChartModel(data: MetricData, names: ReadonlyMap<string, string> = new Map()): ChartModel {
  const all = new Set<number>();
  for (const r of data.result ?? []) for (const s of r.data ?? []) for (const t of s.timestamps ?? []) all.add(t);
  const timestamps = [...all].sort((a, b) => a - b);
  const index = new Map(timestamps.map((t, i) => [t, i]));
  const multiMetric = (data.result ?? []).length > 1;
  const series: ChartSeries[] = [];
  for (const [query, r] of (data.result ?? []).entries()) {
    for (const s of r.data ?? []) {
      const values: (number | null)[] = new Array<number | null>(timestamps.length).fill(null);
      (s.timestamps ?? []).forEach((t, i) => { values[index.get(t)!] = s.values?.[i] ?? null; });
      const dims: Record<string, string> = Object.fromEntries(Object.entries(s.dimensionMap ?? {}).map(([k, v]) => [k, v ?? '']));
      const parts = Object.entries(dims)
        .filter(([k]) => !k.endsWith('.name'))
        .map(([k, v]) => dims[`${k}.name`] ?? names.get(v) ?? v);
      const metric = r.metricId ?? '';
      const label = parts.length === 0 ? metric : multiMetric ? `${parts.join(', ')} · ${metric}` : parts.join(', ');
      series.push({ label, metricId: metric, query, dimensionMap: dims, values });
    }
  }
  return { timestamps, series };
}

/** Entity ids appearing in dimension values, to look up display names for the legend. */
export function entityIdsIn(data: MetricData): string[] {
  const ids = new Set<string>();
  for (const r of data.result ?? []) for (const s of r.data ?? []) for (const v of Object.values(s.dimensionMap ?? {})) if (v && ENTITY_ID.test(v)) ids.add(v);
  return [...ids];
}

/** First characters that make a spreadsheet evaluate a cell as a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell from the API (a dimension key or value, a metric key): a cell a spreadsheet would run as a formula
 * gets a leading `'` (shown as text, not evaluated), and any cell with a quote, comma or line break is quoted.
 */
export function csvTextCell(v: string): string {
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV export of a chart model: one row per series and timestamp (`metricId, dimensions..., timestamp, value`),
 * the shape Dynatrace's own CSV uses. Every text cell, the header of dimension keys included, goes through
 * {@link csvTextCell}; timestamps and values are written by us from numbers and stay as they are (a negative value
 * is a number, not a formula).
 */
export function toCsv(model: ChartModel): string {
  const dimKeys = [...new Set(model.series.flatMap((s) => Object.keys(s.dimensionMap)))];
  const rows = [['metricId', ...dimKeys, 'timestamp', 'value'].map(csvTextCell).join(',')];
  for (const s of model.series) {
    s.values.forEach((v, i) => {
      const text = [s.metricId, ...dimKeys.map((k) => s.dimensionMap[k] ?? '')].map(csvTextCell);
      rows.push([...text, new Date(model.timestamps[i]!).toISOString(), v === null ? '' : String(v)].join(','));
    });
  }
  return rows.join('\n') + '\n';
}
