/** Ingested (custom) metrics in SQLite: descriptors, series and data points. */
import type { Db } from '../db/database';
import type { Slots } from './slots';
import { Raw } from './stats';

export type CustomKind = 'gauge' | 'count';

export interface CustomMetric {
  key: string;
  kind: CustomKind;
  unit: string | null;
  displayName: string | null;
  description: string | null;
  created: number;
  lastWritten: number | null;
  /** Dimension keys in the order they were first written. */
  dimensions: string[];
}

interface MetricRow { key: string; kind: CustomKind; unit: string | null; display_name: string | null; description: string | null; created: number; last_written: number | null }

function toMetric(r: MetricRow, dims: string[]): CustomMetric {
  return { key: r.key, kind: r.kind, unit: r.unit, displayName: r.display_name, description: r.description, created: r.created, lastWritten: r.last_written, dimensions: dims };
}

export function listCustomMetrics(db: Db): CustomMetric[] {
  const rows = db.prepare('SELECT * FROM custom_metrics ORDER BY key').all() as MetricRow[];
  const dims = new Map<string, string[]>();
  for (const d of db.prepare('SELECT metric_key AS m, dim_key AS k FROM custom_metric_dimensions ORDER BY id').all() as { m: string; k: string }[]) {
    (dims.get(d.m) ?? dims.set(d.m, []).get(d.m)!).push(d.k);
  }
  return rows.map((r) => toMetric(r, dims.get(r.key) ?? []));
}

export function getCustomMetric(db: Db, key: string): CustomMetric | undefined {
  const r = db.prepare('SELECT * FROM custom_metrics WHERE key = ?').get(key) as MetricRow | undefined;
  if (!r) return undefined;
  const dims = (db.prepare('SELECT dim_key AS k FROM custom_metric_dimensions WHERE metric_key = ? ORDER BY id').all(key) as { k: string }[]).map((d) => d.k);
  return toMetric(r, dims);
}

/** Removes an ingested metric with its dimensions, series and points (they cascade). */
export function deleteCustomMetric(db: Db, key: string): void {
  db.prepare('DELETE FROM custom_metrics WHERE key = ?').run(key);
}

/** Distinct values per dimension key (for `dimensionCardinalities`), over the series `keep` lets through. */
export function customCardinalities(db: Db, key: string, keep: (dims: Record<string, string>) => boolean = () => true): { key: string; estimate: number; series: number }[] {
  const series = (db.prepare('SELECT dims FROM custom_series WHERE metric_key = ?').all(key) as { dims: string }[])
    .map((r) => JSON.parse(r.dims) as Record<string, string>)
    .filter(keep);
  const m = getCustomMetric(db, key);
  return (m?.dimensions ?? []).map((k) => ({ key: k, estimate: new Set(series.map((s) => s[k]).filter((v) => v !== undefined)).size, series: series.length }));
}

/** Canonical form of a dimension set: keys sorted, so the same tuple always maps to one series row. */
export function canonicalDims(dims: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(dims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

export interface CustomTuple { dims: Record<string, string>; raw: Raw }

/**
 * Every series of the metric with data in the slots (shifted by `shift` for timeshift), bucketed
 * into the slots; each stored point keeps its value for exact percentiles (a summary point counts
 * as its mean).
 */
export function loadCustomTuples(db: Db, key: string, slots: Slots, shift: number): CustomTuple[] {
  const start = slots.start + shift;
  const end = start + slots.step * slots.count;
  const rows = db.prepare(`SELECT p.series_id AS id, s.dims AS dims, p.ts AS ts, p.count AS count, p.sum AS sum, p.min AS min, p.max AS max
    FROM custom_series s JOIN custom_points p ON p.series_id = s.id
    WHERE s.metric_key = ? AND p.ts >= ? AND p.ts < ? ORDER BY p.series_id, p.ts`).all(key, start, end) as {
    id: number; dims: string; ts: number; count: number; sum: number; min: number; max: number;
  }[];
  const out = new Map<number, CustomTuple>();
  for (const r of rows) {
    let t = out.get(r.id);
    if (!t) { t = { dims: JSON.parse(r.dims) as Record<string, string>, raw: new Raw(slots.count, 'linear') }; out.set(r.id, t); }
    const i = Math.floor((r.ts - start) / slots.step);
    if (i < 0 || i >= slots.count) continue;
    t.raw.add(i, r.count, r.sum, r.min, r.max, r.sum / r.count);
  }
  return [...out.values()];
}
