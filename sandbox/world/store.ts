import type { Db } from '../db/database';
import { immediate } from '../db/database';
import { readMeta, writeMeta } from '../settings';
import { generateWorld, type WorldKind } from './generate';
import { World, type EntityRecord, type EntityTypeName } from './world';
import { generateProblems } from './problems';

const DAY = 86_400_000;

/**
 * Seeds the world into an empty database (zones, entities), or loads the one already there:
 * restarting on an existing database keeps its world, users and tokens.
 */
export function loadOrSeedWorld(db: Db, opts: { seed: number; kind: WorldKind; now: number }): World {
  const existing = readMeta(db, 'world');
  if (!existing) seedWorld(db, opts);
  return loadWorld(db);
}

export function seedWorld(db: Db, { seed, kind, now }: { seed: number; kind: WorldKind; now: number }): void {
  const anchor = Math.floor(now / DAY) * DAY;
  const { zones, entities } = generateWorld(seed, kind, anchor);
  immediate(db, () => {
    if (readMeta(db, 'world')) return; // another process seeded it first
    const zoneStmt = db.prepare('INSERT INTO zones (id, name) VALUES (?, ?)');
    for (const z of zones) zoneStmt.run(z.id, z.name);
    const ent = db.prepare(`INSERT INTO entities (id, type, name, first_seen, last_seen, health, properties, tags, from_relationships)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const ez = db.prepare('INSERT INTO entity_zones (entity_id, zone_id) VALUES (?, ?)');
    for (const e of entities) {
      ent.run(e.entityId, e.type, e.displayName, e.firstSeenTms, e.lastSeenTms ?? 0, e.healthState,
        JSON.stringify(e.properties), JSON.stringify(e.tags), JSON.stringify(e.fromRelationships));
      for (const z of e.zoneIds) ez.run(e.entityId, z);
    }
    writeMeta(db, 'world', JSON.stringify({ seed, kind, anchor }));
  });
}

export function loadWorld(db: Db): World {
  const meta = JSON.parse(readMeta(db, 'world') ?? '{"seed":1,"anchor":0}') as { seed: number; anchor: number };
  const zones = db.prepare('SELECT id, name FROM zones ORDER BY name').all() as { id: string; name: string }[];
  const zoneRows = db.prepare('SELECT entity_id AS e, zone_id AS z FROM entity_zones').all() as { e: string; z: string }[];
  const zonesOf = new Map<string, string[]>();
  for (const r of zoneRows) {
    const list = zonesOf.get(r.e);
    if (list) list.push(r.z); else zonesOf.set(r.e, [r.z]);
  }
  const rows = db.prepare('SELECT * FROM entities ORDER BY rowid').all() as {
    id: string; type: EntityTypeName; name: string; first_seen: number; last_seen: number; health: 'HEALTHY' | 'UNHEALTHY';
    properties: string; tags: string; from_relationships: string;
  }[];
  const entities: EntityRecord[] = rows.map((r) => ({
    entityId: r.id, type: r.type, displayName: r.name, firstSeenTms: r.first_seen, lastSeenTms: r.last_seen || null,
    healthState: r.health, properties: JSON.parse(r.properties), tags: JSON.parse(r.tags), zoneIds: zonesOf.get(r.id) ?? [],
    fromRelationships: JSON.parse(r.from_relationships), toRelationships: {},
  }));
  const world = new World(zones, entities, meta.seed, meta.anchor);
  world.setProblems(generateProblems(world, meta.seed, meta.anchor));
  return world;
}

/** Admin reset: the seeded world back, users and tokens back to the demo set (done by the caller). */
export function clearWorld(db: Db): void {
  immediate(db, () => {
    // Ingested metrics go too (their dimensions, series and points cascade).
    db.exec('DELETE FROM custom_metrics; DELETE FROM entity_zones; DELETE FROM entities; DELETE FROM grants; DELETE FROM tokens; DELETE FROM users; DELETE FROM zones;');
    db.prepare("DELETE FROM meta WHERE key IN ('world', 'patEnabled', 'zoneDenials')").run();
  });
}
