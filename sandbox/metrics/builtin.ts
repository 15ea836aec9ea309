/**
 * The built-in metrics of the sandbox: descriptors modelled on real `builtin:` keys (units,
 * aggregation types, default aggregation, dimensions) and the generators that compute their data
 * on the fly, deterministic from the world seed, the metric, the tuple and the slot.
 *
 * Plausibility rules: percentages stay in 0–100, counts are whole and never negative, response
 * times are microseconds that rise with the daily load, errors never exceed requests, a host's
 * CPU is shared by its processes, hosts that appeared late have no data before `firstSeenTms`,
 * and every entity has short outages (null slots) at the same times in all of its metrics.
 */
import { hashString } from '../world/rng';
import type { EntityRecord, World } from '../world/world';
import type { Aggregation, AggregationName } from '../../lib/selectors/metric-ast';
import { dailyMean, DAY, isWeekend, MINUTE, mix, noiseMean, unit, type NoiseOut } from './noise';
import type { Slots } from './slots';
import { acquireRaw, type Dist, type Raw, type ValueKind } from './stats';

export type AggregationType = AggregationName | 'auto' | 'percentile';
export type DimensionType = 'ENTITY' | 'STRING';

export interface DimensionDef { key: string; name: string; displayName: string; type: DimensionType }

/** One series of a built-in metric before any transformation. */
export interface GenTuple {
  dims: Record<string, string>;
  /** The entities named by the tuple's entity dimensions: the caller must see all of them. */
  entities: EntityRecord[];
  /** First and last time the tuple can have data. */
  from: number;
  to: number;
  /** Seed of the tuple's own noise. */
  seed: number;
  /** Seed of the outages (the owning host's or entity's, shared by all its metrics). */
  gapSeed: number;
  /** Daily peak hour (UTC) of the tuple's zone. */
  peak: number;
  host?: EntityRecord;
  entity?: EntityRecord;
  extra?: string;
  /** Per-tuple constants, computed on the first slot instead of every slot. */
  cpu?: { seed: number; level: number };
  /** Cache key of the tuple (see `tupleKey`). */
  key?: string;
}

interface SlotCtx {
  t: GenTuple;
  lo: number;
  hi: number;
  /** Minutes with data in [lo, hi) (outages removed). */
  k: number;
  /** A single whole minute: min = max = the value. */
  one: boolean;
  world: World;
  /** Daily shape of whole slots for the tuple's peak hour, by slot index (see {@link dailyShapes}). */
  shapes: Float64Array;
  i: number;
  /** The slot is complete ([lo, hi) is the whole slot), so `shapes[i]` applies. */
  full: boolean;
}

export interface BuiltinMetric {
  metricId: string;
  displayName: string;
  description: string;
  unit: string;
  aggregationTypes: AggregationType[];
  defaultAggregation: Aggregation;
  valueKind: ValueKind;
  dimensions: DimensionDef[];
  entityType: string[];
  minimumValue?: number;
  maximumValue?: number;
  metricValueType: 'error' | 'score' | 'unknown';
  unitDisplayFormat?: 'binary' | 'decimal';
  rootCauseRelevant: boolean;
  impactRelevant: boolean;
  dist: Dist;
  /** The metric's tuples, restricted to the given entities of its primary type when known. */
  tuples(world: World, primary?: Iterable<EntityRecord>): GenTuple[];
  /** Primary entity type (the first entity dimension), or null for environment-wide metrics. */
  primaryType: string | null;
  slot(s: SlotCtx, raw: Raw, i: number): void;
}

const DIM = {
  host: { key: 'dt.entity.host', name: 'Host', displayName: 'Host', type: 'ENTITY' },
  disk: { key: 'dt.entity.disk', name: 'Disk', displayName: 'Disk', type: 'ENTITY' },
  service: { key: 'dt.entity.service', name: 'Service', displayName: 'Service', type: 'ENTITY' },
  pgi: { key: 'dt.entity.process_group_instance', name: 'Process', displayName: 'Process', type: 'ENTITY' },
  app: { key: 'dt.entity.application', name: 'Application', displayName: 'Web application', type: 'ENTITY' },
  browser: { key: 'dt.entity.browser', name: 'Browser', displayName: 'Browser', type: 'ENTITY' },
  userType: { key: 'User type', name: 'User type', displayName: 'User type', type: 'STRING' },
  metricKey: { key: 'metric_key', name: 'Metric key', displayName: 'Metric key', type: 'STRING' },
} as const satisfies Record<string, DimensionDef>;

const PEAKS: Record<string, number> = { 'Production EU': 13, 'Production US': 19, Staging: 10, 'Shared Services': 15 };

// ---- per-entity parameters (stable for a seed) ------------------------------------------------

function seedOf(world: World, id: string): number {
  return mix(hashString(id), world.seed);
}

/** A stable uniform in [0, 1) per entity and parameter name code. */
function param(seed: number, code: number): number {
  return unit(seed, 0x7a11, code);
}

function roleOf(host: EntityRecord | undefined): string {
  return /-(web|app|db|cache|auth|kafka)-/.exec(host?.displayName ?? '')?.[1] ?? 'app';
}

function peakOf(world: World, e: EntityRecord): number {
  return PEAKS[world.zoneById.get(e.zoneIds[0] ?? '')?.name ?? ''] ?? 14;
}

function firstTarget(world: World, e: EntityRecord, rel: string): EntityRecord | undefined {
  const id = e.fromRelationships[rel]?.[0];
  return id === undefined ? undefined : world.byId.get(id);
}

function tupleOf(world: World, e: EntityRecord, dims: Record<string, string>, entities: EntityRecord[], extra?: string): GenTuple {
  const host = e.type === 'HOST' ? e : firstTarget(world, e, e.type === 'DISK' ? 'isDiskOf' : e.type === 'PROCESS_GROUP_INSTANCE' ? 'isProcessOf' : 'runsOnHost');
  const seed = seedOf(world, extra === undefined ? e.entityId : `${e.entityId}|${extra}`);
  return {
    dims, entities, from: e.firstSeenTms, to: e.lastSeenTms ?? Infinity, seed,
    gapSeed: seedOf(world, (host ?? e).entityId), peak: peakOf(world, e), host, entity: e, extra,
  };
}

// ---- signals ------------------------------------------------------------------------------------

interface Signal { level: number; daily: number; noise: number; weekend?: number; family: number }

const scratch: NoiseOut = { mean: 0, hidden: 0 };

/** Mean of a signal over the slot and how far single minutes stray from it. */
function signal(s: SlotCtx, seed: number, g: Signal): { avg: number; spread: number } {
  const n = noiseMean(mix(seed, g.family), s.lo, s.hi, scratch);
  const shape = s.full ? s.shapes[s.i]! : dailyMean(s.lo, s.hi, s.t.peak);
  const wk = g.weekend !== undefined && isWeekend(s.lo, s.hi) ? g.weekend : 1;
  const avg = g.level * wk * (1 + g.daily * shape) * (1 + g.noise * n.mean);
  if (s.one) return { avg, spread: 0 };
  const span = Math.min(1, ((s.hi - s.lo) / DAY) * Math.PI);
  return { avg, spread: g.level * wk * (g.noise * n.hidden * 0.6 + g.daily * span) };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

interface Stat { avg: number; min: number; max: number }

/** A gauge's slot statistics from a mean and a spread, clamped and rounded. */
function stat(s: SlotCtx, seed: number, avg: number, spread: number, lo: number, hi: number, digits: number): Stat {
  const a = round(clamp(avg, lo, hi), digits);
  if (s.one) return { avg: a, min: a, max: a };
  const h = mix(mix(seed, s.lo / MINUTE), s.hi / MINUTE);
  const u1 = 0.55 + (0.45 * (h & 0xffff)) / 65536;
  const u2 = 0.55 + (0.45 * (h >>> 16)) / 65536;
  return { avg: a, min: Math.min(a, round(clamp(a - spread * u1, lo, hi), digits)), max: Math.max(a, round(clamp(a + spread * u2, lo, hi), digits)) };
}

function linear(x: Stat, mul: number, add: number, digits: number): Stat {
  const f = (v: number) => round(v * mul + add, digits);
  return mul >= 0 ? { avg: f(x.avg), min: f(x.min), max: f(x.max) } : { avg: f(x.avg), min: f(x.max), max: f(x.min) };
}

function putGauge(s: SlotCtx, raw: Raw, i: number, x: Stat): void {
  raw.add(i, s.k, x.avg * s.k, x.min, x.max);
}

/** A count per minute at `rate`: whole numbers, never negative. */
function putCount(s: SlotCtx, raw: Raw, i: number, rate: number, spread: number): void {
  const r = Math.max(0, rate);
  const sum = Math.round(r * s.k);
  if (s.one) { raw.add(i, 1, sum, sum, sum); return; }
  raw.add(i, s.k, sum, Math.max(0, Math.floor(r - spread)), Math.max(Math.ceil(r + spread), Math.ceil(sum / s.k)));
}

/** Durations weighted by the number of requests (count = requests), log-normal spread. */
function putDuration(raw: Raw, i: number, avg: number, requests: number): void {
  if (requests <= 0) return;
  const a = Math.round(avg);
  raw.add(i, requests, a * requests, Math.round(a * 0.131), Math.round(a * 5.33));
}

// ---- the families ---------------------------------------------------------------------------------

const F = { cpu: 1, mem: 2, disk: 3, diskIo: 4, net: 5, req: 6, rt: 7, err: 8, pgiMem: 9, actions: 10, duration: 11, apdex: 12, ddu: 13, burst: 14 };

function hostCpu(s: SlotCtx, host: EntityRecord | undefined): Stat {
  let c = s.t.cpu;
  if (!c) {
    const seed = host ? seedOf(s.world, host.entityId) : s.t.seed;
    const role = roleOf(host);
    c = s.t.cpu = { seed, level: (role === 'db' ? 22 : role === 'web' ? 12 : role === 'cache' ? 6 : 16) + 38 * param(seed, 1) ** 1.5 };
  }
  const seed = c.seed;
  const g = signal(s, seed, { level: c.level, daily: 0.35, noise: 0.5, weekend: 0.8, family: F.cpu });
  return stat(s, seed ^ F.cpu, g.avg, g.spread, 0.5, 100, 2);
}

function hostMem(s: SlotCtx): Stat {
  const seed = s.t.seed;
  const g = signal(s, seed, { level: 30 + 55 * param(seed, 2), daily: 0.06, noise: 0.08, family: F.mem });
  return stat(s, seed ^ F.mem, g.avg, g.spread, 1, 99.5, 2);
}

function diskUsed(s: SlotCtx): Stat {
  const seed = s.t.seed;
  const growth = 0.15 * param(seed, 3) * ((s.lo + s.hi) / 2 - s.world.anchor) / DAY;
  const g = signal(s, seed, { level: 15 + 72 * param(seed, 4) + growth, daily: 0.01, noise: 0.015, family: F.disk });
  return stat(s, seed ^ F.disk, g.avg, g.spread, 0.5, 99.9, 2);
}

function diskCapacity(seed: number): number {
  return [50, 100, 250, 500, 1000][Math.floor(param(seed, 5) * 5)]! * 1024 ** 3;
}

function netRx(s: SlotCtx): Stat {
  const seed = s.t.seed;
  const role = roleOf(s.t.host);
  const base = role === 'web' ? 6e6 : role === 'db' ? 2e6 : role === 'kafka' ? 8e6 : 1e6;
  const g = signal(s, seed, { level: base * (0.3 + 3 * param(seed, 6)), daily: 0.6, noise: 0.35, weekend: 0.7, family: F.net });
  return stat(s, seed ^ F.net, g.avg, g.spread, 0, 1.25e9, 0);
}

function serviceType(e: EntityRecord | undefined): string {
  return String(e?.properties.serviceType ?? 'WEB_SERVICE');
}

function isStaging(s: SlotCtx): boolean {
  return s.t.peak === PEAKS.Staging;
}

/** Requests per minute of a service. */
function requests(s: SlotCtx): { rate: number; spread: number } {
  const seed = s.t.seed;
  const type = serviceType(s.t.entity);
  const base = type === 'WEB_REQUEST_SERVICE' ? 900 : type === 'DATABASE_SERVICE' ? 1200 : type === 'MESSAGING_SERVICE' ? 400 : 300;
  const g = signal(s, seed, { level: base * (0.2 + 1.6 * param(seed, 7)) * (isStaging(s) ? 0.05 : 1), daily: 0.7, noise: 0.3, weekend: 0.6, family: F.req });
  return { rate: g.avg, spread: g.spread };
}

/** An occasional degradation: 1 % of half-hours multiply response times, 1.5 % raise error rates. */
function burst(seed: number, s: SlotCtx, which: number, p: number): number {
  const cell = 30 * MINUTE;
  const first = Math.floor(s.lo / cell);
  const last = Math.floor((s.hi - 1) / cell);
  if (last - first > 48) return p * 0.5; // a long slot: the expected share of burst time
  let hit = 0;
  for (let c = first; c <= last; c++) if (unit(seed ^ which, F.burst, c) < p) hit += Math.min(s.hi, (c + 1) * cell) - Math.max(s.lo, c * cell);
  return hit / (s.hi - s.lo);
}

function responseTime(s: SlotCtx): number {
  const seed = s.t.seed;
  const type = serviceType(s.t.entity);
  const ms = type === 'DATABASE_SERVICE' ? 1 + 19 * param(seed, 8) : type === 'MESSAGING_SERVICE' ? 2 + 8 * param(seed, 8) : type === 'WEB_REQUEST_SERVICE' ? 30 + 120 * param(seed, 8) : 40 + 360 * param(seed, 8) ** 2;
  const g = signal(s, seed, { level: ms * 1000, daily: 0.25, noise: 0.35, family: F.rt });
  return Math.max(200, g.avg * (1 + 3 * burst(seed, s, 1, 0.01)));
}

function errorRate(s: SlotCtx): number {
  const seed = s.t.seed;
  const g = signal(s, seed, { level: 0.05 + 1.5 * param(seed, 9) ** 3, daily: 0.2, noise: 0.5, family: F.err });
  return clamp(g.avg + (5 + 15 * param(seed, 10)) * burst(seed, s, 2, 0.015), 0, 100);
}

function serviceCounts(s: SlotCtx): { req: number; err: number } {
  const r = requests(s);
  const req = Math.round(Math.max(0, r.rate) * s.k);
  return { req, err: Math.min(req, Math.round((req * errorRate(s)) / 100)) };
}

function actions(s: SlotCtx): { rate: number; spread: number } {
  const seed = s.t.seed;
  const g = signal(s, seed, { level: (10 + 390 * param(seed, 11)) * (isStaging(s) ? 0.05 : 1), daily: 0.85, noise: 0.3, weekend: 0.85, family: F.actions });
  return { rate: g.avg, spread: g.spread };
}

/** The part of an application's actions made with the tuple's browser. */
function browserShare(s: SlotCtx): number {
  return BROWSER_BY_ID.get(s.t.dims['dt.entity.browser'] ?? '')?.share ?? 1;
}

// ---- catalogue ------------------------------------------------------------------------------------

const GAUGE_AGGS: AggregationType[] = ['auto', 'avg', 'max', 'min'];
const TIMING_AGGS: AggregationType[] = ['auto', 'avg', 'count', 'max', 'median', 'min', 'percentile', 'sum'];
const VALUE_AGGS: AggregationType[] = ['auto', 'value'];
const APDEX_AGGS: AggregationType[] = ['auto', 'avg'];
const AVG: Aggregation = { kind: 'avg' };
const VALUE: Aggregation = { kind: 'value' };

type Kind = 'host' | 'disk' | 'service' | 'pgi' | 'app' | 'appBrowser' | 'apdex' | 'env' | 'byMetric';

/**
 * Browsers, the second dimension of the "(by browser)" metrics (recorded descriptors). They are global entities in
 * Dynatrace, in no management zone, so they are no entities of the world: a tuple's zones are its application's.
 * `share` is the part of an application's traffic each one carries.
 */
export const BROWSERS: readonly { id: string; name: string; share: number }[] = [
  { name: 'Chrome', share: 0.6 }, { name: 'Safari', share: 0.2 }, { name: 'Edge', share: 0.12 }, { name: 'Firefox', share: 0.08 },
].map((b) => ({ ...b, id: `BROWSER-${(hashString(`browser|${b.name}`) >>> 0).toString(16).toUpperCase().padStart(8, '0')}${(hashString(`browser|${b.name}|lo`) >>> 0).toString(16).toUpperCase().padStart(8, '0')}` }));
export const BROWSER_BY_ID: ReadonlyMap<string, { id: string; name: string; share: number }> = new Map(BROWSERS.map((b) => [b.id, b]));

const DDU_KEYS = ['calc:service.checkout.requests', 'custom.shop.orders', 'ext:jmx.heap.used', 'log.payment.errors', 'func:apdex.weighted'];

function tuplesOf(kind: Kind) {
  return (world: World, primary?: Iterable<EntityRecord>): GenTuple[] => {
    const out: GenTuple[] = [];
    const type = kind === 'host' ? 'HOST' : kind === 'disk' ? 'DISK' : kind === 'service' ? 'SERVICE' : kind === 'pgi' ? 'PROCESS_GROUP_INSTANCE' : kind === 'env' || kind === 'byMetric' ? null : 'APPLICATION';
    if (type === null) {
      if (kind === 'env') return [{ dims: {}, entities: [], from: -Infinity, to: Infinity, seed: mix(world.seed, F.ddu), gapSeed: mix(world.seed, 0xdd0), peak: 14 }];
      return DDU_KEYS.map((k) => ({ dims: { metric_key: k }, entities: [], from: -Infinity, to: Infinity, seed: mix(world.seed, hashString(k)), gapSeed: mix(world.seed, 0xdd0), peak: 14, extra: k }));
    }
    for (const e of primary ?? world.byType.get(type as never) ?? []) {
      if (e.type !== type) continue;
      if (kind === 'disk') {
        const host = firstTarget(world, e, 'isDiskOf');
        if (!host) continue;
        out.push(tupleOf(world, e, { 'dt.entity.host': host.entityId, 'dt.entity.disk': e.entityId }, [host, e]));
      } else if (kind === 'appBrowser') {
        // The application's own seed: its browsers split one signal by their shares, so they add up to it.
        for (const b of BROWSERS) out.push(tupleOf(world, e, { 'dt.entity.application': e.entityId, 'dt.entity.browser': b.id }, [e]));
      } else if (kind === 'apdex') {
        for (const u of ['Real users', 'Synthetic']) out.push(tupleOf(world, e, { 'dt.entity.application': e.entityId, 'User type': u }, [e], u));
      } else {
        out.push(tupleOf(world, e, { [DIM[kind === 'host' ? 'host' : kind === 'service' ? 'service' : kind === 'pgi' ? 'pgi' : 'app'].key]: e.entityId }, [e]));
      }
    }
    return out;
  };
}

interface Spec {
  key: string; name: string; description: string; unit: string; aggs: AggregationType[]; def?: Aggregation;
  kind: Kind; min?: number; max?: number; valueType?: BuiltinMetric['metricValueType']; binary?: boolean; dist?: Dist;
  rootCause?: boolean; slot: BuiltinMetric['slot'];
  /** What `value` means; by default the mean when `avg` is offered, else the sum (counts). */
  valueKind?: ValueKind;
}

function metric(p: Spec): BuiltinMetric {
  const dims: Record<Kind, DimensionDef[]> = {
    host: [DIM.host], disk: [DIM.host, DIM.disk], service: [DIM.service], pgi: [DIM.pgi], app: [DIM.app], appBrowser: [DIM.app, DIM.browser],
    apdex: [DIM.app, DIM.userType], env: [], byMetric: [DIM.metricKey],
  };
  // Real disk metrics name HOST as their entity type (recorded descriptors), though their tuples are disks.
  const entityType: Record<Kind, string[]> = {
    host: ['HOST'], disk: ['HOST'], service: ['SERVICE'], pgi: ['PROCESS_GROUP_INSTANCE'], app: ['APPLICATION'], appBrowser: ['APPLICATION'], apdex: ['APPLICATION'], env: [], byMetric: [],
  };
  const primary: Record<Kind, string | null> = { host: 'HOST', disk: 'DISK', service: 'SERVICE', pgi: 'PROCESS_GROUP_INSTANCE', app: 'APPLICATION', appBrowser: 'APPLICATION', apdex: 'APPLICATION', env: null, byMetric: null };
  const def = p.def ?? (p.aggs.includes('avg') ? AVG : VALUE);
  return {
    metricId: p.key, displayName: p.name, description: p.description, unit: p.unit, aggregationTypes: p.aggs,
    defaultAggregation: def, valueKind: p.valueKind ?? (p.aggs.includes('avg') ? 'avg' : 'sum'), dimensions: dims[p.kind], entityType: entityType[p.kind],
    ...(p.min === undefined ? {} : { minimumValue: p.min }), ...(p.max === undefined ? {} : { maximumValue: p.max }),
    metricValueType: p.valueType ?? 'unknown', ...(p.binary ? { unitDisplayFormat: 'binary' as const } : {}),
    rootCauseRelevant: p.rootCause ?? false, impactRelevant: false, dist: p.dist ?? 'linear',
    tuples: tuplesOf(p.kind), primaryType: primary[p.kind], slot: p.slot,
  };
}

export const BUILTIN_METRICS: readonly BuiltinMetric[] = [
  metric({ key: 'builtin:host.cpu.usage', name: 'CPU usage %', description: 'Percentage of CPU time when CPU was utilized. A value close to 100% means most host processing resources are in use, and host CPUs can’t handle additional work.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'host', min: 0, max: 100, valueType: 'score', rootCause: true,
    slot: (s, raw, i) => putGauge(s, raw, i, hostCpu(s, s.t.entity)) }),
  metric({ key: 'builtin:host.cpu.user', name: 'CPU user', description: 'Percentage of CPU time spent in user space.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'host', min: 0, max: 100, valueType: 'score',
    slot: (s, raw, i) => putGauge(s, raw, i, linear(hostCpu(s, s.t.entity), 0.55 + 0.25 * param(s.t.seed, 12), 0, 2)) }),
  metric({ key: 'builtin:host.cpu.system', name: 'CPU system', description: 'Percentage of CPU time spent in kernel space.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'host', min: 0, max: 100, valueType: 'score',
    slot: (s, raw, i) => putGauge(s, raw, i, linear(hostCpu(s, s.t.entity), (0.45 - 0.25 * param(s.t.seed, 12)) * 0.8, 0, 2)) }),
  metric({ key: 'builtin:host.cpu.idle', name: 'CPU idle', description: 'Percentage of CPU time when the CPU was idle.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'host', min: 0, max: 100, valueType: 'score',
    slot: (s, raw, i) => putGauge(s, raw, i, linear(hostCpu(s, s.t.entity), -1, 100, 2)) }),
  metric({ key: 'builtin:host.cpu.load', name: 'System load', description: 'The average number of processes that are being executed by the CPU or waiting to be executed, over the last minute.', unit: 'Ratio', aggs: GAUGE_AGGS, kind: 'host', min: 0, valueType: 'score',
    slot: (s, raw, i) => putGauge(s, raw, i, linear(hostCpu(s, s.t.entity), (Number(s.t.entity?.properties.cpuCores ?? 4) * 1.1) / 100, 0, 3)) }),
  metric({ key: 'builtin:host.mem.usage', name: 'Memory used %', description: 'Percentage of memory used by the host’s processes and the kernel.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'host', min: 0, max: 100, valueType: 'score', rootCause: true,
    slot: (s, raw, i) => putGauge(s, raw, i, hostMem(s)) }),
  metric({ key: 'builtin:host.mem.avail.bytes', name: 'Memory available', description: 'The amount of memory available for starting new applications without swapping.', unit: 'Byte', aggs: GAUGE_AGGS, kind: 'host', min: 0, valueType: 'score', binary: true,
    slot: (s, raw, i) => { const total = Number(s.t.entity?.properties.memoryTotal ?? 8 * 1024 ** 3); putGauge(s, raw, i, linear(hostMem(s), -total / 100, total, 0)); } }),
  metric({ key: 'builtin:host.disk.usedPct', name: 'Disk used %', description: 'Percentage of disk space used.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'disk', min: 0, max: 100, valueType: 'score', rootCause: true,
    slot: (s, raw, i) => putGauge(s, raw, i, diskUsed(s)) }),
  metric({ key: 'builtin:host.disk.avail', name: 'Disk available', description: 'Amount of free space available for users on the disk.', unit: 'Byte', aggs: GAUGE_AGGS, kind: 'disk', min: 0, valueType: 'score', binary: true,
    slot: (s, raw, i) => { const cap = diskCapacity(s.t.seed); putGauge(s, raw, i, linear(diskUsed(s), -cap / 100, cap, 0)); } }),
  metric({ key: 'builtin:host.disk.bytesRead', name: 'Disk throughput read', description: 'Bytes read from the disk per second.', unit: 'BytePerSecond', aggs: GAUGE_AGGS, kind: 'disk', min: 0, valueType: 'score', binary: true,
    slot: (s, raw, i) => {
      const g = signal(s, s.t.seed, { level: 2e5 * (1 + 20 * param(s.t.seed, 13) ** 2), daily: 0.5, noise: 0.6, family: F.diskIo });
      putGauge(s, raw, i, stat(s, s.t.seed ^ F.diskIo, g.avg, g.spread, 0, 4e9, 0));
    } }),
  metric({ key: 'builtin:host.net.nic.bytesRx', name: 'NIC received bytes', description: 'Bytes received per second by the host’s network interfaces.', unit: 'BytePerSecond', aggs: GAUGE_AGGS, kind: 'host', min: 0, valueType: 'score', binary: true,
    slot: (s, raw, i) => putGauge(s, raw, i, netRx(s)) }),
  metric({ key: 'builtin:host.net.nic.bytesTx', name: 'NIC sent bytes', description: 'Bytes sent per second by the host’s network interfaces.', unit: 'BytePerSecond', aggs: GAUGE_AGGS, kind: 'host', min: 0, valueType: 'score', binary: true,
    slot: (s, raw, i) => putGauge(s, raw, i, linear(netRx(s), 0.4 + 2.2 * param(s.t.seed, 14), 0, 0)) }),
  metric({ key: 'builtin:service.response.time', name: 'Response time', description: 'The time taken to process a request, in microseconds, from the server side.', unit: 'MicroSecond', aggs: TIMING_AGGS, kind: 'service', min: 0, valueType: 'score', dist: 'lognormal', rootCause: true,
    slot: (s, raw, i) => putDuration(raw, i, responseTime(s), serviceCounts(s).req) }),
  metric({ key: 'builtin:service.response.server', name: 'Server-side response time', description: 'The time spent in the service itself, excluding calls to other services and databases.', unit: 'MicroSecond', aggs: TIMING_AGGS, kind: 'service', min: 0, valueType: 'score', dist: 'lognormal',
    slot: (s, raw, i) => putDuration(raw, i, responseTime(s) * 0.82, serviceCounts(s).req) }),
  metric({ key: 'builtin:service.requestCount.total', name: 'Request count', description: 'The number of requests received by the service.', unit: 'Count', aggs: VALUE_AGGS, kind: 'service', min: 0,
    slot: (s, raw, i) => { const r = requests(s); putCount(s, raw, i, r.rate, r.spread); } }),
  metric({ key: 'builtin:service.errors.total.count', name: 'Failed requests count', description: 'The number of requests that failed.', unit: 'Count', aggs: VALUE_AGGS, kind: 'service', min: 0, valueType: 'error', rootCause: true,
    slot: (s, raw, i) => { const c = serviceCounts(s); raw.add(i, s.k, c.err, s.one ? c.err : 0, s.one ? c.err : Math.ceil((c.err / s.k) * 3)); } }),
  metric({ key: 'builtin:service.errors.total.rate', name: 'Failure rate', description: 'The percentage of requests that failed.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'service', min: 0, max: 100, valueType: 'error',
    slot: (s, raw, i) => {
      const c = serviceCounts(s);
      if (c.req === 0) return;
      const pct = round((100 * c.err) / c.req, 3);
      putGauge(s, raw, i, stat(s, s.t.seed ^ F.err, pct, s.one ? 0 : pct * 0.8 + 0.2, 0, 100, 3));
    } }),
  metric({ key: 'builtin:tech.generic.cpu.usage', name: 'Process CPU usage', description: 'Percentage of CPU time used by the process, out of the host’s total.', unit: 'Percent', aggs: GAUGE_AGGS, kind: 'pgi', min: 0, max: 100, valueType: 'score',
    slot: (s, raw, i) => {
      const primary = s.t.entity?.properties.processType === 'PRIMARY';
      const share = primary ? 0.35 + 0.35 * param(s.t.seed, 15) : 0.03 + 0.12 * param(s.t.seed, 15);
      putGauge(s, raw, i, linear(hostCpu(s, s.t.host), share, 0, 2));
    } }),
  metric({ key: 'builtin:tech.generic.mem.workingSetSize', name: 'Process memory', description: 'The amount of physical memory used by the process (working set).', unit: 'Byte', aggs: GAUGE_AGGS, kind: 'pgi', min: 0, valueType: 'score', binary: true,
    slot: (s, raw, i) => {
      const g = signal(s, s.t.seed, { level: (150 + 3400 * param(s.t.seed, 16) ** 2) * 1024 ** 2, daily: 0.05, noise: 0.06, family: F.pgiMem });
      putGauge(s, raw, i, stat(s, s.t.seed ^ F.pgiMem, g.avg, g.spread, 0, 2 ** 40, 0));
    } }),
  metric({ key: 'builtin:apps.web.actionCount.load.browser', name: 'Action count - load action (by browser) [web]', description: 'The number of load actions.', unit: 'Count', aggs: VALUE_AGGS, kind: 'appBrowser', min: 0,
    slot: (s, raw, i) => { const a = actions(s); const f = browserShare(s); putCount(s, raw, i, a.rate * f, a.spread * f); } }),
  metric({ key: 'builtin:apps.web.actionCount.xhr.browser', name: 'Action count - XHR action (by browser) [web]', description: 'The number of XHR actions.', unit: 'Count', aggs: VALUE_AGGS, kind: 'appBrowser', min: 0,
    slot: (s, raw, i) => { const a = actions(s); const f = (2 + 6 * param(s.t.seed, 17)) * browserShare(s); putCount(s, raw, i, a.rate * f, a.spread * f); } }),
  metric({ key: 'builtin:apps.web.actionDuration.load.browser', name: 'Action duration - load action (by browser) [web]', description: 'The duration of load actions, in milliseconds.', unit: 'MilliSecond', aggs: TIMING_AGGS, kind: 'appBrowser', min: 0, valueType: 'score', dist: 'lognormal',
    slot: (s, raw, i) => {
      const a = actions(s);
      const g = signal(s, s.t.seed, { level: 900 + 2600 * param(s.t.seed, 18), daily: 0.2, noise: 0.3, family: F.duration });
      putDuration(raw, i, g.avg, Math.round(Math.max(0, a.rate) * browserShare(s) * s.k));
    } }),
  metric({ key: 'builtin:apps.web.apdex.userType', name: 'Apdex (by user type) [web]', description: 'The Apdex rating of the application, from 0 (frustrated) to 1 (satisfied), by user type.', unit: 'NotApplicable', aggs: APDEX_AGGS, def: AVG, valueKind: 'avg', kind: 'apdex', min: 0, max: 1, valueType: 'score',
    slot: (s, raw, i) => {
      const synthetic = s.t.extra === 'Synthetic';
      const g = signal(s, s.t.seed, { level: synthetic ? 0.97 + 0.02 * param(s.t.seed, 19) : 0.92 - 0.12 * param(s.t.seed, 19), daily: synthetic ? 0 : -0.04, noise: 0.04, family: F.apdex });
      putGauge(s, raw, i, stat(s, s.t.seed ^ F.apdex, g.avg, g.spread, 0, 1, 4));
    } }),
  metric({ key: 'builtin:billing.ddu.metrics.total', name: '(DPS) Total DDU usage for metrics', description: 'Davis data units consumed by metrics in the whole environment.', unit: 'Unspecified', aggs: VALUE_AGGS, kind: 'env', min: 0,
    slot: (s, raw, i) => {
      const g = signal(s, s.t.seed, { level: s.world.byType.get('HOST')!.length * 0.8 + 5, daily: 0.1, noise: 0.05, family: F.ddu });
      putCount(s, raw, i, g.avg, g.spread);
    } }),
  metric({ key: 'builtin:billing.ddu.metrics.byMetric', name: '(DPS) DDU usage for metrics by metric key', description: 'Davis data units consumed by each metric key in the whole environment.', unit: 'Unspecified', aggs: VALUE_AGGS, kind: 'byMetric', min: 0,
    slot: (s, raw, i) => {
      const g = signal(s, s.t.seed, { level: 0.5 + 20 * param(s.t.seed, 20), daily: 0.2, noise: 0.2, family: F.ddu });
      putCount(s, raw, i, g.avg, g.spread);
    } }),
];

export const BUILTIN_BY_ID: ReadonlyMap<string, BuiltinMetric> = new Map(BUILTIN_METRICS.map((m) => [m.metricId, m]));

// ---- generation ------------------------------------------------------------------------------------

const GAP_CELL = 10 * MINUTE;

/** Minutes of [lo, hi) outside the tuple's outages (10-minute cells, about 0.6 % of them; 6 % for a flaky tenth). */
function minutesWithData(gapSeed: number, lo: number, hi: number): number {
  const rate = unit(gapSeed, 0x9a9, 0) < 0.1 ? 0.06 : 0.006;
  const first = Math.floor(lo / GAP_CELL);
  const last = Math.floor((hi - 1) / GAP_CELL);
  if (last - first > 150) return Math.round(((hi - lo) / MINUTE) * (1 - rate));
  let ms = 0;
  for (let c = first; c <= last; c++) {
    if (unit(gapSeed, 0x9a9, c + 1) < rate) continue;
    ms += Math.min(hi, (c + 1) * GAP_CELL) - Math.max(lo, c * GAP_CELL);
  }
  return Math.round(ms / MINUTE);
}

const shapeCache = new Map<string, Float64Array>();

/**
 * The daily shape of every slot of a grid for one peak hour: the same for every tuple of a zone, so
 * computed once per query instead of once per tuple and slot (a few grids stay cached).
 */
function dailyShapes(slots: Slots, shift: number, peak: number): Float64Array {
  const key = `${slots.start}|${slots.step}|${slots.count}|${shift}|${peak}`;
  let v = shapeCache.get(key);
  if (!v) {
    v = new Float64Array(slots.count);
    for (let i = 0; i < slots.count; i++) {
      const a = slots.start + i * slots.step + shift;
      v[i] = dailyMean(a, a + slots.step, peak);
    }
    if (shapeCache.size >= 32) shapeCache.delete(shapeCache.keys().next().value!);
    shapeCache.set(key, v);
  }
  return v;
}

// ---- tuples ----------------------------------------------------------------------------------------

interface TupleIndex { all: GenTuple[]; byEntity: Map<string, GenTuple[]> }

const tupleIndexes = new WeakMap<World, Map<string, TupleIndex>>();

/**
 * A metric's tuples, restricted to the given entities of its primary type when known: `m.tuples` computed once
 * per world (a world never changes once loaded; a reset loads a new one), so a query over the 10,000 hosts of
 * the large world does not derive 10,000 seeds on every request. The tuples are shared between requests and
 * never changed by the engine (it copies dimensions before it changes them). The order of a restricted list
 * follows the world instead of `primary`; the engine sorts tuples by their (unique) dimensions anyway.
 */
export function builtinTuples(m: BuiltinMetric, world: World, primary?: Iterable<EntityRecord>): GenTuple[] {
  let byMetric = tupleIndexes.get(world);
  if (!byMetric) { byMetric = new Map(); tupleIndexes.set(world, byMetric); }
  let index = byMetric.get(m.metricId);
  if (!index) {
    const all = m.tuples(world);
    const byEntity = new Map<string, GenTuple[]>();
    for (const t of all) {
      const id = t.entity?.entityId;
      if (id === undefined) continue;
      const list = byEntity.get(id);
      if (list) list.push(t); else byEntity.set(id, [t]);
    }
    index = { all, byEntity };
    byMetric.set(m.metricId, index);
  }
  if (!primary || m.primaryType === null) return index.all;
  const out: GenTuple[] = [];
  const seen = new Set<string>();
  for (const e of primary) {
    if (e.type !== m.primaryType || seen.has(e.entityId)) continue;
    seen.add(e.entityId);
    const list = index.byEntity.get(e.entityId);
    if (list) for (const t of list) out.push(t);
  }
  return out;
}

// ---- settled slots ----------------------------------------------------------------------------------

/**
 * Statistics of whole slots, kept per world. A slot that lies entirely inside the tuple's lifetime and
 * before `now` depends only on the metric, the tuple, its start and its length (see {@link generateRaw}):
 * the same four numbers whichever query, timeframe or process asks, so they are computed once and copied
 * afterwards. Slots that `now` or a lifetime cuts are computed on every request, as before. Dashboards
 * repeat the same queries at every refresh, which is what makes the copies pay.
 *
 * Blocks of 64 consecutive slots of one grid (metric, tuple, step, phase) are the unit of caching and of
 * eviction (least recently used first); the bound keeps about 20 MB of statistics.
 */
const BLOCK = 64;
export const SLOT_CACHE_MAX_BLOCKS = 8192;

interface SlotBlock {
  /** count, sum, min, max per slot; a count of -1 marks a slot not computed yet. */
  stats: Float64Array;
  grid: string;
  no: number;
}

/**
 * Blocks by grid (a string built once per series and query), then by block number (a number, so the lookup of
 * each block hashes no string), with one least-recently-used order over all blocks.
 */
class SlotCache {
  private readonly grids = new Map<string, Map<number, SlotBlock>>();
  private readonly order = new Map<SlotBlock, true>();

  constructor(readonly maxBlocks: number) {}

  get size(): number { return this.order.size; }

  grid(key: string): Map<number, SlotBlock> {
    let g = this.grids.get(key);
    if (!g) { g = new Map(); this.grids.set(key, g); }
    return g;
  }

  block(gridKey: string, grid: Map<number, SlotBlock>, no: number): SlotBlock {
    let b = grid.get(no);
    if (b) {
      // Most recently used last: eviction takes the first entry.
      this.order.delete(b);
      this.order.set(b, true);
      return b;
    }
    const stats = new Float64Array(BLOCK * 4);
    for (let j = 0; j < BLOCK; j++) stats[j * 4] = -1;
    b = { stats, grid: gridKey, no };
    if (this.order.size >= this.maxBlocks) {
      const old = this.order.keys().next().value!;
      this.order.delete(old);
      const g = this.grids.get(old.grid)!;
      g.delete(old.no);
      // The grid being filled stays even when empty: the caller holds it.
      if (!g.size && g !== grid) this.grids.delete(old.grid);
    }
    grid.set(no, b);
    this.order.set(b, true);
    return b;
  }
}

const slotCaches = new WeakMap<World, SlotCache>();

function slotCacheOf(world: World): SlotCache {
  let c = slotCaches.get(world);
  if (!c) { c = new SlotCache(SLOT_CACHE_MAX_BLOCKS); slotCaches.set(world, c); }
  return c;
}

/** Blocks cached for a world (tests bound the cache with it). */
export function slotCacheSize(world: World): number {
  return slotCaches.get(world)?.size ?? 0;
}

/** A tuple's identity within its metric: its dimension values (unique per tuple, unlike the 32-bit seed). */
function tupleKey(t: GenTuple): string {
  return (t.key ??= Object.values(t.dims).join('\u0000'));
}

/**
 * The tuple's slot statistics for the given slots (shifted by `shift` ms for timeshift): only the
 * requested slots are computed, each in constant time whatever its length. No data after `now`
 * (whole minutes only) or outside the tuple's lifetime. `cache: false` computes every slot afresh
 * (the tests compare both ways).
 */
export function generateRaw(m: BuiltinMetric, t: GenTuple, slots: Slots, world: World, now: number, shift: number, cache = true): Raw {
  const raw = acquireRaw(slots.count, m.dist);
  const nowCut = Math.floor(now / MINUTE) * MINUTE;
  const life0 = Math.ceil(t.from / MINUTE) * MINUTE;
  const life1 = t.to === Infinity ? Infinity : Math.floor(t.to / MINUTE) * MINUTE;
  const ctx: SlotCtx = { t, lo: 0, hi: 0, k: 0, one: false, world, shapes: dailyShapes(slots, shift, t.peak), i: 0, full: false };
  const step = slots.step;
  // Only grids of whole minutes are cached (every grid but `Inf` over an unaligned timeframe).
  const store = cache && step % MINUTE === 0 && (slots.start + shift) % MINUTE === 0 ? slotCacheOf(world) : null;
  const gridKey = store ? `${m.metricId}\u0001${tupleKey(t)}\u0001${step}\u0001${(((slots.start + shift) % step) + step) % step}` : '';
  const grid = store ? store.grid(gridKey) : null;
  let blockNo = NaN;
  let stats: Float64Array | null = null;
  for (let i = 0; i < slots.count; i++) {
    const a = slots.start + i * step + shift;
    const b = a + step;
    const lo = Math.ceil(Math.max(a, life0) / MINUTE) * MINUTE;
    const hi = Math.floor(Math.min(b, nowCut, life1) / MINUTE) * MINUTE;
    if (hi <= lo) continue;
    const full = lo === a && hi === b;
    let at = -1;
    if (store && full) {
      const abs = Math.floor(a / step);
      const no = Math.floor(abs / BLOCK);
      if (no !== blockNo) { blockNo = no; stats = store.block(gridKey, grid!, no).stats; }
      at = (abs - no * BLOCK) * 4;
      if (stats![at]! >= 0) {
        // The slot as computed before, bit for bit (raw's slot i is still empty, so nothing else is in it).
        raw.count[i] = stats![at]!; raw.sum[i] = stats![at + 1]!; raw.min[i] = stats![at + 2]!; raw.max[i] = stats![at + 3]!;
        continue;
      }
    }
    const k = minutesWithData(t.gapSeed, lo, hi);
    if (k > 0) {
      ctx.lo = lo;
      ctx.hi = hi;
      ctx.k = k;
      ctx.one = hi - lo === MINUTE;
      ctx.i = i;
      ctx.full = full;
      m.slot(ctx, raw, i);
    }
    if (at >= 0) { stats![at] = raw.count[i]!; stats![at + 1] = raw.sum[i]!; stats![at + 2] = raw.min[i]!; stats![at + 3] = raw.max[i]!; }
  }
  return raw;
}
