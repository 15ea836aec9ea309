import type { DynatraceClient, Entity } from '../dynatrace';
import { QUERY_LIMITS } from '../selectors/query-limits';
import { quote } from '../selectors/scan';

/** Ids at most looked up for one view: a host with thousands of processes is named for its first 500. */
export const MAX_NAMED = 500;

/**
 * `entityId("a","b",…)` selectors for `ids`, each within the entity selector's length limit, so a long list is a few
 * requests the API accepts rather than one it refuses.
 */
export function idSelectors(ids: readonly string[]): string[] {
  const max = QUERY_LIMITS.maxEntitySelectorLength;
  const out: string[] = [];
  let batch: string[] = [];
  let length = 'entityId()'.length;
  for (const id of ids) {
    const part = quote(id);
    if (batch.length > 0 && length + part.length + 1 > max) {
      out.push(`entityId(${batch.join(',')})`);
      batch = [];
      length = 'entityId()'.length;
    }
    batch.push(part);
    length += part.length + (batch.length > 1 ? 1 : 0);
  }
  if (batch.length) out.push(`entityId(${batch.join(',')})`);
  return out;
}

/**
 * Display names of entities by id, as the token sees them: an id missing from the answer is an entity this token
 * cannot see (its zones) or one that no longer exists. Batched by {@link idSelectors}; at most {@link MAX_NAMED} ids.
 */
export async function namesById(client: DynatraceClient, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const wanted = [...new Set(ids)].slice(0, MAX_NAMED);
  for (const entitySelector of idSelectors(wanted)) {
    const list = await client.entities.list({ entitySelector, pageSize: 500, from: 'now-365d' }, { signal });
    for (const e of list.entities ?? []) if (e.entityId && e.displayName) names.set(e.entityId, e.displayName);
  }
  return names;
}

/** An entity's relationships as the API names them ("runsOnHost" from it, "calls" to it), with their target ids. */
export function relationsOf(entity: Entity): { relation: string; direction: 'from' | 'to'; ids: string[] }[] {
  const list = (direction: 'from' | 'to', map: Entity['fromRelationships']) =>
    Object.entries(map ?? {}).map(([relation, t]) => ({ relation, direction, ids: (t ?? []).map((x) => x.id).filter((id): id is string => !!id) }));
  return [...list('from', entity.fromRelationships), ...list('to', entity.toRelationships)];
}
