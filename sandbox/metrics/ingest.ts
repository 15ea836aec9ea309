/**
 * `POST /api/v2/metrics/ingest`: the metric ingestion line protocol (docs/dynatrace-api-notes.md §5.5).
 *
 *   metric.key[,dim=value,dim="quoted value"] <payload> [timestamp-ms]
 *   payload: 55 | gauge,45 | gauge,min=1,max=3,sum=4,count=2 | count,delta=5
 *   #metric.key gauge dt.meta.unit=Percent,dt.meta.displayName="…",dt.meta.description="…"
 *   # a comment
 *
 * Valid lines are stored even when others are invalid (400 with the first ten errors).
 */
import type { Db } from '../db/database';
import { immediate } from '../db/database';
import { canonicalDims, type CustomKind } from './custom';

export interface ValidationResponse {
  linesOk: number;
  linesInvalid: number;
  error: { code: 400; message: string; invalidLines: { line: number; error: string }[] } | null;
  warnings: null;
}

type Parsed =
  | { kind: 'data'; key: string; dims: Record<string, string>; type: CustomKind; count: number; sum: number; min: number; max: number; ts: number | null }
  | { kind: 'meta'; key: string; type: CustomKind; unit?: string; displayName?: string; description?: string }
  | { kind: 'skip' };

class LineError extends Error {}

const MAX_DIMENSIONS = 50;
const MAX_VALUE_LENGTH = 250;
const PAST_MS = 3_600_000;
const FUTURE_MS = 600_000;
const UNITS = ['Bit', 'BitPerSecond', 'BitPerMinute', 'BitPerHour', 'Byte', 'KiloByte', 'MegaByte', 'GigaByte', 'BytePerSecond', 'BytePerMinute',
  'KiloBytePerSecond', 'MegaBytePerSecond', 'Count', 'PerSecond', 'PerMinute', 'PerHour', 'Percent', 'Promille', 'Ratio', 'NanoSecond',
  'MicroSecond', 'MilliSecond', 'Second', 'Minute', 'Hour', 'Day', 'Week', 'Cores', 'MilliCores', 'Unspecified', 'NotApplicable'];
const UNIT_BY_LOWER = new Map(UNITS.map((u) => [u.toLowerCase(), u]));
/** `12`, `1.`, `1.5`, `.5`, with an exponent; each digit run has one way to match (no backtracking). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

function excerpt(line: string): string {
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

class Scanner {
  i = 0;
  constructor(readonly line: string) {}
  fail(what: string, at = this.i): never {
    const ch = at < this.line.length ? this.line[at] : 'end of line';
    throw new LineError(`failed to parse ${what} of message '${excerpt(this.line)}'; error at '${ch}' (index ${at})`);
  }
  peek(): string | undefined { return this.line[this.i]; }

  /** A metric key: sections of [A-Za-z0-9_-] separated by dots, each starting with a letter or underscore. */
  key(stop: RegExp): string {
    const start = this.i;
    let sectionStart = true;
    while (this.i < this.line.length && !stop.test(this.line[this.i]!)) {
      const c = this.line[this.i]!;
      if (c === '.') {
        if (sectionStart) this.fail('metric key');
        sectionStart = true;
      } else if (/[A-Za-z_]/.test(c) || (!sectionStart && /[0-9-]/.test(c))) {
        sectionStart = false;
      } else {
        this.fail('metric key');
      }
      this.i++;
    }
    const key = this.line.slice(start, this.i);
    if (sectionStart) this.fail('metric key');
    if (key.length < 3 || key.length > 255) throw new LineError(`metric key '${key.slice(0, 60)}' must be 3 to 255 characters long`);
    if (key.toLowerCase().startsWith('dt.')) throw new LineError(`metric key '${key.slice(0, 60)}' uses the reserved prefix 'dt.'`);
    return key;
  }

  dimKey(): string {
    const start = this.i;
    if (!/[A-Za-z_]/.test(this.peek() ?? '')) this.fail('dimension key');
    while (this.i < this.line.length && /[A-Za-z0-9_.:-]/.test(this.line[this.i]!)) this.i++;
    if (this.i - start > 100) throw new LineError(`dimension key '${this.line.slice(start, start + 40)}…' is longer than 100 characters`);
    return this.line.slice(start, this.i).toLowerCase();
  }

  /** A value: `"quoted"` with \" and \\ escapes, or a run of characters without space, comma, = or quote. */
  value(what: string): string {
    let v = '';
    if (this.peek() === '"') {
      this.i++;
      for (;;) {
        const c = this.line[this.i];
        if (c === undefined) this.fail(what);
        if (c === '"') { this.i++; break; }
        if (c === '\\' && this.i + 1 < this.line.length) { v += this.line[this.i + 1]; this.i += 2; continue; }
        v += c;
        this.i++;
      }
    } else {
      const start = this.i;
      while (this.i < this.line.length && !/[\s,="]/.test(this.line[this.i]!)) this.i++;
      v = this.line.slice(start, this.i);
      if (!v) this.fail(what);
    }
    if (v.length > MAX_VALUE_LENGTH) throw new LineError(`${what} '${v.slice(0, 40)}…' is longer than ${MAX_VALUE_LENGTH} characters`);
    return v;
  }

  spaces(what: string): void {
    if (!/[ \t]/.test(this.peek() ?? '')) this.fail(what);
    while (/[ \t]/.test(this.peek() ?? '')) this.i++;
  }

  token(): string {
    const start = this.i;
    while (this.i < this.line.length && !/[ \t]/.test(this.line[this.i]!)) this.i++;
    return this.line.slice(start, this.i);
  }
}

function num(text: string, what: string): number {
  const v = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(v)) throw new LineError(`${what} '${text.slice(0, 40)}' is not a finite number`);
  return v;
}

function keyValues(text: string, what: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const m = /^([A-Za-z.]+)=(.*)$/.exec(part);
    if (!m) throw new LineError(`${what} '${part.slice(0, 40)}' must be key=value`);
    if (out.has(m[1]!)) throw new LineError(`${what} '${m[1]}' is given twice`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

function payload(text: string): { type: CustomKind; count: number; sum: number; min: number; max: number } {
  if (text.startsWith('count,')) {
    const m = /^count,delta=([^,]*)$/.exec(text);
    if (!m) throw new LineError(`a count payload is count,delta=<number>, got '${text.slice(0, 60)}'`);
    const d = num(m[1]!, 'count delta');
    if (d < 0) throw new LineError(`count delta ${d} is negative: counts never decrease`);
    return { type: 'count', count: 1, sum: d, min: d, max: d };
  }
  let body = text;
  if (text.startsWith('gauge,')) body = text.slice(6);
  else if (!NUMBER.test(text)) throw new LineError(`payload '${text.slice(0, 60)}' is neither a number, gauge,… nor count,delta=…`);
  if (NUMBER.test(body)) {
    const v = num(body, 'gauge value');
    return { type: 'gauge', count: 1, sum: v, min: v, max: v };
  }
  const kv = keyValues(body, 'gauge field');
  for (const k of kv.keys()) if (!['min', 'max', 'sum', 'count'].includes(k)) throw new LineError(`unknown gauge field '${k}': use min, max, sum and count`);
  if (kv.size !== 4) throw new LineError('a gauge summary needs all of min, max, sum and count');
  const min = num(kv.get('min')!, 'gauge min');
  const max = num(kv.get('max')!, 'gauge max');
  const sum = num(kv.get('sum')!, 'gauge sum');
  const count = num(kv.get('count')!, 'gauge count');
  if (!Number.isInteger(count) || count < 1) throw new LineError(`gauge count ${count} must be a whole number of at least 1`);
  if (min > max) throw new LineError(`gauge min ${min} is greater than max ${max}`);
  const eps = 1e-9 * Math.max(1, Math.abs(sum));
  if (sum < min * count - eps || sum > max * count + eps) throw new LineError(`gauge sum ${sum} does not fit min ${min}, max ${max} and count ${count}`);
  return { type: 'gauge', count, sum, min, max };
}

function metadata(line: string): Parsed {
  const s = new Scanner(line);
  s.i = 1;
  const key = s.key(/[ \t]/);
  s.spaces('metadata');
  const type = s.token();
  if (type !== 'gauge' && type !== 'count') throw new LineError(`metadata type '${type.slice(0, 20)}' must be gauge or count`);
  const out: Parsed = { kind: 'meta', key, type };
  if (s.i < line.length) {
    s.spaces('metadata');
    for (;;) {
      const start = s.i;
      while (s.i < line.length && line[s.i] !== '=') s.i++;
      const k = line.slice(start, s.i);
      if (line[s.i] !== '=') s.fail('metadata');
      s.i++;
      const v = s.value('metadata value');
      if (k === 'dt.meta.unit') out.unit = UNIT_BY_LOWER.get(v.toLowerCase()) ?? v;
      else if (k === 'dt.meta.displayName') out.displayName = v;
      else if (k === 'dt.meta.description') out.description = v;
      else throw new LineError(`unknown metadata key '${k.slice(0, 40)}': use dt.meta.unit, dt.meta.displayName or dt.meta.description`);
      if (s.i >= line.length) break;
      if (line[s.i] !== ',') s.fail('metadata');
      s.i++;
    }
  }
  return out;
}

/** Parses one line; throws LineError with a message for the response. */
export function parseLine(raw: string, now: number): Parsed {
  const line = raw.trimEnd();
  if (line.trim() === '') return { kind: 'skip' };
  if (line.startsWith('#')) return /^#(\s|$)/.test(line) ? { kind: 'skip' } : metadata(line);
  const s = new Scanner(line);
  const key = s.key(/[ \t,]/);
  const dims: Record<string, string> = {};
  let n = 0;
  while (s.peek() === ',') {
    s.i++;
    const k = s.dimKey();
    if (s.peek() !== '=') s.fail('dimension');
    s.i++;
    const v = s.value('dimension value');
    if (Object.hasOwn(dims, k)) throw new LineError(`dimension '${k}' is given twice`);
    if (++n > MAX_DIMENSIONS) throw new LineError(`a line has at most ${MAX_DIMENSIONS} dimensions`);
    dims[k] = v;
  }
  s.spaces('payload');
  const p = payload(s.token());
  let ts: number | null = null;
  if (s.i < line.length) {
    s.spaces('timestamp');
    const t = s.token();
    if (!/^\d{1,16}$/.test(t)) throw new LineError(`timestamp '${t.slice(0, 30)}' is not a number of milliseconds`);
    ts = Number(t);
    if (ts < now - PAST_MS || ts > now + FUTURE_MS) throw new LineError(`timestamp ${ts} is outside the accepted range (1 hour in the past to 10 minutes in the future)`);
    if (s.i < line.length) s.fail('line');
  }
  return { kind: 'data', key, dims, ...p, ts };
}

/** Parses the body and stores every valid line in one transaction. */
export function ingest(db: Db, now: number, body: string): ValidationResponse {
  const invalid: { line: number; error: string }[] = [];
  let ok = 0;
  let bad = 0;
  const lines = body.split(/\r?\n/);
  immediate(db, () => {
    const kindOf = db.prepare('SELECT kind FROM custom_metrics WHERE key = ?');
    const addMetric = db.prepare('INSERT INTO custom_metrics (key, kind, created, last_written) VALUES (?, ?, ?, NULL) ON CONFLICT(key) DO NOTHING');
    const written = db.prepare('UPDATE custom_metrics SET last_written = MAX(COALESCE(last_written, 0), ?) WHERE key = ?');
    const meta = db.prepare('UPDATE custom_metrics SET unit = COALESCE(?, unit), display_name = COALESCE(?, display_name), description = COALESCE(?, description) WHERE key = ?');
    const addDim = db.prepare('INSERT OR IGNORE INTO custom_metric_dimensions (metric_key, dim_key) VALUES (?, ?)');
    const addSeries = db.prepare('INSERT INTO custom_series (metric_key, dims) VALUES (?, ?) ON CONFLICT(metric_key, dims) DO NOTHING');
    const seriesId = db.prepare('SELECT id FROM custom_series WHERE metric_key = ? AND dims = ?');
    const addPoint = db.prepare('INSERT INTO custom_points (series_id, ts, count, sum, min, max) VALUES (?, ?, ?, ?, ?, ?)');
    lines.forEach((line, idx) => {
      let p: Parsed;
      try {
        p = parseLine(line, now);
        if (p.kind === 'skip') return;
        const existing = (kindOf.get(p.key) as { kind: CustomKind } | undefined)?.kind;
        if (existing && existing !== p.type) throw new LineError(`metric '${p.key}' is a ${existing} metric; this line is a ${p.type}`);
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        bad++;
        if (invalid.length < 10) invalid.push({ line: idx + 1, error: e.message });
        return;
      }
      ok++;
      addMetric.run(p.key, p.type, now);
      if (p.kind === 'meta') {
        meta.run(p.unit ?? null, p.displayName ?? null, p.description ?? null, p.key);
        return;
      }
      const ts = p.ts ?? now;
      written.run(ts, p.key);
      for (const k of Object.keys(p.dims)) addDim.run(p.key, k);
      const dims = canonicalDims(p.dims);
      addSeries.run(p.key, dims);
      const id = (seriesId.get(p.key, dims) as { id: number }).id;
      addPoint.run(id, ts, p.count, p.sum, p.min, p.max);
    });
  });
  if (ok === 0 && bad === 0) {
    return { linesOk: 0, linesInvalid: 0, error: { code: 400, message: 'The request contains no data points', invalidLines: [] }, warnings: null };
  }
  return {
    linesOk: ok, linesInvalid: bad,
    error: bad ? { code: 400, message: bad > 10 ? 'First 10 errors reported' : `${bad} invalid line${bad === 1 ? '' : 's'}`, invalidLines: invalid } : null,
    warnings: null,
  };
}
