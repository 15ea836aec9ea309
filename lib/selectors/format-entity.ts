/**
 * Writes an entity selector AST back as text. The output is normalised (every value quoted, no
 * white space) and parses back to an equal AST.
 */
import type { EntityCriterion, EntitySelector, TagFilter } from './entity-ast';
import { quote } from './scan';

/**
 * Formats an entity selector; the inverse of `parseEntitySelector`.
 *
 * @example formatEntitySelector({ criteria: [{ kind: 'type', value: 'HOST', entityType: 'HOST' }] }) // 'type("HOST")'
 */
export function formatEntitySelector(selector: EntitySelector): string {
  return selector.criteria.map(formatCriterion).join(',');
}

function list(values: readonly string[]): string {
  return values.map(quote).join(',');
}

function formatCriterion(criterion: EntityCriterion): string {
  switch (criterion.kind) {
    case 'type':
      return `type(${quote(criterion.value)})`;
    case 'entityId':
      return `entityId(${list(criterion.ids)})`;
    case 'entityName': {
      const name = criterion.operator === 'contains' ? 'entityName' : `entityName.${criterion.operator}`;
      const text = `${name}(${list(criterion.values)})`;
      return criterion.caseSensitive ? `caseSensitive(${text})` : text;
    }
    case 'attribute':
      return `${criterion.property}(${list(criterion.values)})`;
    case 'attributeExists':
      return `${criterion.property}.exists()`;
    case 'tag':
      return `tag(${list(criterion.tags.map(formatTag))})`;
    case 'mzId':
      return `mzId(${list(criterion.ids)})`;
    case 'mzName':
      return `mzName(${list(criterion.names)})`;
    case 'healthState':
      return `healthState(${quote(criterion.state)})`;
    case 'firstSeenTms':
      return `firstSeenTms.${criterion.operator}(${quote(criterion.time)})`;
    case 'deletedEntities':
      return `deletedEntities.${criterion.mode}()`;
    case 'relationship':
      return `${criterion.direction}Relationships.${criterion.relation}(${formatEntitySelector(criterion.selector)})`;
    case 'not':
      return `not(${formatCriterion(criterion.criterion)})`;
  }
}

/**
 * `[context]key:value`, escaping what `parseTag` would otherwise read as syntax: backslashes
 * always, and in the key also colons and brackets.
 */
export function formatTag(tag: TagFilter): string {
  const context = tag.context === undefined ? '' : `[${tag.context}]`;
  const key = tag.key.replace(/[\\:[]/g, '\\$&');
  const value = tag.value === undefined ? '' : `:${tag.value.replace(/\\/g, '\\\\')}`;
  return `${context}${key}${value}`;
}
