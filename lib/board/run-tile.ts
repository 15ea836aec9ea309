import type { DynatraceClient, Entity, MetricData, Problem } from '../dynatrace';
import { entityIdsIn } from '../charts/metric-series';
import type { Tile } from './tiles';

export type TileResult =
  | { kind: 'metric'; data: MetricData; names: Map<string, string> }
  | { kind: 'entity'; entities: Entity[]; total: number }
  | { kind: 'problem'; problems: Problem[]; total: number };

/** Display names of the entities in a metric answer, for the legend; a failure leaves ids in place. */
export async function entityNames(client: DynatraceClient, data: MetricData, signal: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = entityIdsIn(data).slice(0, 500);
  if (!ids.length) return names;
  try {
    const list = await client.entities.list({ entitySelector: `entityId(${ids.map((i) => `"${i}"`).join(',')})`, pageSize: 500, from: 'now-365d' }, { signal });
    for (const e of list.entities ?? []) if (e.entityId && e.displayName) names.set(e.entityId, e.displayName);
  } catch {
    // A token without entities.read still gets its chart, labelled with ids.
  }
  return names;
}

/** Runs one board tile's query. */
export async function runTileQuery(client: DynatraceClient, tile: Tile, from: string, signal: AbortSignal): Promise<TileResult> {
  if (tile.kind === 'metric') {
    const data = await client.metrics.query({ metricSelector: tile.query.metricSelector!, entitySelector: tile.query.entitySelector, mzSelector: tile.query.mzSelector, from, resolution: tile.resolution }, { signal });
    return { kind: 'metric', data, names: await entityNames(client, data, signal) };
  }
  if (tile.kind === 'entity') {
    const page = await client.entities.list({ entitySelector: tile.query.entitySelector!, pageSize: 10, from }, { signal });
    return { kind: 'entity', entities: page.entities ?? [], total: page.totalCount ?? 0 };
  }
  const page = await client.problems.list({ problemSelector: tile.query.problemSelector, entitySelector: tile.query.entitySelector, from, pageSize: 10 }, { signal });
  return { kind: 'problem', problems: page.problems ?? [], total: page.totalCount ?? 0 };
}
