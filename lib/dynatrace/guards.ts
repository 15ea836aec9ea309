/**
 * Hand-written structural guards for the response bodies the client returns (no ajv: bundle size). They check
 * what the UI relies on (arrays are arrays, ids are strings, the cursor is a string or null), not every field.
 * A body that fails its guard becomes an ApiError of kind `bad-response`/`schema`.
 */
import type {
  ApiToken,
  ApiTokenCreated,
  ApiTokenList,
  EntitiesList,
  Entity,
  EntityType,
  EntityTypeList,
  MetricData,
  MetricDescriptor,
  MetricDescriptorCollection,
  ObjectsList,
  Problem,
  Problems,
  ValidationResponse,
} from './types';
import { isTokenFormat } from './token-format';

/** A guard that also says what is wrong, for the error's `detail`. `undefined` means the value is fine. */
export type Check = (value: unknown) => string | undefined;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `nextPageKey`: absent, null or a non-empty string. */
function checkPageKey(body: Record<string, unknown>): string | undefined {
  const key = body.nextPageKey;
  if (key === undefined || key === null) return undefined;
  return isString(key) && key !== '' ? undefined : 'nextPageKey is neither a non-empty string nor null';
}

/** Checks `body[field]` is an array whose items pass `item`. */
function checkArray(body: Record<string, unknown>, field: string, item: Check): string | undefined {
  const list = body[field];
  if (!Array.isArray(list)) return `${field} is not an array`;
  for (let i = 0; i < list.length; i += 1) {
    const problem = item(list[i]);
    if (problem !== undefined) return `${field}[${i}]: ${problem}`;
  }
  return undefined;
}

const withStringId = (field: string): Check => (v) =>
  isRecord(v) && isString(v[field]) ? undefined : `not an object with a string ${field}`;

/** Builds a check for a paged list: object, cursor, item array. */
const pagedList = (field: string, item: Check): Check => (v) => {
  if (!isRecord(v)) return 'not a JSON object';
  return checkPageKey(v) ?? checkArray(v, field, item);
};

export const checkApiToken: Check = withStringId('id');
export const checkApiTokenList: Check = pagedList('apiTokens', checkApiToken);
export const checkApiTokenCreated: Check = (v) => {
  if (!isRecord(v) || !isString(v.id)) return 'not an object with a string id';
  return isString(v.token) && isTokenFormat(v.token) ? undefined : 'token is missing or not a dt0c01 token';
};

export const checkMetricDescriptor: Check = withStringId('metricId');
export const checkMetricDescriptorCollection: Check = pagedList('metrics', checkMetricDescriptor);

const checkSeries: Check = (v) => {
  if (!isRecord(v)) return 'not an object';
  const { timestamps, values } = v;
  if (!Array.isArray(timestamps) || !timestamps.every(isNumber)) return 'timestamps is not an array of numbers';
  if (!Array.isArray(values) || !values.every((x) => x === null || isNumber(x))) {
    return 'values is not an array of numbers or null';
  }
  if (values.length !== timestamps.length) return 'timestamps and values differ in length';
  if (v.dimensionMap !== undefined && !isRecord(v.dimensionMap)) return 'dimensionMap is not an object';
  if (v.dimensions !== undefined && !Array.isArray(v.dimensions)) return 'dimensions is not an array';
  return undefined;
};

const checkSeriesCollection: Check = (v) => {
  if (!isRecord(v) || !isString(v.metricId)) return 'not an object with a string metricId';
  return checkArray(v, 'data', checkSeries);
};

export const checkMetricData: Check = (v) => {
  if (!isRecord(v)) return 'not a JSON object';
  return checkPageKey(v) ?? checkArray(v, 'result', checkSeriesCollection);
};

export const checkEntity: Check = withStringId('entityId');
export const checkEntitiesList: Check = pagedList('entities', checkEntity);
export const checkEntityType: Check = withStringId('type');
export const checkEntityTypeList: Check = pagedList('types', checkEntityType);

export const checkProblem: Check = withStringId('problemId');
export const checkProblems: Check = pagedList('problems', checkProblem);

export const checkObjectsList: Check = pagedList('items', (v) => (isRecord(v) ? undefined : 'not an object'));

export const checkValidationResponse: Check = (v) => {
  if (!isRecord(v)) return 'not a JSON object';
  if (v.linesOk !== undefined && !isNumber(v.linesOk)) return 'linesOk is not a number';
  if (v.linesInvalid !== undefined && !isNumber(v.linesInvalid)) return 'linesInvalid is not a number';
  return undefined;
};

/** Pairs a check with the type it establishes, so the client can return a typed value. */
export interface Guard<T> {
  readonly check: Check;
  /** Phantom field for inference only. */
  readonly _type?: T;
}

const guard = <T>(check: Check): Guard<T> => ({ check });

export const guards = {
  apiToken: guard<ApiToken>(checkApiToken),
  apiTokenList: guard<ApiTokenList>(checkApiTokenList),
  apiTokenCreated: guard<ApiTokenCreated>(checkApiTokenCreated),
  metricDescriptor: guard<MetricDescriptor>(checkMetricDescriptor),
  metricDescriptorCollection: guard<MetricDescriptorCollection>(checkMetricDescriptorCollection),
  metricData: guard<MetricData>(checkMetricData),
  entity: guard<Entity>(checkEntity),
  entitiesList: guard<EntitiesList>(checkEntitiesList),
  entityType: guard<EntityType>(checkEntityType),
  entityTypeList: guard<EntityTypeList>(checkEntityTypeList),
  problem: guard<Problem>(checkProblem),
  problems: guard<Problems>(checkProblems),
  objectsList: guard<ObjectsList>(checkObjectsList),
  validationResponse: guard<ValidationResponse>(checkValidationResponse),
} as const;
