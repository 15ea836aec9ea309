import type { DynatraceClient, Entity, MetricData, Problem } from '../dynatrace';
import { entityIdsIn } from '../charts/metric-series';
import { namesById } from '../entities/names';
import type { Tile } from './tiles';

export type TileResult =
  | { kind: 'metric'; data: MetricData; names: Map<string, string>; unit?: string }
  | { kind: 'entity'; entities: Entity[]; total: number }
  | { kind: 'problem'; problems: Problem[]; total: number };

/** Display names of the entities in a metric answer, for the legend; a failure leaves ids in place. */
export async function entityNames(client: DynatraceClient, data: MetricData, signal: AbortSignal): Promise<Map<string, string>> {
  const ids = entityIdsIn(data);
  if (!ids.length) return new Map();
  try {
    return await namesById(client, ids, signal);
  } catch {
    // A token without entities.read still gets its chart, labelled with ids.
    return new Map();
  }
}

/** The key of the first metric a selector names (`builtin:host.cpu.usage` of `builtin:host.cpu.usage:avg,…`). */
export function firstMetricKey(selector: string): string | undefined {
  return /^[^:(,]+(?::[^:(,]+)?/.exec(selector.trim())?.[0];
}

/** Descriptor units per client and key: a board refreshing every 30 s asks for each unit once per identity. */
const units = new WeakMap<DynatraceClient, Map<string, Promise<string | undefined>>>();

/**
 * The unit of the first metric of a selector, from its descriptor, or undefined (the unit is cosmetic: a failure
 * leaves values unformatted and is asked again next time). The one request is shared by every caller, so it carries
 * none of their signals: a tile whose run is superseded must not cancel the unit of the tiles still waiting for it
 * (the client's own deadline bounds it). A caller that is aborted stops waiting.
 */
export async function metricUnit(client: DynatraceClient, selector: string, signal: AbortSignal): Promise<string | undefined> {
  const key = firstMetricKey(selector);
  if (!key) return undefined;
  let known = units.get(client);
  if (!known) units.set(client, (known = new Map()));
  let unit = known.get(key);
  if (!unit) {
    unit = Promise.resolve().then(() => client.metrics.get(key)).then((d) => d.unit ?? undefined);
    known.set(key, unit);
    unit.catch(() => known.delete(key));
  }
  const aborted = new Promise<undefined>((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  return Promise.race([unit.catch(() => undefined), aborted]);
}

/** Runs one board tile's query. */
export async function runTileQuery(client: DynatraceClient, tile: Tile, from: string, signal: AbortSignal): Promise<TileResult> {
  if (tile.kind === 'metric') {
    const selector = tile.query.metricSelector!;
    const [data, unit] = await Promise.all([
      client.metrics.query({ metricSelector: selector, entitySelector: tile.query.entitySelector, mzSelector: tile.query.mzSelector, from, resolution: tile.resolution }, { signal }),
      metricUnit(client, selector, signal),
    ]);
    return { kind: 'metric', data, names: await entityNames(client, data, signal), unit };
  }
  if (tile.kind === 'entity') {
    const page = await client.entities.list({ entitySelector: tile.query.entitySelector!, pageSize: 10, from }, { signal });
    return { kind: 'entity', entities: page.entities ?? [], total: page.totalCount ?? 0 };
  }
  const page = await client.problems.list({ problemSelector: tile.query.problemSelector, entitySelector: tile.query.entitySelector, from, pageSize: 10 }, { signal });
  return { kind: 'problem', problems: page.problems ?? [], total: page.totalCount ?? 0 };
}
