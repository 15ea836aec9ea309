/**
 * The time axis of a metric query (docs/dynatrace-api-notes.md §5.4): `resolution` as a point count, a time
 * span or `Inf`, slots aligned to multiples of their length (epoch based), timestamps at slot ends,
 * a 1-minute floor and at most 10,080 points per series.
 */
import { badParameter } from '../errors';
import { DAY, HOUR, MINUTE } from './noise';

/** Slot i covers [start + i·step, start + (i+1)·step); its timestamp is the end. */
export interface Slots {
  start: number;
  step: number;
  count: number;
  /** `resolution=Inf`: one slot exactly over the timeframe. */
  inf: boolean;
}

export type ResolutionSpec = { kind: 'points'; n: number } | { kind: 'span'; ms: number } | { kind: 'inf' };

export const DEFAULT_POINTS = 120;
export const MAX_POINTS_PER_SERIES = 10_080;
const WEEK = 7 * DAY;
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * MINUTE);
const SPAN_UNITS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: WEEK, M: 30 * DAY, q: 91 * DAY, y: 365 * DAY };

function parseOne(raw: string): ResolutionSpec | null {
  const v = raw.trim();
  if (v === 'Inf') return { kind: 'inf' };
  if (/^\d{1,6}$/.test(v)) {
    const n = Number(v);
    return n >= 1 ? { kind: 'points', n } : null;
  }
  const m = /^(\d{1,6})([smhdwMqy])$/.exec(v);
  if (!m) return null;
  const ms = Number(m[1]) * SPAN_UNITS[m[2]!]!;
  return ms > 0 ? { kind: 'span', ms } : null;
}

/** `resolution`: one spec for all expressions, or the per-expression form `0:Inf,1:10`. */
export function parseResolutionParam(raw: string | undefined): { all: ResolutionSpec; byIndex: Map<number, ResolutionSpec> } {
  const byIndex = new Map<number, ResolutionSpec>();
  const fallback: ResolutionSpec = { kind: 'points', n: DEFAULT_POINTS };
  if (raw === undefined) return { all: fallback, byIndex };
  const invalid = () => badParameter('resolution', `Invalid resolution '${raw.slice(0, 50)}': use a number of points (60), a time span (5m, 1h, 1d), Inf, or per expression 0:Inf,1:10`);
  if (raw.includes(':')) {
    for (const part of raw.split(',')) {
      const m = /^\s*(\d{1,2})\s*:(.+)$/.exec(part);
      const spec = m ? parseOne(m[2]!) : null;
      if (!m || !spec) throw invalid();
      byIndex.set(Number(m[1]), spec);
    }
    return { all: fallback, byIndex };
  }
  const spec = parseOne(raw);
  if (!spec) throw invalid();
  return { all: spec, byIndex };
}

function validStep(min: number): number {
  for (const s of STEPS) if (s >= min) return s;
  return Math.ceil(min / DAY) * DAY;
}

/** Slots for a timeframe. A resolution is a hint: the step is at least a minute and at most 10,080 points result. */
export function makeSlots(spec: ResolutionSpec, from: number, to: number): Slots {
  if (spec.kind === 'inf') return { start: from, step: to - from, count: 1, inf: true };
  let step = spec.kind === 'points' ? validStep((to - from) / spec.n) : Math.max(MINUTE, Math.ceil(spec.ms / MINUTE) * MINUTE);
  const countFor = (s: number) => Math.ceil(to / s) - Math.floor(from / s);
  if (countFor(step) > MAX_POINTS_PER_SERIES) step = validStep((to - from) / (MAX_POINTS_PER_SERIES - 1));
  const start = Math.floor(from / step) * step;
  return { start, step, count: countFor(step), inf: false };
}

export function slotEnds(s: Slots): number[] {
  const out = new Array<number>(s.count);
  for (let i = 0; i < s.count; i++) out[i] = s.start + (i + 1) * s.step;
  return out;
}

/** `1m`, `5m`, `1h`, `1d`, `1w`, `Inf`: the response's `resolution` field. */
export function formatResolution(s: Slots): string {
  if (s.inf) return 'Inf';
  if (s.step % WEEK === 0) return `${s.step / WEEK}w`;
  if (s.step % DAY === 0) return `${s.step / DAY}d`;
  if (s.step % HOUR === 0) return `${s.step / HOUR}h`;
  return `${s.step / MINUTE}m`;
}
