/**
 * A board tile in one line, for the popup's overview: its current value with its unit, and the points of a
 * sparkline. Pure: computed from a tile's answer, kept in session storage per token, painted at once on the next
 * popup open.
 */
import { formatMetricValue } from '../charts/units';
import { toChartModel } from '../charts/metric-series';
import { topList, type MetricView } from '../charts/views';
import type { TileResult } from './run-tile';

/** A top list tile shows this many entries in the popup. */
const POPUP_TOP = 3;

/** At most this many points draw a sparkline (enough for its width). */
const SPARK_POINTS = 48;

export interface TileSummary {
  /** "42.1 %", "4 open", "12 entities". */
  value: string;
  /** Values of the first series (nulls left out), oldest first; empty for entity and problem tiles. */
  points: number[];
  /** When the answer arrived (epoch ms). */
  at: number;
  /** A top list tile's leading series (display names) with their mean, formatted; absent for other views. */
  top?: { label: string; value: string }[];
  /** Why the tile failed, as a title and a message (one line), when it did. */
  failure?: { kind: string; title: string; message: string };
}

function thin(values: number[]): number[] {
  if (values.length <= SPARK_POINTS) return values;
  const step = values.length / SPARK_POINTS;
  return Array.from({ length: SPARK_POINTS }, (_, i) => values[Math.min(values.length - 1, Math.round((i + 1) * step) - 1)] ?? 0);
}

/**
 * The summary of a tile's answer. Metric: the last non-null value of the first series, formatted with `unit`
 * (the metric descriptor's), and for a top list tile its leading series; entities: their count; problems: the count,
 * "open" for a query of open problems.
 */
export function summarizeTile(result: TileResult, unit: string | undefined, at: number, openOnly = false, view: MetricView = 'line'): TileSummary {
  if (result.kind === 'entity') return { value: `${result.total} ${result.total === 1 ? 'entity' : 'entities'}`, points: [], at };
  if (result.kind === 'problem') return { value: `${result.total} ${openOnly ? 'open' : result.total === 1 ? 'problem' : 'problems'}`, points: [], at };
  const values = (result.data.result?.[0]?.data?.[0]?.values ?? []).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const last = values.length === 0 ? null : values[values.length - 1];
  const summary: TileSummary = { value: last === null || last === undefined ? 'no data' : formatMetricValue(last, unit), points: thin(values), at };
  if (view === 'top') summary.top = topList(toChartModel(result.data, result.names), POPUP_TOP).map((e) => ({ label: e.label, value: formatMetricValue(e.value, unit) }));
  return summary;
}

/** The polyline of a sparkline in a `width` × `height` box (a flat line for a constant series). */
export function sparklinePath(points: readonly number[], width: number, height: number): string {
  if (points.length < 2) return '';
  const min = Math.min(...points);
  const max = Math.max(...points);
  const span = max - min || 1;
  return points
    .map((p, i) => `${((i / (points.length - 1)) * width).toFixed(1)},${(height - 1 - ((p - min) / span) * (height - 2)).toFixed(1)}`)
    .join(' ');
}

/** The tiles a new board starts with, those the token's scopes allow: CPU by host, open problems, service response time. */
export function starterTiles(scopes: readonly string[]): { title: string; kind: 'metric' | 'problem'; query: { metricSelector?: string; problemSelector?: string }; timeframe: string; chart: 'line' }[] {
  const out: ReturnType<typeof starterTiles> = [];
  if (scopes.includes('metrics.read')) out.push({ title: 'CPU by host', kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg' }, timeframe: '2h', chart: 'line' });
  if (scopes.includes('problems.read')) out.push({ title: 'Open problems', kind: 'problem', query: { problemSelector: 'status("open")' }, timeframe: '24h', chart: 'line' });
  if (scopes.includes('metrics.read')) out.push({ title: 'Service response time', kind: 'metric', query: { metricSelector: 'builtin:service.response.time:avg' }, timeframe: '2h', chart: 'line' });
  return out;
}
