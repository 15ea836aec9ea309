/**
 * A query of the metrics or entities page as plain data, run read-only under any token: the unit that "Compare with
 * another token" runs twice and "Check my other tokens" runs once per stored token. Only GET endpoints are called
 * (`/metrics/query`, `/entities`), so running it under another token never writes anything.
 */
import type { DynatraceClient, MetricData } from '../dynatrace';
import { entityNames } from '../board/run-tile';
import { entityIdsIn } from '../charts/metric-series';
import { entityFacts } from '../explain/gather';
import type { ObjectFacts } from '../explain/verdict';
import { parseTimeValue } from '../time/timeframe';

export interface MetricReadParams {
  metricSelector: string;
  entitySelector?: string;
  mzSelector?: string;
  /** Absolute (epoch ms) for a comparison, so both tokens ask for the same timeframe. */
  from?: string;
  to?: string;
  resolution?: string;
}

export interface EntityReadParams {
  entitySelector: string;
  from?: string;
  to?: string;
}

export type ReadQuery = { kind: 'metrics'; params: MetricReadParams } | { kind: 'entities'; params: EntityReadParams };

export type ReadAnswer =
  | { kind: 'metrics'; data: MetricData; names: Record<string, string>; requests: number }
  | { kind: 'entities'; entities: ObjectFacts[]; total: number; truncated: boolean; requests: number };

export interface ReadOptions {
  signal?: AbortSignal;
  /** Pages of 500 entities (default 20: 10,000 entities). */
  maxPages?: number;
  /** Only the first page of entities and no name lookup for series: enough to know whether the token gets data. */
  probe?: boolean;
}

/** The query in one line, for headings, reports and CSV: `builtin:host.cpu.usage … entitySelector=type(HOST)`. */
export function readQueryText(q: ReadQuery): string {
  if (q.kind === 'entities') return q.params.entitySelector;
  return [q.params.metricSelector, q.params.entitySelector && `entitySelector=${q.params.entitySelector}`, q.params.mzSelector && `mzSelector=${q.params.mzSelector}`]
    .filter(Boolean).join(' ');
}

/** Whether the answer holds anything: series or entities. */
export function hasData(a: ReadAnswer): boolean {
  return a.kind === 'entities' ? a.entities.length > 0 : (a.data.result ?? []).some((r) => (r.data ?? []).length > 0);
}

/** Runs `q` under `client` (GET requests only). */
export async function runReadQuery(client: DynatraceClient, q: ReadQuery, opts: ReadOptions = {}): Promise<ReadAnswer> {
  const signal = opts.signal;
  const call = signal ? { signal } : {};
  if (q.kind === 'metrics') {
    const data = await client.metrics.query({ ...q.params }, call);
    if (opts.probe || !signal) return { kind: 'metrics', data, names: {}, requests: 1 };
    const names = await entityNames(client, data, signal);
    return { kind: 'metrics', data, names: Object.fromEntries(names), requests: entityIdsIn(data).length ? 2 : 1 };
  }
  const maxPages = opts.probe ? 1 : opts.maxPages ?? 20;
  let page = await client.entities.list({ entitySelector: q.params.entitySelector, fields: '+managementZones', pageSize: opts.probe ? 50 : 500, from: q.params.from, to: q.params.to }, call);
  let requests = 1;
  const entities: ObjectFacts[] = [];
  let truncated = false;
  for (let pages = 1; ; pages++) {
    entities.push(...(page.entities ?? []).map(entityFacts));
    if (!page.nextPageKey) break;
    if (pages >= maxPages) { truncated = true; break; }
    page = await client.entities.list({ nextPageKey: page.nextPageKey }, call);
    requests++;
  }
  return { kind: 'entities', entities, total: page.totalCount ?? entities.length, truncated, requests };
}

/** Slot lengths an automatic resolution chooses from (the server accepts each as a time span). */
const STEPS: readonly [string, number][] = [
  ['1m', 1], ['2m', 2], ['5m', 5], ['10m', 10], ['15m', 15], ['30m', 30], ['1h', 60], ['2h', 120], ['3h', 180], ['6h', 360], ['12h', 720], ['1d', 1440],
  ['2d', 2880], ['7d', 10080],
].map(([k, m]) => [k as string, (m as number) * 60_000]);

/** Dynatrace's default is 120 points; the explicit span that gives about as many. */
export function autoResolution(fromMs: number, toMs: number, points = 120): string {
  const wanted = (toMs - fromMs) / points;
  return (STEPS.find(([, ms]) => ms >= wanted) ?? STEPS[STEPS.length - 1]!)[0];
}

export interface FixedTimeframe { from: string; to: string; resolution: string; fromMs: number; toMs: number }

/**
 * Resolves a timeframe once, so two requests sent moments apart ask for the same slots: relative times (`now-2h`)
 * become epoch milliseconds, and an automatic resolution becomes an explicit span.
 */
export function fixTimeframe(input: { from?: string; to?: string; resolution?: string }, now: number, defaultFrom = 'now-2h'):
  { ok: true; value: FixedTimeframe } | { ok: false; error: string } {
  const f = parseTimeValue(input.from || defaultFrom, now);
  if (!f.ok) return { ok: false, error: `from: ${f.error}` };
  const t = input.to ? parseTimeValue(input.to, now) : { ok: true as const, value: now };
  if (!t.ok) return { ok: false, error: `to: ${t.error}` };
  if (f.value >= t.value) return { ok: false, error: 'The start of the timeframe must be before its end' };
  const resolution = input.resolution || autoResolution(f.value, t.value);
  return { ok: true, value: { from: String(f.value), to: String(t.value), resolution, fromMs: f.value, toMs: t.value } };
}
