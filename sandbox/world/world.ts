import type { Zone } from '../identity';
import { ENTITY_TYPES, type EntityRecord, type EntityTypeName, type ProblemRecord } from './records';

export { ENTITY_TYPES, type EntityRecord, type EntityTypeName, type Tag } from './records';

/** The demo topology, indexed for selector evaluation: by id (constant time) and by type. */
export class World {
  readonly byId = new Map<string, EntityRecord>();
  readonly byType = new Map<EntityTypeName, EntityRecord[]>();
  readonly zoneById: Map<string, Zone>;
  readonly zoneByName: Map<string, Zone>;
  problems: ProblemRecord[] = [];
  readonly problemById = new Map<string, ProblemRecord>();

  constructor(readonly zones: Zone[], entities: EntityRecord[], readonly seed: number, readonly anchor = 0) {
    this.zoneById = new Map(zones.map((z) => [z.id, z]));
    this.zoneByName = new Map(zones.map((z) => [z.name, z]));
    for (const t of ENTITY_TYPES) this.byType.set(t, []);
    for (const e of entities) {
      this.byId.set(e.entityId, e);
      this.byType.get(e.type)!.push(e);
    }
    // toRelationships mirror fromRelationships: derived, never stored twice.
    for (const e of entities) {
      for (const [rel, targets] of Object.entries(e.fromRelationships)) {
        for (const id of targets) {
          const target = this.byId.get(id);
          if (target) (target.toRelationships[rel] ??= []).push(e.entityId);
        }
      }
    }
  }

  get size(): number { return this.byId.size; }

  setProblems(problems: ProblemRecord[]): void {
    this.problems = problems;
    this.problemById.clear();
    for (const p of problems) this.problemById.set(p.problemId, p);
  }

  /** Entity ids are `<TYPE>-<16 hex>`; the type prefix tells the type without a lookup. */
  static typeOfId(id: string): string | null {
    const m = /^([A-Z][A-Z0-9_]*)-[0-9A-F]{16}$/.exec(id);
    return m ? m[1]! : null;
  }
}

/** Metric dimension key of an entity type: `dt.entity.host`, `dt.entity.process_group_instance` ... */
export function dimensionKeyOf(type: string): string {
  return `dt.entity.${type.toLowerCase()}`;
}

export function typeOfDimensionKey(key: string): EntityTypeName | null {
  const m = /^dt\.entity\.([a-z_]+)$/.exec(key);
  const t = m?.[1]?.toUpperCase();
  return t && (ENTITY_TYPES as readonly string[]).includes(t) ? (t as EntityTypeName) : null;
}
