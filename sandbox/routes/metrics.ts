/**
 * Metrics API v2 (docs/dynatrace-api-notes.md §5): descriptors (list and by key, keys may carry
 * transformations), data points (`/metrics/query`, JSON or CSV) and ingest (line protocol).
 *
 * Zones: series only contain tuples whose entities are in the caller's zones; a metric without an
 * entity dimension (environment-wide data such as DDU consumption) needs environment-wide access,
 * so a zone-restricted PAT gets a 403 naming its owner (the sandbox's decision: docs/sandbox-behaviour.md,
 * "Decided responses").
 * An explicit foreign zone in `mzSelector`, `entitySelector` or `in(…,entitySelector(…))` answers
 * 403 in `reject` mode and an empty result in `filter` mode.
 */
import type { Caller, Ctx, RouteSpec, SandboxDeps } from '../context';
import { visibleZoneIds } from '../context';
import { parseCriteria } from '../criteria';
import { badParameter, SandboxError, type ParameterLocation } from '../errors';
import { nextPageKeyFor, readPageRequest } from '../paging';
import { pageKeySecret } from '../settings';
import { assertExplicitZones } from '../zones';
import { evaluateEntitySelector, explicitZones, selectorType } from '../query/entities';
import { entitySelectorParam } from './entities';
import { resolveFields } from './api-tokens';
import { allMetrics, descriptorJson, resolveMetric, type MetricDef } from '../metrics/descriptors';
import { MetricQuery, type QueryContext, type ResultJson } from '../metrics/engine';
import { ingest } from '../metrics/ingest';
import { JsonBytes } from '../metrics/json-bytes';
import { deleteCustomMetric } from '../metrics/custom';
import { BUILTIN_BY_ID } from '../metrics/builtin';
import { formatResolution, makeSlots, parseResolutionParam, type Slots } from '../metrics/slots';
import { checkMetricQueryLimits, formatMetricSelector, parseMetricSelector } from '../../lib/selectors';
import type { FilterCondition, MetricExpression, Transformation } from '../../lib/selectors/metric-ast';
import { parseTimeValue, resolveTimeframe } from '../../lib/time/timeframe';

// ---- content negotiation ------------------------------------------------------------------------

type Format = 'json' | 'csv' | 'csv-no-header';

/** `Accept`: JSON by default; `text/csv; header=present|absent` where CSV is offered; anything else 406. */
function negotiate(c: Ctx, csv: boolean): Format {
  const accept = c.req.header('accept');
  if (!accept || !accept.trim()) return 'json';
  const ranges = accept.split(',').map((part, i) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((s) => s.trim().toLowerCase()) as [string, string]));
    return { type: type.toLowerCase(), q: p.q === undefined ? 1 : Number(p.q), header: p.header, i };
  }).filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*') return 'json';
    if (csv && (r.type === 'text/csv' || r.type === 'text/*')) return r.header === 'absent' ? 'csv-no-header' : 'csv';
  }
  throw new SandboxError(406, csv
    ? 'Not acceptable: this endpoint answers application/json or text/csv; header=present|absent'
    : 'Not acceptable: this endpoint answers application/json');
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csvTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * Descriptors as CSV (the spec offers it for `GET /metrics` and `GET /metrics/{metricKey}`; the columns are the
 * sandbox's decision, docs/sandbox-behaviour.md): one row per metric, one column per field of the JSON answer in its
 * order, lists and objects as their JSON text.
 */
function descriptorsCsv(rows: Record<string, unknown>[], header: boolean): string {
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const cell = (v: unknown) => (v === undefined || v === null ? '' : csvCell(typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)));
  const lines = [...(header ? [keys.map(csvCell).join(',')] : []), ...rows.map((r) => keys.map((k) => cell(r[k])).join(','))];
  return lines.join('\r\n') + (lines.length ? '\r\n' : '');
}

function csvResponse(c: Ctx, format: Format, text: string): Response {
  return c.body(text, 200, { 'content-type': `text/csv; header=${format === 'csv' ? 'present' : 'absent'}; charset=utf-8` });
}

/** Columns `metricId,<dimension keys…>,time,value` (docs/dynatrace-api-notes.md §5.4); a null value is an empty cell. */
function toCsv(results: ResultJson[], header: boolean): string {
  const keys: string[] = [];
  for (const r of results) for (const d of r.data) for (const k of Object.keys(d.dimensionMap)) if (!keys.includes(k)) keys.push(k);
  const rows: string[] = header ? [['metricId', ...keys, 'time', 'value'].map(csvCell).join(',')] : [];
  for (const r of results) {
    for (const d of r.data) {
      const dims = keys.map((k) => csvCell(d.dimensionMap[k] ?? ''));
      const values = 'values' in d ? d.values : Array.from(d.packed, (v) => (Number.isNaN(v) ? null : v));
      d.timestamps.forEach((t, i) => {
        const v = values[i];
        rows.push([csvCell(r.metricId), ...dims, csvTime(t), v === null || v === undefined ? '' : String(v)].join(','));
      });
    }
  }
  return rows.join('\r\n') + (rows.length ? '\r\n' : '');
}

// ---- selector-style parameters --------------------------------------------------------------------


// ---- GET /metrics -----------------------------------------------------------------------------------

const DEFAULT_FIELDS = ['displayName', 'description', 'unit'];
const ALL_FIELDS = ['metricId', 'displayName', 'description', 'unit', 'tags', 'dduBillable', 'billable', 'created', 'lastWritten', 'aggregationTypes',
  'defaultAggregation', 'dimensionDefinitions', 'transformations', 'entityType', 'minimumValue', 'maximumValue', 'rootCauseRelevant',
  'impactRelevant', 'metricValueType', 'latency', 'metricSelector', 'scalar', 'resolutionInfSupported', 'unitDisplayFormat', 'exported',
  'dimensionCardinalities'];
const LIST_TRANSFORMATIONS: readonly Transformation['name'][] = ['aggregation', 'auto', 'merge', 'parents', 'splitBy'];
const LIST_PARAMS = ['metricSelector', 'text', 'fields', 'pageSize', 'writtenSince', 'metadataSelector'];

/** Splits a list selector at top-level commas (outside parentheses and quotes). */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '~') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { parts.push(s.slice(start, i)); start = i + 1; }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The ingestion protocol allows keys of 3 to 255 characters, so a longer key names no metric: a 400, not a 404. */
const MAX_KEY_LENGTH = 255;

function assertKeyLength(key: string, param: string, where: ParameterLocation = 'QUERY'): void {
  if (key.length > MAX_KEY_LENGTH) {
    throw badParameter(param, `metric keys are at most ${MAX_KEY_LENGTH} characters long; "${key.slice(0, 40)}…" has ${key.length}`, where);
  }
}

/** Every metric key of an expression (operands of arithmetic and transformed sub-expressions included). */
function metricKeys(expr: MetricExpression): string[] {
  switch (expr.kind) {
    case 'metric': return [...expr.keys];
    case 'transformed': case 'negate': return metricKeys(expr.operand);
    case 'binary': return [...metricKeys(expr.left), ...metricKeys(expr.right)];
    case 'number': return [];
  }
}

interface Listed { def: MetricDef; metricId: string; transformations: readonly Transformation[] }

/** Metric list selector: keys, sibling groups, trailing wildcards (`builtin:host.*`) and a few transformations. */
function selectForList(all: MetricDef[], selector: string): Listed[] {
  const out: Listed[] = [];
  for (const part of splitTopLevel(selector)) {
    if (/^[^"(),\s*]*\*$/.test(part)) {
      const prefix = part.slice(0, -1);
      for (const def of all) if (def.metricId.startsWith(prefix)) out.push({ def, metricId: def.metricId, transformations: [] });
      continue;
    }
    const parsed = parseMetricSelector(part);
    if (!parsed.ok) throw badParameter('metricSelector', `${parsed.error.message} (at position ${parsed.error.offset + 1} of "${part.slice(0, 80)}")`);
    for (const expr of parsed.value.expressions) {
      if (expr.kind !== 'metric') throw badParameter('metricSelector', 'The metric list takes metric keys; metric expressions are only evaluated by /metrics/query');
      const bad = expr.transformations.find((t) => !LIST_TRANSFORMATIONS.includes(t.name));
      if (bad) throw badParameter('metricSelector', `The transformation "${bad.name}" cannot be used when listing metrics; use an aggregation, merge, parents or splitBy`);
      for (const key of expr.keys) {
        assertKeyLength(key, 'metricSelector');
        const def = all.find((d) => d.metricId === key);
        if (!def) throw new SandboxError(404, `Metric key '${key}' not found`);
        const metricId = expr.transformations.length ? formatMetricSelector({ expressions: [{ kind: 'metric', keys: [key], transformations: expr.transformations }] }) : key;
        out.push({ def, metricId, transformations: expr.transformations });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((l) => !seen.has(l.metricId) && !!seen.add(l.metricId));
}

function metadataMatches(def: MetricDef, criteria: { name: string; values: string[] }[]): boolean {
  return criteria.every((c) => {
    switch (c.name) {
      case 'unit': return c.values.some((v) => v.toLowerCase() === def.unit.toLowerCase());
      case 'tags': return false; // no metric carries tags in the sandbox
      case 'dimensionKey': return c.values.some((v) => def.dimensions.some((d) => d.key === v));
      case 'custom': return c.values.some((v) => (v.toLowerCase() === 'true') === (def.custom !== null));
      case 'exported': return c.values.some((v) => v.toLowerCase() === 'false');
      default: return false;
    }
  });
}

function list(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const format = negotiate(c, true);
  const req = readPageRequest(c, pageKeySecret(deps.db), 'metrics', caller.token.id, LIST_PARAMS);
  const { query, offset } = req;
  let pageSize = 100;
  if (query.pageSize !== undefined) {
    if (!/^\d{1,9}$/.test(query.pageSize) || Number(query.pageSize) < 1) throw badParameter('pageSize', 'pageSize must be a whole number of at least 1');
    pageSize = Math.min(500, Number(query.pageSize)); // larger values are capped, as documented
  }
  const fields = resolveFields(query.fields, DEFAULT_FIELDS, ALL_FIELDS, ['metricId']);
  const now = deps.clock();
  const all = allMetrics(deps.db);
  let listed: Listed[] = query.metricSelector ? selectForList(all, query.metricSelector) : all.map((def) => ({ def, metricId: def.metricId, transformations: [] }));
  if (query.text) {
    const t = query.text.toLowerCase();
    listed = listed.filter((l) => [l.def.metricId, l.def.displayName, l.def.description].some((s) => s.toLowerCase().includes(t)));
  }
  if (query.writtenSince !== undefined) {
    const since = parseTimeValue(query.writtenSince, now);
    if (!since.ok) throw badParameter('writtenSince', since.error);
    listed = listed.filter((l) => (l.def.builtin ? now : (l.def.custom!.lastWritten ?? -Infinity)) >= since.value);
  }
  if (query.metadataSelector) {
    const criteria = parseCriteria(query.metadataSelector, 'metadataSelector', ['unit', 'tags', 'dimensionKey', 'custom', 'exported']);
    listed = listed.filter((l) => metadataMatches(l.def, criteria));
  }
  const page = listed.slice(offset, offset + pageSize);
  const nextPageKey = nextPageKeyFor(req, 'metrics', caller.token.id, pageSize, listed.length);
  const visible = visibleZoneIds(caller);
  const metrics = page.map((l) => {
    const full = descriptorJson(deps.db, deps.world, visible, l.def, now, l.metricId, l.transformations);
    return Object.fromEntries(Object.entries(full).filter(([k]) => k === 'metricId' || fields.has(k)));
  });
  if (format !== 'json') return csvResponse(c, format, descriptorsCsv(metrics, format === 'csv'));
  return c.json({ totalCount: listed.length, nextPageKey, metrics });
}

// ---- GET /metrics/{metricKey} ----------------------------------------------------------------------

function descriptor(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const format = negotiate(c, true);
  const raw = c.req.param('metricKey')!;
  const parsed = parseMetricSelector(raw);
  if (!parsed.ok) throw badParameter('metricKey', `${parsed.error.message} (at position ${parsed.error.offset + 1})`, 'PATH');
  const [expr, extra] = parsed.value.expressions;
  if (extra || expr!.kind !== 'metric' || expr!.keys.length !== 1) {
    throw badParameter('metricKey', 'A descriptor is available for one metric key (with transformations); metric expressions and sibling groups are not supported here', 'PATH');
  }
  const key = expr!.keys[0]!;
  assertKeyLength(key, 'metricKey', 'PATH');
  const def = resolveMetric(deps.db, key);
  if (!def) throw new SandboxError(404, `Metric key '${key}' not found`);
  const metricId = expr!.transformations.length ? formatMetricSelector({ expressions: [expr!] }) : key;
  const json = descriptorJson(deps.db, deps.world, visibleZoneIds(caller), def, deps.clock(), metricId, expr!.transformations);
  return format === 'json' ? c.json(json) : csvResponse(c, format, descriptorsCsv([json], format === 'csv'));
}

// ---- DELETE /metrics/{metricKey} -------------------------------------------------------------------

/** Real servers refuse to delete a metric written within the last two hours (the spec's 400). */
const DELETE_QUIET_MS = 2 * 3_600_000;

/**
 * Deletes an ingested metric (202, as the spec says: the deletion is triggered). A built-in metric cannot be
 * deleted (400), nor one written within the last two hours (400). Deleting removes every series, also those the
 * caller could not read, so a zone-restricted owner needs environment-wide access (403), like reading a metric
 * without an entity dimension.
 */
function remove(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const key = c.req.param('metricKey')!;
  assertKeyLength(key, 'metricKey', 'PATH');
  if (caller.access && !caller.access.environmentWide) {
    throw new SandboxError(403, `User '${caller.access.user.email}' lacks the permission 'environment-wide access' required to delete '${key.slice(0, 255)}': a deletion removes the series of every management zone`);
  }
  if (BUILTIN_BY_ID.has(key)) throw badParameter('metricKey', `'${key}' is a built-in metric: only ingested metrics can be deleted`, 'PATH');
  const def = resolveMetric(deps.db, key);
  if (!def?.custom) throw new SandboxError(404, `Metric key '${key.slice(0, 255)}' not found`);
  const last = def.custom.lastWritten;
  if (last !== null && deps.clock() - last < DELETE_QUIET_MS) {
    throw badParameter('metricKey', `The metric '${key}' has been written within the last two hours: it can be deleted two hours after its last data point`, 'PATH');
  }
  deleteCustomMetric(deps.db, key);
  return c.body(null, 202);
}

// ---- GET /metrics/query ----------------------------------------------------------------------------

function walkConditions(list: readonly FilterCondition[], visit: (c: FilterCondition) => void): void {
  for (const c of list) {
    visit(c);
    if (c.kind === 'and' || c.kind === 'or') walkConditions(c.conditions, visit);
    else if (c.kind === 'not') walkConditions([c.condition], visit);
  }
}

function filterConditions(expr: MetricExpression, out: FilterCondition[] = []): FilterCondition[] {
  const fromList = (ts: readonly Transformation[]) => { for (const t of ts) if (t.name === 'filter') walkConditions(t.conditions, (c) => out.push(c)); };
  switch (expr.kind) {
    case 'metric': fromList(expr.transformations); break;
    case 'transformed': fromList(expr.transformations); filterConditions(expr.operand, out); break;
    case 'negate': filterConditions(expr.operand, out); break;
    case 'binary': filterConditions(expr.left, out); filterConditions(expr.right, out); break;
    case 'number': break;
  }
  return out;
}

function query(c: Ctx, deps: SandboxDeps, caller: Caller): Response {
  const format = negotiate(c, true);
  const q = (n: string) => c.req.query(n);
  const selector = q('metricSelector');
  if (selector === undefined || !selector.trim()) throw badParameter('metricSelector', 'metricSelector is required');
  const entityRaw = q('entitySelector');
  const limits = checkMetricQueryLimits({ metricSelector: selector, entitySelector: entityRaw ?? null });
  if (!limits.ok) throw badParameter(limits.error.parameter, `${limits.error.message} (at position ${limits.error.offset + 1})`);
  const parsed = parseMetricSelector(selector);
  if (!parsed.ok) throw badParameter('metricSelector', `${parsed.error.message} (at position ${parsed.error.offset + 1})`);
  for (const expr of parsed.value.expressions) for (const key of metricKeys(expr)) assertKeyLength(key, 'metricSelector');
  const now = deps.clock();
  const tf = resolveTimeframe(q('from'), q('to'), now, 'now-2h');
  if (!tf.ok) throw badParameter(tf.parameter, tf.error);
  const { from, to } = tf.value;
  const resolution = parseResolutionParam(q('resolution'));
  const visible = visibleZoneIds(caller);

  let entities: QueryContext['entities'] = null;
  if (entityRaw !== undefined) {
    const sel = entitySelectorParam(deps, caller, entityRaw);
    entities = { type: selectorType(sel)!, ids: new Set(evaluateEntitySelector(sel, { world: deps.world, now, visibleZones: visible }).map((e) => e.entityId)) };
  }
  let zoneCriteria: QueryContext['zoneCriteria'] = null;
  const mz = q('mzSelector');
  if (mz !== undefined) {
    const criteria = parseCriteria(mz, 'mzSelector', ['mzId', 'mzName']);
    assertExplicitZones(deps, caller, criteria.filter((x) => x.name === 'mzName').flatMap((x) => x.values), criteria.filter((x) => x.name === 'mzId').flatMap((x) => x.values));
    zoneCriteria = criteria.map((x) => new Set(x.name === 'mzId' ? x.values : x.values.map((n) => deps.world.zoneByName.get(n)?.id ?? `unknown:${n}`)));
  }
  for (const expr of parsed.value.expressions) {
    for (const cond of filterConditions(expr)) {
      if (cond.kind !== 'in') continue;
      const z = explicitZones(cond.entitySelector);
      assertExplicitZones(deps, caller, z.names, z.ids);
    }
  }

  const slotsByIndex = new Map<number, Slots>();
  const ctx: QueryContext = {
    db: deps.db, world: deps.world, now, visible, user: caller.access?.user.email ?? null, entities, zoneCriteria, valuesAsJson: format === 'json',
    slotsFor: (i) => {
      let s = slotsByIndex.get(i);
      if (!s) { s = makeSlots(resolution.byIndex.get(i) ?? resolution.all, from, to); slotsByIndex.set(i, s); }
      return s;
    },
  };
  const engine = new MetricQuery(ctx);
  const result = parsed.value.expressions.flatMap((e, i) => engine.evaluate(e, i));
  const used = [...slotsByIndex.values()];
  const finest = used.filter((s) => !s.inf).sort((a, b) => a.step - b.step)[0] ?? used[0]!;
  if (format !== 'json') {
    return c.body(toCsv(result, format === 'csv'), 200, { 'content-type': `text/csv; header=${format === 'csv' ? 'present' : 'absent'}; charset=utf-8` });
  }
  const warnings = [...new Set(result.flatMap((r) => r.warnings ?? []))];
  const head = { totalCount: result.reduce((n, r) => n + r.data.length, 0), nextPageKey: null, resolution: formatResolution(finest), ...(warnings.length ? { warnings } : {}) };
  return c.body(stringifyMetricData(head, result), 200, { 'content-type': 'application/json' });
}

/**
 * `JSON.stringify` of a MetricData body, written as bytes (sandbox/metrics/json-bytes.ts): a timestamp list
 * shared by many series (all series of a result normally share one) is formatted once, and values are written
 * as digits, without a string per series or for the whole body.
 */
function stringifyMetricData(head: Record<string, unknown>, result: ResultJson[]): Uint8Array<ArrayBuffer> {
  const formatted = new Map<number[], Buffer>();
  const ts = (list: number[]) => {
    let v = formatted.get(list);
    if (v === undefined) { v = Buffer.from(JSON.stringify(list), 'latin1'); formatted.set(list, v); }
    return v;
  };
  // Room for the whole answer up front (about 12 bytes a value, 200 a series): growing copies it.
  let size = 4096;
  for (const r of result) for (const d of r.data) size += 200 + 14 * d.timestamps.length + 12 * ('values' in d ? d.values.length : d.packed.length);
  const out = new JsonBytes(size);
  out.raw(JSON.stringify(head).slice(0, -1)).raw(',"result":[');
  result.forEach((r, i) => {
    const rest = JSON.stringify({ metricId: r.metricId, dataPointCountRatio: r.dataPointCountRatio, dimensionCountRatio: r.dimensionCountRatio, ...(r.warnings ? { warnings: r.warnings } : {}) });
    out.raw(i ? ',' : '').raw(rest.slice(0, -1)).raw(',"data":[');
    r.data.forEach((d, j) => {
      out.raw(`${j ? ',' : ''}{"dimensions":${JSON.stringify(d.dimensions)},"dimensionMap":${JSON.stringify(d.dimensionMap)},"timestamps":`).bytes(ts(d.timestamps)).raw(',"values":');
      if ('values' in d) out.raw(JSON.stringify(d.values)); else out.numbers(d.packed);
      out.raw('}');
    });
    out.raw(']}');
  });
  return out.raw(']}').result();
}

// ---- POST /metrics/ingest ----------------------------------------------------------------------------

async function ingestRoute(c: Ctx, deps: SandboxDeps): Promise<Response> {
  const body = await c.req.text();
  const res = ingest(deps.db, deps.clock(), body);
  return c.json(res, res.error ? 400 : 202);
}

export const metricRoutes: RouteSpec[] = [
  { method: 'GET', path: '/api/v2/metrics', scope: 'metrics.read', permission: 'viewer', zones: 'list', handler: list },
  // Before the descriptor route, whose key pattern would match "query" too.
  { method: 'GET', path: '/api/v2/metrics/query', scope: 'metrics.read', permission: 'viewer', zones: 'list', handler: query },
  { method: 'POST', path: '/api/v2/metrics/ingest', scope: 'metrics.ingest', permission: 'operator', zones: 'none', handler: ingestRoute },
  // Keys carry transformations with quotes, parentheses and possibly slashes: match the rest of the path.
  { method: 'GET', path: '/api/v2/metrics/:metricKey{.+}', scope: 'metrics.read', permission: 'viewer', zones: 'none', handler: descriptor },
  { method: 'DELETE', path: '/api/v2/metrics/:metricKey{.+}', scope: 'metrics.write', permission: 'operator', zones: 'none', handler: remove },
];
