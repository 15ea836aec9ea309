/**
 * The types the client speaks: the generated OpenAPI types (`generated/api-v2.ts`, spec 1.254) with corrections
 * where real answers differ from the spec (docs/dynatrace-api-notes.md §2.1, §5.4, §11):
 * - `nextPageKey` is sent as `null` on the last page (spec: optional string);
 * - metric `values` contain `null` for empty slots, and the remainder series of a "top X" query has `null`
 *   dimensions (spec: `number[]`, `string[]`);
 * - `ConstraintViolation.location` is `null` in real bodies, and `parameterLocation` may be `HEADER`;
 * - the metrics ingest answer (`ValidationResponse`) is missing from the 1.254 spec altogether;
 * - a descriptor's `lastWritten` is `null` for a metric never written, older servers' metric queries lack
 *   `resolution` and the ratios, and settings objects carry `searchSummary` (the recorded answers in `reference/`,
 *   listed in docs/sandbox-behaviour.md, "Real answers").
 *
 * Only what the client uses is re-exported; import other schemas from the generated file directly.
 */
import type { components, operations } from './generated/api-v2';

type Schemas = components['schemas'];

/** `T` with `nextPageKey` corrected to `string | null` (absent also happens). */
type WithNullableNextPageKey<T> = Omit<T, 'nextPageKey'> & { nextPageKey?: string | null };

/** Query parameters of a generated operation, as a plain object. */
export type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

// ---- errors -------------------------------------------------------------------------------------------------

export type ConstraintViolation = Omit<Schemas['ConstraintViolation'], 'location' | 'parameterLocation'> & {
  location?: string | null;
  parameterLocation?: NonNullable<Schemas['ConstraintViolation']['parameterLocation']> | 'HEADER';
};

/** The `error` member of the Dynatrace error envelope. */
export interface ErrorBody {
  code?: number;
  message?: string;
  constraintViolations?: ConstraintViolation[];
}

/** `{"error":{"code","message","constraintViolations"?}}`: the one error shape of `/api/v2`. */
export interface ErrorEnvelope {
  error?: ErrorBody;
}

// ---- tokens -------------------------------------------------------------------------------------------------

export type ApiToken = Schemas['ApiToken'];
export type ApiTokenList = WithNullableNextPageKey<Schemas['ApiTokenList']>;
export type ApiTokenCreate = Schemas['ApiTokenCreate'];
export type ApiTokenCreated = Schemas['ApiTokenCreated'];
export type ApiTokenUpdate = Schemas['ApiTokenUpdate'];
export type ApiTokenListParams = Omit<QueryOf<'listApiTokens'>, 'nextPageKey'>;

// ---- metrics ------------------------------------------------------------------------------------------------

export type MetricDescriptor = Omit<Schemas['MetricDescriptor'], 'lastWritten'> & { lastWritten?: number | null };
export type MetricDescriptorCollection = Omit<WithNullableNextPageKey<Schemas['MetricDescriptorCollection']>, 'metrics'> & {
  metrics: MetricDescriptor[];
};

export type MetricSeries = Omit<Schemas['MetricSeries'], 'values' | 'dimensions' | 'dimensionMap'> & {
  values: (number | null)[];
  dimensions: (string | null)[];
  dimensionMap: Record<string, string | null>;
};
export type MetricSeriesCollection = Omit<Schemas['MetricSeriesCollection'], 'data' | 'dataPointCountRatio' | 'dimensionCountRatio'> & {
  data: MetricSeries[];
  dataPointCountRatio?: number;
  dimensionCountRatio?: number;
};
export type MetricData = Omit<WithNullableNextPageKey<Schemas['MetricData']>, 'result' | 'resolution'> & {
  result: MetricSeriesCollection[];
  resolution?: string;
};
export type MetricListParams = Omit<QueryOf<'allMetrics'>, 'nextPageKey'> & {
  /** Newer servers only; not in the 1.254 spec. */
  writtenSinceMode?: 'INCLUDE' | 'EXCLUDE';
};
export type MetricQueryParams = QueryOf<'query'>;

/** One rejected line of a metrics ingest request. */
export interface IngestInvalidLine {
  line?: number;
  error?: string;
}

/** Answer of `POST /metrics/ingest` (202 and 400), absent from the 1.254 spec (docs/dynatrace-api-notes.md §5.5). */
export interface ValidationResponse {
  linesOk?: number;
  linesInvalid?: number;
  error?: { code?: number; message?: string; invalidLines?: IngestInvalidLine[] } | null;
  warnings?: { message?: string; changedMetricKeys?: { line?: number; warning?: string }[] } | null;
}

// ---- entities -----------------------------------------------------------------------------------------------

export type Entity = Schemas['Entity'];
export type EntitiesList = WithNullableNextPageKey<Schemas['EntitiesList']>;
export type EntityType = Schemas['EntityType'];
export type EntityTypeList = WithNullableNextPageKey<Schemas['EntityTypeList']>;
export type EntityListParams = Omit<QueryOf<'getEntities'>, 'nextPageKey'>;
export type EntityGetParams = QueryOf<'getEntity'>;
export type EntityTypeListParams = Omit<QueryOf<'getEntityTypes'>, 'nextPageKey'>;

// ---- problems -----------------------------------------------------------------------------------------------

export type Problem = Schemas['Problem'];
export type Problems = WithNullableNextPageKey<Schemas['Problems']>;
export type ProblemListParams = Omit<QueryOf<'getProblems'>, 'nextPageKey'>;
export type ProblemGetParams = QueryOf<'getProblem'>;

// ---- settings -----------------------------------------------------------------------------------------------

export type SettingsObject = Schemas['SettingsObject'] & { searchSummary?: string };
export type ObjectsList = Omit<WithNullableNextPageKey<Schemas['ObjectsList']>, 'items'> & { items: SettingsObject[] };
export type SettingsObjectListParams = Omit<QueryOf<'getSettingsObjects'>, 'nextPageKey'>;

/** Any paged response: the client only needs the cursor. */
export interface Paged {
  nextPageKey?: string | null;
}
