/**
 * The entity selector as data (`type("HOST"),tag("env:prod"),not(healthState("HEALTHY"))`).
 *
 * Criteria are AND-ed; within one criterion the listed values are OR-ed ("any of"), as the
 * Dynatrace docs describe. The AST holds no source offsets so that it can be compared and
 * round-tripped with plain deep equality.
 */

/** A whole entity selector: criteria that must all hold. Never empty when produced by the parser. */
export interface EntitySelector {
  readonly criteria: readonly EntityCriterion[];
}

/** One comma-separated part of an entity selector; switch on `kind`. */
export type EntityCriterion =
  | TypeCriterion
  | EntityIdCriterion
  | EntityNameCriterion
  | AttributeCriterion
  | AttributeExistsCriterion
  | TagCriterion
  | MzIdCriterion
  | MzNameCriterion
  | HealthStateCriterion
  | FirstSeenCriterion
  | DeletedEntitiesCriterion
  | RelationshipCriterion
  | NotCriterion;

/** `type("HOST")`, `type(HOST)` or `type("dt.entity.host")`. */
export interface TypeCriterion {
  readonly kind: 'type';
  /** The value as written, e.g. `dt.entity.host`. */
  readonly value: string;
  /** The entity type it names, e.g. `HOST` (see `normalizeEntityType`). */
  readonly entityType: string;
}

/** `entityId("HOST-1","HOST-2")`: the entity is one of these. */
export interface EntityIdCriterion {
  readonly kind: 'entityId';
  readonly ids: readonly string[];
}

/** How `entityName` compares: `entityName(…)` is "contains", the others are spelled out. */
export type EntityNameOperator = 'contains' | 'equals' | 'startsWith' | 'in';

/** All {@link EntityNameOperator} values. */
export const ENTITY_NAME_OPERATORS = ['contains', 'equals', 'startsWith', 'in'] as const satisfies readonly EntityNameOperator[];

/**
 * `entityName("x")` (contains), `entityName.equals("x")`, `entityName.startsWith("x")`,
 * `entityName.in("a","b")` (equals any), optionally wrapped in `caseSensitive(…)`.
 * `values` has exactly one element except for `in`.
 */
export interface EntityNameCriterion {
  readonly kind: 'entityName';
  readonly operator: EntityNameOperator;
  readonly values: readonly string[];
  /** True when written inside `caseSensitive(…)`; Dynatrace compares names case-insensitively otherwise. */
  readonly caseSensitive: boolean;
}

/** `<property>("v1","v2")`: the property equals one of the values (case-sensitive). */
export interface AttributeCriterion {
  readonly kind: 'attribute';
  readonly property: string;
  readonly values: readonly string[];
}

/** `<property>.exists()`: the entity has the property. */
export interface AttributeExistsCriterion {
  readonly kind: 'attributeExists';
  readonly property: string;
}

/** `tag("[context]key:value","key:value","key")`: the entity has any of the tags. */
export interface TagCriterion {
  readonly kind: 'tag';
  readonly tags: readonly TagFilter[];
}

/**
 * One tag as written in `tag(…)`. `context` is only present when written as `[context]…`;
 * `value` only when a (possibly empty) value followed an unescaped colon.
 */
export interface TagFilter {
  readonly context?: string;
  readonly key: string;
  readonly value?: string;
}

/** `mzId(123,"-456")`: the entity is in one of the management zones (ids are decimal strings, may be negative). */
export interface MzIdCriterion {
  readonly kind: 'mzId';
  readonly ids: readonly string[];
}

/** `mzName("a","b")`: the entity is in one of the named management zones (case-sensitive). */
export interface MzNameCriterion {
  readonly kind: 'mzName';
  readonly names: readonly string[];
}

/** Values of `healthState(…)`. */
export type HealthState = 'HEALTHY' | 'UNHEALTHY';

/** All {@link HealthState} values. */
export const HEALTH_STATES = ['HEALTHY', 'UNHEALTHY'] as const satisfies readonly HealthState[];

/** `healthState("HEALTHY")`. */
export interface HealthStateCriterion {
  readonly kind: 'healthState';
  readonly state: HealthState;
}

/** Comparisons of `firstSeenTms.<op>(…)`. */
export type FirstSeenOperator = 'lt' | 'lte' | 'gt' | 'gte';

/** All {@link FirstSeenOperator} values. */
export const FIRST_SEEN_OPERATORS = ['lt', 'lte', 'gt', 'gte'] as const satisfies readonly FirstSeenOperator[];

/**
 * `firstSeenTms.lte(now-3d)`. `time` is kept as written (epoch ms, ISO-like date or `now-…`,
 * see §0.2 of the API notes) because resolving it needs a clock; the parser only checks its form.
 */
export interface FirstSeenCriterion {
  readonly kind: 'firstSeenTms';
  readonly operator: FirstSeenOperator;
  readonly time: string;
}

/** `deletedEntities.include()` / `deletedEntities.exclude()` (the default). */
export interface DeletedEntitiesCriterion {
  readonly kind: 'deletedEntities';
  readonly mode: 'include' | 'exclude';
}

/**
 * `fromRelationships.<relation>(<selector>)` / `toRelationships.<relation>(<selector>)`:
 * the entity has a relationship of that name to (from) / from (to) an entity matching `selector`.
 */
export interface RelationshipCriterion {
  readonly kind: 'relationship';
  readonly direction: 'from' | 'to';
  readonly relation: string;
  readonly selector: EntitySelector;
}

/** `not(<criterion>)`; `type` can never be negated, which the type reflects. */
export interface NotCriterion {
  readonly kind: 'not';
  readonly criterion: Exclude<EntityCriterion, TypeCriterion>;
}
