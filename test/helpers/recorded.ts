import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The answers recorded from real Dynatrace environments (`reference/recorded-responses/`, see reference/README.md)
 * as exchanges a replay server can serve: the request each answer belongs to (method, path, query) and the answer.
 *
 * The files hold bodies only. Their names are `<METHOD><slugified path>_<hash>`, where the hash is the first 15 hex
 * digits of the SHA-256 of the Python repr of the parameters the recording client passed (its `conftest.py` names
 * them so). `python` below lists those parameters in the client's order, `None` as null; the replay test
 * (`test/integration/replay/recorded.test.ts`) recomputes every hash, so each query is proven to be the one the
 * answer was recorded for, not a guess. For GET and DELETE the parameters are the query (requests drops `None`
 * and writes booleans as `True`/`False`); for POST and PUT they are the JSON body, and the query is listed apart.
 *
 * Status and headers are not recorded: the status is the one the spec documents for the operation, the content
 * type the spec's `application/json; charset=utf-8`.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type PyValue = null | boolean | number | string | PyValue[] | { [k: string]: PyValue };
/** Parameters in the order the recording client built them (a Python dict keeps insertion order). */
export type PyParams = [string, PyValue][];

export interface Exchange {
  /** A unique name: the file's name without `.json`, or the name of a quoted answer. */
  name: string;
  method: Method;
  /** Decoded path below the origin, e.g. `/api/v2/entities/HOST-82F576674F19AC16`. */
  path: string;
  /** Query parameters as sent; matched as a multiset, order ignored. */
  query: [string, string][];
  status: number;
  headers: Record<string, string>;
  /** The body bytes as recorded (a file's content, unchanged). */
  body: string;
  /** Where the answer comes from. */
  origin: 'recorded' | 'quoted';
  /** For recorded files with a hash: the parameters the hash is computed from. */
  python?: PyParams;
  /** Why this exchange exists, when it is not a file as recorded (aliases, quoted answers). */
  note?: string;
}

export const RECORDED_DIR = path.resolve('reference/recorded-responses');
export const JSON_TYPE = 'application/json; charset=utf-8';

const ENTITY_FIELDS = '+fromRelationships,+toRelationships,+icon,+properties,+tags,+managementZones,+firstSeenTms,+lastSeenTms';
const METRIC_FIELDS = '+tags,+dduBillable,+created,+lastWritten,+aggregationTypes,+defaultAggregation,+dimensionDefinitions,+transformations,+entityType';
const PROBLEM = '-1719139739592062093_1623004451641V2';
const SETTINGS_OBJECT = 'vu9U3hXa3q0AAAABACdidWlsdGluOmFub21hbHktZGV0ZWN0aW9uLm1ldHJpYy1ldmVudHMABnRlbmFudAAGdGVuYW50ACRiYmYzZWNhNy0zMmZmLTM2ZTEtOTFiOS05Y2QxZjE3OTc0YjC-71TeFdrerQ';
const CUSTOM_DEVICE = 'entityId(CUSTOM_DEVICE-3B7788FE910B0F42)';

interface Spec {
  file: string;
  method: Method;
  path: string;
  status?: number;
  python?: PyParams;
  /** The query of a POST or PUT (their `python` parameters are the body). */
  query?: [string, string][];
}

/** Every recorded file, with the request it answers. `recorded.test.ts` fails when a file is missing here. */
const SPECS: Spec[] = [
  { file: 'GET_api_v2_apiTokens_ca4f773d77d3bb7', method: 'GET', path: '/api/v2/apiTokens',
    python: [['apiTokenSelector', null], ['fields', null], ['from', null], ['to', null], ['sort', null]] },
  { file: 'GET_api_v2_entities_64b5e3b6872892e', method: 'GET', path: '/api/v2/entities',
    python: [['pageSize', null], ['entitySelector', 'type("HOST")'], ['from', null], ['to', null], ['fields', ENTITY_FIELDS], ['sort', null]] },
  { file: 'GET_api_v2_entities_HOST-82F576674F19AC16_eeb2d99e8563a18', method: 'GET', path: '/api/v2/entities/HOST-82F576674F19AC16',
    python: [['from', '2021-04-16T15:08:21.000'], ['to', '2021-05-16T15:08:21.000'], ['fields', ENTITY_FIELDS]] },
  { file: 'GET_api_v2_entityTypes_DISK', method: 'GET', path: '/api/v2/entityTypes/DISK' },
  { file: 'GET_api_v2_entityTypes_e0d8c23ec365525', method: 'GET', path: '/api/v2/entityTypes', python: [['pageSize', 3]] },
  { file: 'GET_api_v2_metrics_b9525a59df51eee', method: 'GET', path: '/api/v2/metrics',
    python: [['pageSize', 100], ['metricSelector', 'builtin:host.*'], ['text', null], ['fields', METRIC_FIELDS], ['writtenSince', '1970-01-19T18:17:09.621+00:00'], ['metadataSelector', 'unit("Percent")']] },
  { file: 'GET_api_v2_metrics_builtin_host_cpu_idle', method: 'GET', path: '/api/v2/metrics/builtin:host.cpu.idle' },
  { file: 'GET_api_v2_metrics_c1510d03fd2e55e', method: 'GET', path: '/api/v2/metrics',
    python: [['pageSize', 100], ['metricSelector', null], ['text', null], ['fields', METRIC_FIELDS], ['writtenSince', null], ['metadataSelector', null]] },
  { file: 'GET_api_v2_metrics_c2452ee3448e535', method: 'GET', path: '/api/v2/metrics',
    python: [['pageSize', 100], ['metricSelector', null], ['text', null], ['fields', null], ['writtenSince', null], ['metadataSelector', null]] },
  { file: 'GET_api_v2_metrics_query_0f81e686e69f013', method: 'GET', path: '/api/v2/metrics/query',
    python: [['metricSelector', 'builtin:host.cpu.idle'], ['resolution', null], ['from', '2021-05-14T19:20:00.000+00:00'], ['to', '2021-05-14T20:43:20.000+00:00'], ['entitySelector', null], ['mzSelector', null]] },
  // The same request as the one above, recorded by an older client version (without mzSelector, which is None).
  { file: 'GET_api_v2_metrics_query_3b31d1b7859b9a7', method: 'GET', path: '/api/v2/metrics/query',
    python: [['metricSelector', 'builtin:host.cpu.idle'], ['resolution', null], ['from', '2021-05-14T19:20:00.000+00:00'], ['to', '2021-05-14T20:43:20.000+00:00'], ['entitySelector', null]] },
  // The recording client followed the string "null" of the answer above as a page key.
  { file: 'GET_api_v2_metrics_query_4fa21773411125d', method: 'GET', path: '/api/v2/metrics/query', python: [['nextPageKey', 'null']] },
  { file: `GET_api_v2_problems_${PROBLEM}_8913ec9c57d7960`, method: 'GET', path: `/api/v2/problems/${PROBLEM}`, python: [['fields', null]] },
  { file: `GET_api_v2_problems_${PROBLEM}_comments_-7228967546616810529_1623004451641`, method: 'GET', path: `/api/v2/problems/${PROBLEM}/comments/-7228967546616810529_1623004451641` },
  { file: `GET_api_v2_problems_${PROBLEM}_comments_0fe92b50cb1bdcb`, method: 'GET', path: `/api/v2/problems/${PROBLEM}/comments`, python: [['nextPageKey', 'AQAAABQBAAAABQ==']] },
  { file: `GET_api_v2_problems_${PROBLEM}_comments_adba23bf24edbcc`, method: 'GET', path: `/api/v2/problems/${PROBLEM}/comments`, python: [['pageSize', 20]] },
  { file: 'GET_api_v2_problems_0d7ed4db1cd91c2', method: 'GET', path: '/api/v2/problems',
    python: [['problemSelector', null], ['entitySelector', null], ['fields', null], ['from', 'now-3d'], ['to', null], ['sort', null], ['pageSize', null]] },
  { file: 'GET_api_v2_settings_objects_accb155250dbcbb', method: 'GET', path: '/api/v2/settings/objects',
    python: [['schemaIds', 'builtin:anomaly-detection.metric-events'], ['scopes', null], ['fields', null], ['externalIds', null], ['filter', null], ['sort', null], ['pageSize', null]] },
  { file: `GET_api_v2_settings_objects_${SETTINGS_OBJECT}`, method: 'GET', path: `/api/v2/settings/objects/${SETTINGS_OBJECT}` },
  { file: 'GET_api_v2_settings_schemas', method: 'GET', path: '/api/v2/settings/schemas' },
  { file: 'GET_api_v2_tags_3d3d3b0ff3c48c2', method: 'GET', path: '/api/v2/tags', python: [['entitySelector', 'bilalhosts'], ['from', null], ['to', null]] },
  { file: 'POST_api_v2_metrics_ingest', method: 'POST', path: '/api/v2/metrics/ingest', status: 202 },
  { file: `POST_api_v2_problems_${PROBLEM}_close_91e97b2b99926eb`, method: 'POST', path: `/api/v2/problems/${PROBLEM}/close`, python: [['message', 'Closing this. 1234']] },
  // POST bodies whose hash the current client code does not reproduce (its body format changed since): no `python`.
  { file: 'POST_api_v2_settings_objects_48f5d7ab33b29d3', method: 'POST', path: '/api/v2/settings/objects', query: [['validateOnly', 'False']] },
  { file: 'POST_api_v2_tags_4f8375bfcb42058', method: 'POST', path: '/api/v2/tags', query: [['entitySelector', CUSTOM_DEVICE]] },
  { file: 'POST_api_v2_tags_fe7d869df4dac8b', method: 'POST', path: '/api/v2/tags', query: [['entitySelector', CUSTOM_DEVICE]] },
  // The hash of a PUT is its body's; floats (100.0) keep the body's repr out of reach here, so it is not recomputed.
  { file: `PUT_api_v2_settings_objects_${SETTINGS_OBJECT}_193f82b398660c4`, method: 'PUT', path: `/api/v2/settings/objects/${SETTINGS_OBJECT}` },
  { file: 'DELETE_api_v2_tags_bfb7a4f8c7f839c', method: 'DELETE', path: '/api/v2/tags',
    python: [['key', 'test-tag-value'], ['entitySelector', CUSTOM_DEVICE], ['deleteAllWithKey', true], ['value', null], ['from', null], ['to', null]] },
];

/** `repr()` of a Python value built from JSON-like data (the subset the recording client's parameters use). */
export function pythonRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${pythonRepr(k)}: ${pythonRepr(x)}`).join(', ')}}`;
}

/** The suffix the recording client puts into a file name for these parameters: `_` and 15 hex digits. */
export function pythonParamsHash(params: PyParams): string {
  const dict = `{${params.map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  return `_${createHash('sha256').update(dict).digest('hex')}`.slice(0, 16);
}

/** The query `requests` sends for GET/DELETE parameters: `None` left out, booleans as `True`/`False`. */
function queryOf(params: PyParams | undefined): [string, string][] {
  if (!params) return [];
  return params.filter(([, v]) => v !== null).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v as string | number)]);
}

let cached: Exchange[] | null = null;

/** Every recorded file as an exchange, in the order of `SPECS`. */
export function recordedExchanges(): Exchange[] {
  cached ??= SPECS.map((s) => ({
    name: s.file,
    method: s.method,
    path: s.path,
    query: s.query ?? (s.method === 'GET' || s.method === 'DELETE' ? queryOf(s.python) : []),
    status: s.status ?? 200,
    headers: { 'content-type': JSON_TYPE },
    body: readFileSync(path.join(RECORDED_DIR, `${s.file}.json`), 'utf8'),
    origin: 'recorded' as const,
    ...(s.python ? { python: s.python } : {}),
  }));
  return cached;
}

/** The file names of `reference/recorded-responses/`, without `.json`. */
export function recordedFiles(): string[] {
  return readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export function exchange(name: string): Exchange {
  const e = recordedExchanges().find((x) => x.name === name) ?? QUOTED_ERRORS.find((x) => x.name === name);
  if (!e) throw new Error(`no recorded exchange ${name}`);
  return e;
}

/** The same recorded answer for another request (a page's own query), with the reason it may stand for it. */
export function alias(name: string, request: { path?: string; query: [string, string][] }, note: string): Exchange {
  return { ...exchange(name), name: `${name} (as ${note})`, ...(request.path ? { path: request.path } : {}), query: request.query, note };
}

const envelope = (code: number, message: string, extra: Record<string, unknown> = {}) => JSON.stringify({ error: { code, message, ...extra } });

/**
 * Error answers of real servers quoted in public sources (listed in docs/sandbox-behaviour.md, "Real answers"):
 * none is among the recorded files, so the bodies are kept here, byte for byte as quoted, each on a request that
 * would draw it.
 */
const quoted: { name: string; method: Method; path: string; query: [string, string][]; status: number; body: string }[] = [
  { name: '401 missing token', method: 'GET', path: '/api/v2/entityTypes', query: [['pageSize', '11']], status: 401,
    body: envelope(401, 'Missing authorization parameter.') },
  { name: '400 constraint violation', method: 'GET', path: '/api/v2/entities', query: [['entitySelector', 'type(SERVICE_METHOD),mzId(1)']], status: 400,
    body: envelope(400, 'Constraints violated.', { constraintViolations: [{ path: 'entitySelector', message: 'Predicate name mzId not applicable for type SERVICE_METHOD', parameterLocation: 'QUERY', location: null }] }) },
  { name: '400 metric selector', method: 'GET', path: '/api/v2/metrics/query', query: [['metricSelector', 'builtin:host.cpu.usage:filter(eq(a,(b)))']], status: 400,
    body: envelope(400, 'Failed to parse selector: unexpected opening parenthesis expecting period or colon or comma, consider using the escape sequence ~( for a literal opening parenthesis, consider adding double quotes around whitespace and special characters such as (): when these are meant literally, e.g. on the right side of a filter matcher. Example: "(\\"., near 1-based column range [106,107).') },
  { name: '403 missing scope', method: 'GET', path: '/api/v2/problems', query: [['pageSize', '11']], status: 403,
    body: envelope(403, 'Token is missing required scope. Use one of: CaptureRequestData (Capture request data)') },
  { name: '403 missing scope (old server)', method: 'GET', path: '/api/v2/apiTokens', query: [['pageSize', '111']], status: 403,
    body: envelope(403, 'Token is missing required scope. Use one of: ExternalSyntheticIntegration') },
  { name: '404 route', method: 'GET', path: '/api/v2/entities/HOST-0000000000000001', query: [], status: 404,
    body: envelope(404, 'HTTP 404 Not Found') },
];
export const QUOTED_ERRORS: Exchange[] = quoted.map((e) => ({ ...e, headers: { 'content-type': JSON_TYPE }, origin: 'quoted' as const, note: 'quoted in a public source, see docs/sandbox-behaviour.md' }));
