/** Overview board tiles: pinned queries, saved per environment. Pure data, never a secret. */
import { isMetricView, type MetricView } from '../charts/views';

export type TileKind = 'metric' | 'entity' | 'problem';

export interface Tile {
  id: string;
  title: string;
  kind: TileKind;
  /** metric: metricSelector (+ entitySelector, mzSelector); entity: entitySelector; problem: problemSelector. */
  query: { metricSelector?: string; entitySelector?: string; mzSelector?: string; problemSelector?: string };
  /** A timeframe preset id (`2h`, `24h`, ...). */
  timeframe: string;
  resolution?: string;
  /** How a metric tile draws its answer; entity and problem tiles keep 'line' (unused). */
  chart: MetricView;
}

export interface BoardExport {
  format: 'tokenscope-board';
  version: 1;
  environmentUrl: string;
  exportedAt: string;
  tiles: Tile[];
}

export const MAX_TILES = 24;
const KINDS: readonly TileKind[] = ['metric', 'entity', 'problem'];
const QUERY_KEYS = ['metricSelector', 'entitySelector', 'mzSelector', 'problemSelector'] as const;
const SECRET = /dt0[a-z]\d\d\.[A-Z0-9]{24}\.[A-Z0-9]{64}/i;

export type ImportResult = { ok: true; tiles: Tile[] } | { ok: false; error: string };

function str(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length <= max;
}

/**
 * Validates a board file before anything is saved: shape, sizes, known kinds, and no token secret
 * anywhere in it. Errors name the tile and field; on any error nothing is imported.
 */
export function parseBoardImport(text: string): ImportResult {
  if (text.length > 512 * 1024) return { ok: false, error: 'The file is larger than 512 KB.' };
  if (SECRET.test(text)) return { ok: false, error: 'The file contains an access token secret; boards never hold secrets, so it was not imported.' };
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { return { ok: false, error: 'The file is not valid JSON.' }; }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== 'tokenscope-board') {
    return { ok: false, error: 'This is not a Tokenscope board export (format "tokenscope-board" missing).' };
  }
  const { version, tiles } = raw as { version?: unknown; tiles?: unknown };
  if (version !== 1) return { ok: false, error: `Board export version ${String(version)} is not supported (expected 1).` };
  if (!Array.isArray(tiles)) return { ok: false, error: 'The board export has no "tiles" list.' };
  if (tiles.length > MAX_TILES) return { ok: false, error: `A board holds at most ${MAX_TILES} tiles; the file has ${tiles.length}.` };
  const out: Tile[] = [];
  for (const [i, t] of tiles.entries()) {
    const where = `Tile ${i + 1}`;
    if (typeof t !== 'object' || t === null) return { ok: false, error: `${where} is not an object.` };
    const o = t as Record<string, unknown>;
    if (!str(o.title, 200) || !o.title.trim()) return { ok: false, error: `${where}: "title" must be a non-empty text of at most 200 characters.` };
    if (!KINDS.includes(o.kind as TileKind)) return { ok: false, error: `${where}: "kind" must be one of ${KINDS.join(', ')}.` };
    if (typeof o.query !== 'object' || o.query === null) return { ok: false, error: `${where}: "query" must be an object.` };
    const q = o.query as Record<string, unknown>;
    const query: Tile['query'] = {};
    for (const k of Object.keys(q)) {
      if (!(QUERY_KEYS as readonly string[]).includes(k)) return { ok: false, error: `${where}: unknown query field "${k}".` };
      const v = q[k];
      if (v === undefined || v === '') continue;
      if (!str(v, 5000)) return { ok: false, error: `${where}: "query.${k}" must be a text of at most 5,000 characters.` };
      query[k as (typeof QUERY_KEYS)[number]] = v;
    }
    if (o.kind === 'metric' && !query.metricSelector) return { ok: false, error: `${where}: a metric tile needs "query.metricSelector".` };
    if (o.kind === 'entity' && !query.entitySelector) return { ok: false, error: `${where}: an entity tile needs "query.entitySelector".` };
    if (!str(o.timeframe, 20)) return { ok: false, error: `${where}: "timeframe" must be a preset such as "2h".` };
    if (o.resolution !== undefined && !str(o.resolution, 10)) return { ok: false, error: `${where}: "resolution" must be a text such as "5m".` };
    if (o.chart !== undefined && !isMetricView(o.chart)) return { ok: false, error: `${where}: "chart" must be one of line, bar, single, top.` };
    const chart = isMetricView(o.chart) ? o.chart : 'line';
    out.push({ id: newTileId(), title: o.title.trim(), kind: o.kind as TileKind, query, timeframe: o.timeframe, ...(typeof o.resolution === 'string' ? { resolution: o.resolution } : {}), chart });
  }
  return { ok: true, tiles: out };
}

export function boardExport(environmentUrl: string, tiles: readonly Tile[], now = Date.now()): BoardExport {
  return { format: 'tokenscope-board', version: 1, environmentUrl, exportedAt: new Date(now).toISOString(), tiles: tiles.map((t) => ({ ...t })) };
}

let counter = 0;
export function newTileId(): string {
  counter = (counter + 1) % 1e6;
  return `tile-${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Moves a tile one place up (-1) or down (+1); out-of-range moves change nothing. */
export function moveTile(tiles: readonly Tile[], id: string, delta: -1 | 1): Tile[] {
  const i = tiles.findIndex((t) => t.id === id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= tiles.length) return [...tiles];
  const next = [...tiles];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/**
 * Runs tasks with at most `limit` in flight, so a board of many tiles does not stampede the
 * environment; each task settles on its own (one failure does not stop the others).
 */
export async function runBounded<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try { results[i] = { status: 'fulfilled', value: await tasks[i]!() }; } catch (reason) { results[i] = { status: 'rejected', reason }; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
