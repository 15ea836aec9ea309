import type { EntityCriterion, EntitySelector, TagFilter } from '../../lib/selectors/entity-ast';
import { parseTimeValue } from '../../lib/time/timeframe';
import type { EntityRecord, World } from '../world/world';
import { World as WorldClass } from '../world/world';

export interface EvalContext {
  world: World;
  now: number;
  /** Zone ids the caller may see; null = all. Applied at every level, nested selectors included. */
  visibleZones: Set<string> | null;
}

export function isVisible(e: EntityRecord, visible: Set<string> | null): boolean {
  return visible === null || e.zoneIds.some((z) => visible.has(z));
}

/** Every zone a selector names explicitly (in nested and negated criteria too). */
export function explicitZones(sel: EntitySelector): { names: string[]; ids: string[] } {
  const names: string[] = [];
  const ids: string[] = [];
  const walk = (c: EntityCriterion) => {
    if (c.kind === 'mzName') names.push(...c.names);
    else if (c.kind === 'mzId') ids.push(...c.ids);
    else if (c.kind === 'not') walk(c.criterion);
    else if (c.kind === 'relationship') c.selector.criteria.forEach(walk);
  };
  sel.criteria.forEach(walk);
  return { names, ids };
}

/** The entity type a selector is restricted to at its top level, if any. */
export function selectorType(sel: EntitySelector): string | null {
  for (const c of sel.criteria) {
    if (c.kind === 'type') return c.entityType;
  }
  for (const c of sel.criteria) {
    if (c.kind === 'entityId' && c.ids.length) return WorldClass.typeOfId(c.ids[0]!);
  }
  return null;
}

function tagMatches(e: EntityRecord, f: TagFilter): boolean {
  return e.tags.some((t) => t.key === f.key
    && (f.context === undefined || t.context === f.context)
    && (f.value === undefined || (t.value ?? '') === f.value));
}

function nameMatches(name: string, c: Extract<EntityCriterion, { kind: 'entityName' }>): boolean {
  const n = c.caseSensitive ? name : name.toLowerCase();
  const vs = c.caseSensitive ? c.values : c.values.map((v) => v.toLowerCase());
  switch (c.operator) {
    case 'contains': return n.includes(vs[0] ?? '');
    case 'startsWith': return n.startsWith(vs[0] ?? '');
    case 'equals': return n === vs[0];
    case 'in': return vs.includes(n);
  }
}

function propertyValues(e: EntityRecord, property: string): string[] | undefined {
  const v = e.properties[property];
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/**
 * Evaluates a parsed entity selector against the world. Candidates come from the type index
 * (or the id index for `entityId`), so a query never scans types it does not name.
 */
interface EvalState {
  ctx: EvalContext;
  nested: Map<EntitySelector, Set<string>>;
  times: Map<string, number | null>;
}

function timeOf(state: EvalState, t: string): number | null {
  if (!state.times.has(t)) { const r = parseTimeValue(t, state.ctx.now); state.times.set(t, r.ok ? r.value : null); }
  return state.times.get(t)!;
}

function matchSet(state: EvalState, s: EntitySelector): Set<string> {
  let hit = state.nested.get(s);
  if (!hit) { hit = new Set(evaluateWith(s, state).map((e) => e.entityId)); state.nested.set(s, hit); }
  return hit;
}

// Module-level (not per-call closures): the evaluator runs on every list request.
function matches(e: EntityRecord, c: EntityCriterion, state: EvalState): boolean {
  switch (c.kind) {
    case 'type': return e.type === c.entityType;
    case 'entityId': return c.ids.includes(e.entityId);
    case 'entityName': return nameMatches(e.displayName, c);
    case 'attribute': { const vs = propertyValues(e, c.property); return !!vs && vs.some((v) => c.values.includes(v)); }
    case 'attributeExists': return propertyValues(e, c.property) !== undefined;
    case 'tag': return c.tags.some((f) => tagMatches(e, f));
    case 'mzId': return e.zoneIds.some((z) => c.ids.includes(z));
    case 'mzName': return e.zoneIds.some((z) => c.names.includes(state.ctx.world.zoneById.get(z)?.name ?? ''));
    case 'healthState': return e.healthState === c.state;
    case 'firstSeenTms': {
      const t = timeOf(state, c.time);
      if (t === null) return false;
      return c.operator === 'lt' ? e.firstSeenTms < t : c.operator === 'lte' ? e.firstSeenTms <= t : c.operator === 'gt' ? e.firstSeenTms > t : e.firstSeenTms >= t;
    }
    case 'deletedEntities': return true; // the world holds no deleted entities
    case 'relationship': {
      const targets = (c.direction === 'from' ? e.fromRelationships : e.toRelationships)[c.relation];
      if (!targets?.length) return false;
      const set = matchSet(state, c.selector);
      return targets.some((id) => set.has(id));
    }
    case 'not': return !matches(e, c.criterion, state);
  }
}

/**
 * Evaluates a parsed entity selector against the world. Candidates come from the type index
 * (or the id index for `entityId`), so a query never scans types it does not name.
 */
export function evaluateEntitySelector(sel: EntitySelector, ctx: EvalContext): EntityRecord[] {
  return evaluateWith(sel, { ctx, nested: new Map(), times: new Map() });
}

function evaluateWith(sel: EntitySelector, state: EvalState): EntityRecord[] {
  const { ctx } = state;
  let candidates: Iterable<EntityRecord>;
  const idCrit = sel.criteria.find((c) => c.kind === 'entityId');
  const type = sel.criteria.find((c) => c.kind === 'type');
  if (idCrit && idCrit.kind === 'entityId') {
    candidates = idCrit.ids.map((id) => ctx.world.byId.get(id)).filter((e): e is EntityRecord => !!e);
  } else if (type && type.kind === 'type') {
    candidates = ctx.world.byType.get(type.entityType as never) ?? [];
  } else {
    candidates = ctx.world.byId.values();
  }
  const out: EntityRecord[] = [];
  for (const e of candidates) {
    if (!isVisible(e, ctx.visibleZones)) continue;
    let ok = true;
    for (const c of sel.criteria) if (!matches(e, c, state)) { ok = false; break; }
    if (ok) out.push(e);
  }
  return out;
}
