import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Validates response bodies against Dynatrace's own OpenAPI spec (reference/, server 1.254), with
 * `additionalProperties: false` added to every object schema that lists its properties, so extra
 * fields (digests, row ids, stack traces) fail.
 *
 * KNOWN_SPEC_DEVIATIONS is the one place that lists where real answers differ from the spec
 * (docs/dynatrace-api-notes.md §5.4 and §11): the spec is patched there, never in a test.
 */
export const KNOWN_SPEC_DEVIATIONS: { schema: string; property: string; why: string; patch: (s: Record<string, unknown>) => void; onSchema?: boolean }[] = [
  ...['ApiTokenList', 'EntitiesList', 'EntityTypeList', 'MetricDescriptorCollection', 'Problems', 'ObjectsList', 'MetricData', 'CommentsList'].map((schema) => ({
    schema, property: 'nextPageKey', why: 'real answers send nextPageKey: null on the last page',
    patch: (s: Record<string, unknown>) => { s.nullable = true; },
  })),
  { schema: 'MetricSeries', property: 'values', why: 'values items are null for empty slots', patch: (s) => { (s.items as Record<string, unknown>).nullable = true; } },
  { schema: 'Entity', property: 'properties', why: 'property values are strings, numbers, booleans and lists (docs/dynatrace-api-notes.md §7.2), not objects', patch: (s) => { s.additionalProperties = {}; } },
  { schema: 'Problem', property: 'rootCauseEntity', why: 'null when no root cause was found (docs/dynatrace-api-notes.md §8.2)', patch: (s) => {
    const ref = s.$ref; delete s.$ref; s.anyOf = [{ $ref: ref }, { type: 'null' }];
  } },
  { schema: 'ConstraintViolation', property: 'location', why: 'real answers send location: null', patch: (s) => { s.nullable = true; } },
  // From the recorded answers in reference/recorded-responses/ (docs/sandbox-behaviour.md, "Real answers").
  { schema: 'MetricDescriptor', property: 'lastWritten', why: 'null for a metric never written (recorded descriptor list)', patch: (s) => { s.nullable = true; } },
  { schema: 'SettingsObject', property: 'searchSummary', why: 'real settings objects carry a searchSummary next to the summary (recorded settings object)', patch: (s) => { s.type = 'string'; } },
  { schema: 'MetricData', property: 'resolution', why: 'older servers answer without resolution (recorded metric query)', onSchema: true,
    patch: (s) => { s.required = (s.required as string[]).filter((r) => r !== 'resolution'); } },
  { schema: 'MetricSeriesCollection', property: 'dataPointCountRatio', why: 'older servers answer without the ratios (recorded metric query)', onSchema: true,
    patch: (s) => { s.required = (s.required as string[]).filter((r) => r !== 'dataPointCountRatio' && r !== 'dimensionCountRatio'); } },
];

type Json = Record<string, unknown>;

/**
 * Schemas the 1.254 spec lacks although the API answers with them: the metrics ingest answer
 * (docs/dynatrace-api-notes.md §5.5; `ValidationResponse` and its parts as later spec versions define them).
 * `error` and `warnings` are null when there is nothing to report.
 */
export const SCHEMAS_MISSING_FROM_SPEC: Record<string, Json> = {
  ValidationResponse: {
    type: 'object',
    properties: {
      linesOk: { type: 'integer', format: 'int32' },
      linesInvalid: { type: 'integer', format: 'int32' },
      error: { anyOf: [{ $ref: '#/components/schemas/MetricIngestError' }, { type: 'null' }] },
      warnings: { anyOf: [{ $ref: '#/components/schemas/Warnings' }, { type: 'null' }] },
    },
  },
  MetricIngestError: {
    type: 'object',
    properties: {
      code: { type: 'integer', format: 'int32' },
      message: { type: 'string' },
      invalidLines: { type: 'array', items: { $ref: '#/components/schemas/InvalidLine' } },
    },
  },
  InvalidLine: { type: 'object', properties: { line: { type: 'integer', format: 'int32' }, error: { type: 'string' } } },
  Warnings: {
    type: 'object',
    properties: { message: { type: 'string' }, changedMetricKeys: { type: 'array', items: { $ref: '#/components/schemas/WarningLine' } } },
  },
  WarningLine: { type: 'object', properties: { line: { type: 'integer', format: 'int32' }, warning: { type: 'string' } } },
};

function tighten(node: unknown): void {
  if (Array.isArray(node)) { node.forEach(tighten); return; }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Json;
  // Polymorphic bases (discriminator) and allOf parts are extended by their subtypes: left open.
  if (o.type === 'object' && o.properties && o.additionalProperties === undefined && !o.discriminator) o.additionalProperties = false;
  for (const [k, v] of Object.entries(o)) if (k !== 'allOf') tighten(v);
}

let cache: { ajv: Ajv; validators: Map<string, ValidateFunction> } | null = null;

function load() {
  if (cache) return cache;
  const spec = JSON.parse(readFileSync(path.resolve('reference/dynatrace-environment-api-v2.spec-1.254.json'), 'utf8')) as { components: { schemas: Record<string, Json> } };
  const schemas = spec.components.schemas;
  for (const [name, schema] of Object.entries(SCHEMAS_MISSING_FROM_SPEC)) schemas[name] ??= structuredClone(schema);
  for (const d of KNOWN_SPEC_DEVIATIONS) {
    const schema = schemas[d.schema];
    const props = schema?.properties as Record<string, Json> | undefined;
    if (!schema || !props) throw new Error(`KNOWN_SPEC_DEVIATIONS: no schema ${d.schema}`);
    if (d.onSchema) { d.patch(schema); continue; }
    // A property the spec lacks altogether is added (then patched into shape).
    d.patch(props[d.property] ??= {});
  }
  tighten(schemas);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'dt', components: spec.components });
  cache = { ajv, validators: new Map() };
  return cache;
}

/** Returns the validation errors of `body` against `#/components/schemas/<name>` (empty when valid). */
export function specErrors(name: string, body: unknown): string[] {
  const { ajv, validators } = load();
  let v = validators.get(name);
  if (!v) {
    v = ajv.compile({ $ref: `dt#/components/schemas/${name}` });
    validators.set(name, v);
  }
  return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
