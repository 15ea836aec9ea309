/**
 * One view of built-in and ingested metrics for the routes and the query engine, and their
 * `MetricDescriptor` representation (docs/dynatrace-api-notes.md §5.3), including descriptors of keys with
 * transformations (`builtin:host.disk.avail:names`, `…:splitBy()`).
 */
import type { Db } from '../db/database';
import type { EntityRecord, World } from '../world/world';
import { typeOfDimensionKey } from '../world/world';
import type { Transformation } from '../../lib/selectors/metric-ast';
import { BROWSERS, BUILTIN_BY_ID, BUILTIN_METRICS, type AggregationType, type BuiltinMetric, type DimensionDef } from './builtin';
import { customCardinalities, getCustomMetric, listCustomMetrics, type CustomMetric } from './custom';
import type { Dist } from './stats';

/** A metric as routes and the engine see it: the descriptor fields every metric has, and where it comes from. */
export interface MetricDef extends Pick<BuiltinMetric,
  'metricId' | 'displayName' | 'description' | 'unit' | 'aggregationTypes' | 'defaultAggregation' | 'valueKind' | 'dimensions' | 'entityType'> {
  builtin: BuiltinMetric | null;
  custom: CustomMetric | null;
  dist: Dist;
}

/**
 * The transformations a descriptor lists: what real servers list, in their order (recorded descriptors, all
 * alike), with `rate` only for metrics that count (their `value` is a sum). The query engine evaluates more than
 * this (`delta`, `rollup`, `lastReal`, `rate` on any metric): a descriptor describes, the engine accepts.
 */
const DESCRIBED_TRANSFORMATIONS = ['filter', 'fold', 'limit', 'merge', 'names', 'parents', 'timeshift', 'sort', 'last', 'splitBy', 'default'];
const DESCRIBED_COUNT_TRANSFORMATIONS = ['filter', 'fold', 'limit', 'merge', 'names', 'parents', 'timeshift', 'rate', 'sort', 'last', 'splitBy', 'default'];

function describedTransformations(def: MetricDef): string[] {
  const counts = def.valueKind === 'sum' && def.aggregationTypes.includes('value');
  return counts ? DESCRIBED_COUNT_TRANSFORMATIONS : DESCRIBED_TRANSFORMATIONS;
}

const CUSTOM_GAUGE_AGGS: AggregationType[] = ['auto', 'avg', 'count', 'max', 'median', 'min', 'percentile', 'sum'];
const CUSTOM_COUNT_AGGS: AggregationType[] = ['auto', 'avg', 'count', 'max', 'min', 'sum', 'value'];

function fromBuiltin(b: BuiltinMetric): MetricDef {
  return {
    metricId: b.metricId, builtin: b, custom: null, displayName: b.displayName, description: b.description, unit: b.unit,
    aggregationTypes: b.aggregationTypes, defaultAggregation: b.defaultAggregation, valueKind: b.valueKind,
    dimensions: b.dimensions, entityType: b.entityType, dist: b.dist,
  };
}

/** Custom gauges also answer median and percentiles: the sandbox keeps every point (a documented extension). */
function fromCustom(c: CustomMetric): MetricDef {
  const dimensions: DimensionDef[] = c.dimensions.map((k) => {
    const type = typeOfDimensionKey(k);
    const label = type ? type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ') : k;
    return { key: k, name: label, displayName: label, type: type ? 'ENTITY' : 'STRING' };
  });
  return {
    metricId: c.key, builtin: null, custom: c, displayName: c.displayName ?? c.key, description: c.description ?? '', unit: c.unit ?? 'Unspecified',
    aggregationTypes: c.kind === 'gauge' ? CUSTOM_GAUGE_AGGS : CUSTOM_COUNT_AGGS,
    defaultAggregation: c.kind === 'gauge' ? { kind: 'avg' } : { kind: 'value' }, valueKind: c.kind === 'gauge' ? 'avg' : 'sum',
    dimensions, entityType: [...new Set(dimensions.filter((d) => d.type === 'ENTITY').map((d) => typeOfDimensionKey(d.key)!))], dist: 'linear',
  };
}

export function resolveMetric(db: Db, key: string): MetricDef | undefined {
  const b = BUILTIN_BY_ID.get(key);
  if (b) return fromBuiltin(b);
  const c = getCustomMetric(db, key);
  return c ? fromCustom(c) : undefined;
}

/** Every metric, sorted by key. */
export function allMetrics(db: Db): MetricDef[] {
  return [...BUILTIN_METRICS.map(fromBuiltin), ...listCustomMetrics(db).map(fromCustom)].sort((a, b) => (a.metricId < b.metricId ? -1 : 1));
}

export function hasEntityDimension(def: MetricDef): boolean {
  return def.dimensions.some((d) => d.type === 'ENTITY');
}

/** Parent dimension added by `:parents` (docs/dynatrace-api-notes.md §6.2), for the entity types of this world. */
export const PARENT_OF: Record<string, { key: string; relation: string }> = {
  'dt.entity.process_group_instance': { key: 'dt.entity.host', relation: 'isProcessOf' },
  'dt.entity.disk': { key: 'dt.entity.host', relation: 'isDiskOf' },
};

/** The dimension list after transformations that change it; aggregated results have `auto`/`value` only. */
export function transformDescriptor(def: MetricDef, transformations: readonly Transformation[]): { dimensions: DimensionDef[]; aggregated: boolean } {
  let dims = [...def.dimensions];
  let aggregated = false;
  for (const t of transformations) {
    switch (t.name) {
      case 'splitBy': dims = t.dimensions.map((k) => dims.find((d) => d.key === k)).filter((d): d is DimensionDef => !!d); break;
      case 'merge': dims = dims.filter((d) => !t.dimensions.includes(d.key)); break;
      case 'names': dims = dims.flatMap((d) => (d.type === 'ENTITY' && !dims.some((x) => x.key === `${d.key}.name`)
        ? [{ key: `${d.key}.name`, name: `${d.name} name`, displayName: `${d.displayName} name`, type: 'STRING' as const }, d] : [d])); break;
      case 'parents':
        for (const d of [...dims]) {
          const p = PARENT_OF[d.key];
          if (p && !dims.some((x) => x.key === p.key)) dims.push({ key: p.key, name: 'Host', displayName: 'Host', type: 'ENTITY' });
        }
        break;
      case 'aggregation': case 'auto': case 'fold': case 'last': case 'lastReal': aggregated = true; break;
      default: break;
    }
  }
  return { dimensions: dims, aggregated };
}

/**
 * `dimensionCardinalities` over the tuples the caller can query: a zone-restricted caller counts the
 * entities of its zones, never the environment's (the count would tell how much it cannot see).
 * Custom series follow the query engine's rule: every entity they name must be visible, and a
 * series naming no entity belongs to no zone.
 */
function cardinalities(db: Db, world: World, def: MetricDef, visible: Set<string> | null): { key: string; estimate: number; relative: number }[] {
  const sees = (e: EntityRecord | undefined) => visible === null || (e !== undefined && e.zoneIds.some((z) => visible.has(z)));
  if (def.custom) {
    const entityKeys = def.dimensions.filter((d) => d.type === 'ENTITY').map((d) => d.key);
    const keep = (dims: Record<string, string>) => {
      const named = entityKeys.filter((k) => dims[k] !== undefined);
      return visible === null || (named.length > 0 && named.every((k) => sees(world.byId.get(dims[k]!))));
    };
    return customCardinalities(db, def.metricId, keep).map((c) => ({ key: c.key, estimate: c.estimate, relative: c.series ? Math.min(100, (100 * c.estimate) / c.series) : 0 }));
  }
  const count = (type: string) => (world.byType.get(type as never) ?? []).filter(sees).length;
  const primary = def.builtin!.primaryType;
  const perPrimary = def.metricId.includes('apdex') ? 2 : def.dimensions.some((d) => d.key === 'dt.entity.browser') ? BROWSERS.length : 1;
  const tuples = primary ? count(primary) * perPrimary : def.dimensions.length ? 5 : 1;
  return def.dimensions.map((d) => {
    const type = typeOfDimensionKey(d.key);
    const estimate = type ? count(type) : d.key === 'User type' ? 2 : d.key === 'dt.entity.browser' ? BROWSERS.length : 5;
    return { key: d.key, estimate, relative: tuples ? Math.min(100, (100 * estimate) / tuples) : 0 };
  });
}

/**
 * The full `MetricDescriptor`; `metricId` and the dimensions reflect the transformations given.
 * `visible`: the caller's zones (null = unrestricted), for the cardinalities.
 */
export function descriptorJson(db: Db, world: World, visible: Set<string> | null, def: MetricDef, now: number, metricId = def.metricId, transformations: readonly Transformation[] = []): Record<string, unknown> {
  const t = transformDescriptor(def, transformations);
  const b = def.builtin;
  const agg = t.aggregated ? { aggregationTypes: ['auto', 'value'], defaultAggregation: { type: 'value' } } : {
    aggregationTypes: def.aggregationTypes,
    defaultAggregation: def.defaultAggregation.kind === 'percentile'
      ? { type: 'percentile', parameter: def.defaultAggregation.percentile } : { type: def.defaultAggregation.kind },
  };
  return {
    metricId, displayName: def.displayName, description: def.description, unit: def.unit,
    dduBillable: !b, created: b ? 0 : def.custom!.created, lastWritten: b ? Math.floor(now / 60_000) * 60_000 : (def.custom!.lastWritten ?? def.custom!.created),
    entityType: def.entityType, ...agg, transformations: describedTransformations(def),
    dimensionDefinitions: t.dimensions.map((d, index) => ({ key: d.key, name: d.name, displayName: d.displayName, index, type: d.type })),
    tags: [], metricValueType: { type: b?.metricValueType ?? 'unknown' },
    ...(b?.minimumValue === undefined ? {} : { minimumValue: b.minimumValue }),
    ...(b?.maximumValue === undefined ? {} : { maximumValue: b.maximumValue }),
    rootCauseRelevant: b?.rootCauseRelevant ?? false, impactRelevant: b?.impactRelevant ?? false,
    latency: 1, scalar: false, resolutionInfSupported: true,
    ...(b?.unitDisplayFormat ? { unitDisplayFormat: b.unitDisplayFormat } : {}),
    dimensionCardinalities: cardinalities(db, world, def, visible).filter((c) => t.dimensions.some((d) => d.key === c.key)),
  };
}
