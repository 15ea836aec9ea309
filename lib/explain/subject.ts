/**
 * What support asks about in "Explain access": an entity id, an entity name, a problem id (or its `P-…` display
 * id) or an entity selector. {@link parseSubject} tells them apart without sending anything, and refuses input that
 * looks like an id but is none, or a selector that does not parse, with the position of the problem.
 */
import { checkEntitySelectorLimits, parseEntitySelector, type EntitySelector } from '../selectors';
import type { ParseResult } from '../selectors';

/** Entity ids as Dynatrace writes them (docs/dynatrace-api-notes.md §7.3): `HOST-0990886B7D39FE29`. */
export const ENTITY_ID = /^[A-Z][A-Z0-9_]*-[0-9A-F]{16}$/;
/** Problem ids (docs/dynatrace-api-notes.md §8.2): `-1719139739592062093_1623004451641V2`. */
export const PROBLEM_ID = /^-?\d{1,20}_\d{1,15}V2$/;
/** Problem display ids: `P-210617`. */
export const PROBLEM_DISPLAY_ID = /^P-\d{1,15}$/;

export type Subject =
  | { kind: 'entity-id'; id: string; input: string }
  | { kind: 'entity-name'; name: string; input: string }
  | { kind: 'problem-id'; id: string; input: string }
  | { kind: 'problem-display-id'; displayId: string; input: string }
  | { kind: 'selector'; selector: string; ast: EntitySelector; input: string };

/** How the explanation names what it explains: "HOST-…", "problem P-…", "entities matching type(HOST)". */
export function subjectText(s: Subject): string {
  switch (s.kind) {
    case 'entity-id': return s.id;
    case 'entity-name': return `the entity named "${s.name}"`;
    case 'problem-id': return `problem ${s.id}`;
    case 'problem-display-id': return `problem ${s.displayId}`;
    case 'selector': return `the entities matching ${s.selector}`;
  }
}

/** Entity types whose prefix makes `HOST-12` a mistyped id rather than a name; other prefixes need a long tail. */
const ID_PREFIXES = ['HOST', 'SERVICE', 'PROCESS_GROUP', 'PROCESS_GROUP_INSTANCE', 'APPLICATION', 'DISK', 'CUSTOM_DEVICE', 'SYNTHETIC_TEST', 'HTTP_CHECK', 'MOBILE_APPLICATION', 'KUBERNETES_CLUSTER', 'CLOUD_APPLICATION'];

/** Shaped like an id (upper-case type, a dash, no spaces) but not one; `DB-01` stays a name. */
function looksLikeEntityId(input: string): boolean {
  const m = /^([A-Z][A-Z0-9_]*)-(\S*)$/.exec(input);
  if (!m || /[a-z]/.test(input)) return false;
  return ID_PREFIXES.includes(m[1]!) || m[2]!.length >= 12;
}

const fail = (message: string, offset: number): ParseResult<Subject> => ({ ok: false, error: { message: `${message} (at position ${offset + 1})`, offset } });

/** Where an id-shaped value stops being one: the first character after `start` that `ok` refuses, else `length`. */
function firstBad(value: string, start: number, ok: RegExp, length: number): { offset: number; reason: 'char' | 'short' | 'long' } {
  for (let i = start; i < value.length && i < start + length; i++) if (!ok.test(value[i]!)) return { offset: i, reason: 'char' };
  if (value.length < start + length) return { offset: value.length, reason: 'short' };
  return { offset: start + length, reason: 'long' };
}

/**
 * Classifies the text of the "Entity, problem or selector" box. A selector starts with a criterion and its
 * parenthesis (`type(`, `entityName.equals(`): a name such as `nginx (prd-eu-web-01)` is a name, not a selector.
 * Errors carry a 0-based offset and name the 1-based position in their message.
 */
export function parseSubject(raw: string): ParseResult<Subject> {
  const input = raw.trim();
  const lead = raw.length - raw.trimStart().length;
  if (input === '') return fail('Enter an entity id (HOST-…), an entity name, a problem id or an entity selector', 0);
  if (ENTITY_ID.test(input)) return { ok: true, value: { kind: 'entity-id', id: input, input } };
  if (PROBLEM_ID.test(input)) return { ok: true, value: { kind: 'problem-id', id: input, input } };
  if (PROBLEM_DISPLAY_ID.test(input)) return { ok: true, value: { kind: 'problem-display-id', displayId: input, input } };

  // Shaped like a problem id (digits and an underscore) but not one.
  if (/^-?\d+_/.test(input) && !/\s/.test(input)) {
    const digits = input.startsWith('-') ? 1 : 0;
    const underscore = input.indexOf('_');
    let offset = input.length;
    for (let i = digits; i < underscore; i++) if (!/\d/.test(input[i]!)) { offset = i; break; }
    if (offset === input.length) {
      const rest = /^\d*/.exec(input.slice(underscore + 1))![0].length + underscore + 1;
      offset = input.slice(rest, rest + 2) === 'V2' && rest + 2 < input.length ? rest + 2 : rest;
    }
    return fail(`"${input}" is not a problem id: a problem id is <number>_<epoch milliseconds>V2`, lead + offset);
  }
  // Shaped like an id (TYPE-… without spaces) but not one.
  if (/^P-\S*$/.test(input)) {
    const bad = /\D/.exec(input.slice(2));
    return fail(`"${input}" is not a problem display id: it is P- followed by digits`, lead + (bad ? 2 + bad.index : input.length));
  }
  if (looksLikeEntityId(input)) {
    const dash = input.indexOf('-');
    const at = firstBad(input, dash + 1, /[0-9A-F]/, 16);
    const why = at.reason === 'char' ? 'only hexadecimal digits 0-9 and A-F may follow the dash'
      : at.reason === 'short' ? 'it ends before its 16 hexadecimal digits' : 'it is longer than 16 hexadecimal digits';
    return fail(`"${input}" is not an entity id (TYPE-<16 hexadecimal digits>): ${why}`, lead + at.offset);
  }

  if (/^[A-Za-z][\w.]*\(/.test(input)) {
    const limits = checkEntitySelectorLimits(input);
    if (!limits.ok) return fail(limits.error.message, lead + limits.error.offset);
    const parsed = parseEntitySelector(input);
    if (!parsed.ok) return fail(`The entity selector does not parse: ${parsed.error.message}`, lead + parsed.error.offset);
    const typed = parsed.value.criteria.some((c) => c.kind === 'type' || c.kind === 'entityId');
    if (!typed) return fail('An entity selector needs a type(...) or entityId(...) criterion', lead);
    return { ok: true, value: { kind: 'selector', selector: input, ast: parsed.value, input } };
  }
  return { ok: true, value: { kind: 'entity-name', name: input, input } };
}
