/**
 * "Same query, two tokens" (docs/support.md): the difference between two answers to one read query, named with
 * counts ("Support sees 19 hosts, Analyst 6; 13 only with Support") and listed, with a CSV of the difference. Answers
 * are compared, never merged: each row says which token saw it.
 */
import { csvTextCell } from '../charts/metric-series';
import type { MetricData } from '../dynatrace';
import type { ObjectFacts } from '../explain/verdict';
import { readQueryText, type ReadAnswer, type ReadQuery } from './read-query';

/** A token as the comparison shows it: label and colour, never a secret. */
export interface ComparedToken {
  tokenId: string;
  label: string;
  color: string;
  owner: string;
}

/** One entity or series in the comparison. */
export interface ComparedItem {
  key: string;
  /** Entity name, or the series' legend (entity names instead of ids). */
  label: string;
  /** Entity id, or the series' metric key. */
  id: string;
  zones?: string[];
  /** Series only: its dimensions as `key=value` pairs. */
  dimensions?: string;
}

export interface SlotCheck {
  /** `null` when there is nothing to line up (a side has no series). */
  same: boolean | null;
  note: string;
}

export interface Comparison {
  kind: ReadQuery['kind'];
  query: string;
  timeframe?: { from: string; to: string; resolution: string };
  noun: { one: string; many: string };
  a: ComparedToken & { count: number; truncated: boolean; items: ComparedItem[] };
  b: ComparedToken & { count: number; truncated: boolean; items: ComparedItem[] };
  onlyA: ComparedItem[];
  onlyB: ComparedItem[];
  both: number;
  /** The difference in one sentence, with counts. */
  sentence: string;
  slots: SlotCheck | null;
}

const NOUNS: Record<string, { one: string; many: string }> = {
  HOST: { one: 'host', many: 'hosts' },
  SERVICE: { one: 'service', many: 'services' },
  PROCESS_GROUP_INSTANCE: { one: 'process group instance', many: 'process group instances' },
  PROCESS_GROUP: { one: 'process group', many: 'process groups' },
  APPLICATION: { one: 'application', many: 'applications' },
  DISK: { one: 'disk', many: 'disks' },
};

function entityItems(entities: readonly ObjectFacts[]): ComparedItem[] {
  return entities.map((e) => ({ key: e.id, id: e.id, label: e.name, zones: e.zones }));
}

/**
 * One item per series, labelled like the chart's legend (`toChartModel` in `lib/charts/metric-series.ts`: entity names
 * instead of ids), without aligning values: a comparison of 10,000 series needs only their keys and labels.
 */
function seriesItems(data: MetricData, names: Record<string, string>): ComparedItem[] {
  const multiMetric = (data.result ?? []).length > 1;
  return (data.result ?? []).flatMap((r) => (r.data ?? []).map((s) => {
    const dims = Object.entries(s.dimensionMap ?? {}).map(([k, v]): [string, string] => [k, v ?? '']).sort(([x], [y]) => x.localeCompare(y));
    const byKey = Object.fromEntries(dims);
    const parts = dims.filter(([k]) => !k.endsWith('.name')).map(([k, v]) => byKey[`${k}.name`] ?? names[v] ?? v);
    const metric = r.metricId ?? '';
    const label = parts.length === 0 ? metric : multiMetric ? `${parts.join(', ')} · ${metric}` : parts.join(', ');
    return { key: `${metric}|${JSON.stringify(dims)}`, id: metric, label, dimensions: dims.map(([k, v]) => `${k}=${v}`).join(', ') };
  }));
}

/** What the items are called: the entity type of the selector, or of the series' only dimension; else entities/series. */
function nounOf(q: ReadQuery, answers: readonly ReadAnswer[]): { one: string; many: string } {
  if (q.kind === 'entities') {
    const types = new Set(answers.flatMap((a) => (a.kind === 'entities' ? a.entities.map((e) => e.type ?? '') : [])));
    const type = types.size === 1 ? [...types][0]! : /type\(\s*"?([A-Z_]+)"?\s*\)/.exec(q.params.entitySelector)?.[1];
    return (type && NOUNS[type]) || { one: 'entity', many: 'entities' };
  }
  const keys = new Set<string>();
  for (const a of answers) if (a.kind === 'metrics') for (const r of a.data.result ?? []) for (const s of r.data ?? []) keys.add(Object.keys(s.dimensionMap ?? {}).join(','));
  const only = keys.size === 1 ? [...keys][0]! : '';
  const type = /^dt\.entity\.([a-z_]+)$/.exec(only)?.[1]?.toUpperCase();
  return (type && NOUNS[type]) || { one: 'series', many: 'series' };
}

function count(n: number, noun: { one: string; many: string }): string {
  return `${n} ${n === 1 ? noun.one : noun.many}`;
}

/** Lines the two metric answers up: the same resolution and the same slot timestamps, or why not. */
export function checkSlots(a: { label: string; data: MetricData }, b: { label: string; data: MetricData }): SlotCheck {
  const stamps = (d: MetricData) => {
    const all = new Set<number>();
    for (const r of d.result ?? []) for (const s of r.data ?? []) for (const t of s.timestamps ?? []) all.add(t);
    return [...all].sort((x, y) => x - y);
  };
  const sa = stamps(a.data);
  const sb = stamps(b.data);
  if (a.data.resolution !== b.data.resolution) {
    return { same: false, note: `"${a.label}" got slots of ${a.data.resolution ?? 'unknown length'}, "${b.label}" of ${b.data.resolution ?? 'unknown length'}: the values cannot be compared slot by slot.` };
  }
  if (sa.length === 0 || sb.length === 0) {
    return { same: null, note: `No slots to line up: "${sa.length === 0 ? a.label : b.label}" got no data points.` };
  }
  const range = (s: number[]) => `${s.length} slots from ${new Date(s[0]!).toISOString()} to ${new Date(s[s.length - 1]!).toISOString()}`;
  if (sa.length !== sb.length || sa.some((t, i) => t !== sb[i])) {
    return { same: false, note: `The answers cover different slots ("${a.label}": ${range(sa)}; "${b.label}": ${range(sb)}): the values cannot be compared slot by slot.` };
  }
  return { same: true, note: `Both answers use the same ${range(sa)} (resolution ${a.data.resolution ?? 'unknown'}).` };
}

/** The difference between two answers to `query`: `a` is the page's token, `b` the token compared with. */
export function compareAnswers(query: ReadQuery, a: { token: ComparedToken; answer: ReadAnswer }, b: { token: ComparedToken; answer: ReadAnswer }): Comparison {
  const itemsOf = (x: ReadAnswer) => (x.kind === 'entities' ? entityItems(x.entities) : seriesItems(x.data, x.names));
  const ia = itemsOf(a.answer);
  const ib = itemsOf(b.answer);
  const ka = new Set(ia.map((i) => i.key));
  const kb = new Set(ib.map((i) => i.key));
  const onlyA = ia.filter((i) => !kb.has(i.key));
  const onlyB = ib.filter((i) => !ka.has(i.key));
  const noun = nounOf(query, [a.answer, b.answer]);
  const side = (t: ComparedToken, x: ReadAnswer, items: ComparedItem[]) => ({ ...t, count: items.length, truncated: x.kind === 'entities' && x.truncated, items });
  const sa = side(a.token, a.answer, ia);
  const sb = side(b.token, b.answer, ib);
  const [big, small] = sb.count > sa.count ? [sb, sa] : [sa, sb];
  let sentence: string;
  if (!onlyA.length && !onlyB.length) {
    sentence = `"${sa.label}" and "${sb.label}" see the same ${count(sa.count, noun)}.`;
  } else {
    const parts = [onlyB.length ? `${onlyB.length} only with ${sb.label}` : '', onlyA.length ? `${onlyA.length} only with ${sa.label}` : ''].filter(Boolean);
    sentence = `${big.label} sees ${count(big.count, noun)}, ${small.label} ${small.count}; ${parts.join(', ')}.`;
  }
  if (sa.truncated || sb.truncated) sentence += ` ${[sa, sb].filter((s) => s.truncated).map((s) => `"${s.label}"`).join(' and ')} stopped at the page cap: the counts are lower bounds.`;
  const slots = a.answer.kind === 'metrics' && b.answer.kind === 'metrics'
    ? checkSlots({ label: sa.label, data: a.answer.data }, { label: sb.label, data: b.answer.data })
    : null;
  return {
    kind: query.kind, query: readQueryText(query),
    ...(query.kind === 'metrics' && query.params.from && query.params.to && query.params.resolution
      ? { timeframe: { from: new Date(Number(query.params.from)).toISOString(), to: new Date(Number(query.params.to)).toISOString(), resolution: query.params.resolution } }
      : {}),
    noun, a: sa, b: sb, onlyA, onlyB, both: ia.length - onlyA.length, sentence, slots,
  };
}

/** The difference as CSV: one row per entity or series seen by one token only. Every text cell is injection-safe. */
export function comparisonCsv(c: Comparison): string {
  const rows: string[][] = c.kind === 'entities'
    ? [['difference', 'token', 'entityId', 'name', 'management zones']]
    : [['difference', 'token', 'metricId', 'dimensions', 'series']];
  const add = (items: readonly ComparedItem[], who: ComparedToken) => {
    for (const i of items) {
      rows.push(c.kind === 'entities'
        ? [`only with ${who.label}`, who.label, i.id, i.label, (i.zones ?? []).join('; ')]
        : [`only with ${who.label}`, who.label, i.id, i.dimensions ?? '', i.label]);
    }
  };
  add(c.onlyB, c.b);
  add(c.onlyA, c.a);
  return rows.map((r) => r.map(csvTextCell).join(',')).join('\n') + '\n';
}
