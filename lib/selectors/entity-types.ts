/** Entity type names as the selectors write them. */

const DIMENSION_PREFIX = 'dt.entity.';

/**
 * The entity type a `type(…)` value names. The metrics docs write entity types as dimension keys
 * (`type("dt.entity.host")`) while the entities API uses `HOST`; both mean the same type, so the
 * dimension form maps to its upper-cased suffix. Other values are kept exactly as written:
 * Dynatrace type names are upper case, and guessing a case for `host` would hide a user error.
 */
export function normalizeEntityType(value: string): string {
  return value.startsWith(DIMENSION_PREFIX) && value.length > DIMENSION_PREFIX.length
    ? value.slice(DIMENSION_PREFIX.length).toUpperCase()
    : value;
}

/**
 * The entity type encoded in an entity id (`HOST-82F576674F19AC16` → `HOST`), or `undefined`
 * when the id does not have the observed `<TYPE>-<16 hex>` shape.
 */
export function entityTypeOfId(id: string): string | undefined {
  const dash = id.lastIndexOf('-');
  if (dash <= 0 || id.length - dash - 1 !== 16) return undefined;
  const type = id.slice(0, dash);
  const hex = id.slice(dash + 1);
  return /^[A-Z][A-Z0-9_]*$/.test(type) && /^[0-9A-F]{16}$/.test(hex) ? type : undefined;
}
