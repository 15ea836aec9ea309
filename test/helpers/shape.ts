/**
 * The shape of a JSON answer as key paths, for comparing a sandbox answer with a real one key by key.
 *
 * A path names a key (`a.b`), the items of the arrays at a path (`a[]`) and their keys (`a[].c`). Values at one
 * path are pooled across the answer (the items of every `entities[].tags` list together), and a key belongs to
 * the shape when every object at its parent path carries it: what a real answer *always* carries, not what one
 * item happens to have. A path in `maps` is an object whose keys are data (relation names): its entries are pooled
 * under `path.*`. A path in `opaque` is not descended into (property maps of mixed values).
 */
export type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface ShapeOptions {
  maps?: readonly string[];
  opaque?: readonly string[];
}

export interface Shape {
  /** Every always-carried path with its kind (`null` only where every value is null). */
  paths: Map<string, Kind>;
  /** Arrays (`a`) and maps (`a.*`) that are empty wherever they occur: nothing below them can be compared. */
  empty: Set<string>;
}

function kindOf(v: unknown): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : (typeof v as Kind);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function gather(values: unknown[], at: string, opts: ShapeOptions, out: Shape): void {
  if (at !== '') out.paths.set(at, values.map(kindOf).find((k) => k !== 'null') ?? 'null');
  if (opts.opaque?.includes(at)) return;
  const arrays = values.filter(Array.isArray) as unknown[][];
  if (arrays.length) {
    const items = arrays.flat();
    if (items.length) gather(items, `${at}[]`, opts, out);
    else out.empty.add(at);
  }
  const objects = values.filter(isObject);
  if (!objects.length) return;
  if (opts.maps?.includes(at)) {
    const entries = objects.flatMap((o) => Object.values(o));
    if (entries.length) gather(entries, `${at}.*`, opts, out);
    else out.empty.add(`${at}.*`);
    return;
  }
  const keys = Object.keys(objects[0]!).filter((k) => objects.every((o) => k in o));
  for (const k of keys) gather(objects.map((o) => o[k]), at === '' ? k : `${at}.${k}`, opts, out);
}

export function shapeOf(v: unknown, opts: ShapeOptions = {}): Shape {
  const out: Shape = { paths: new Map(), empty: new Set() };
  gather([v], '', opts, out);
  return out;
}

export interface ShapeDifference {
  /** Paths the real answer always carries and the sandbox's does not. */
  missing: string[];
  /** Paths both carry with different kinds (null matches anything). */
  kinds: string[];
  /** Arrays and maps the real answer fills and the sandbox's leaves empty, so what is below was not compared. */
  unfilled: string[];
}

/** What `real` always carries that `ours` lacks. Keys only `ours` has are not differences (newer servers add keys). */
export function compareShapes(real: Shape, ours: Shape): ShapeDifference {
  const missing: string[] = [];
  const kinds: string[] = [];
  const unfilled: string[] = [];
  for (const [p, k] of real.paths) {
    const under = [...ours.empty].find((e) => p.startsWith(e.endsWith('.*') ? e : `${e}[]`));
    if (under !== undefined) { if (!unfilled.includes(under)) unfilled.push(under); continue; }
    const o = ours.paths.get(p);
    if (o === undefined) missing.push(p);
    else if (k !== o && k !== 'null' && o !== 'null') kinds.push(`${p}: ${k} in the real answer, ${o} in the sandbox's`);
  }
  return { missing, kinds, unfilled };
}
