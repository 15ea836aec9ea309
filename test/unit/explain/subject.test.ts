import { describe, expect, it } from 'vitest';
import { parseSubject } from '../../../lib/explain/subject';

describe('parseSubject: what the "Entity, problem or selector" box holds', () => {
  it.each([
    ['HOST-0990886B7D39FE29', 'entity-id'],
    ['  SERVICE-1125C375A187D27A ', 'entity-id'],
    ['-1719139739592062093_1623004451641V2', 'problem-id'],
    ['1719139739592062093_1623004451641V2', 'problem-id'],
    ['P-210617', 'problem-display-id'],
    ['prd-us-web-01', 'entity-name'],
    ['nginx (prd-eu-web-01)', 'entity-name'],
    ['Web shop EU', 'entity-name'],
    ['DB-01', 'entity-name'],
    ['type("HOST"),mzName("Production US")', 'selector'],
    ['entityId("HOST-0990886B7D39FE29")', 'selector'],
  ])('%s is a %s', (input, kind) => {
    const r = parseSubject(input);
    expect(r.ok && r.value.kind).toBe(kind);
  });

  it.each([
    ['', 0, /Enter an entity id/],
    ['HOST-0990886B7D39FE2', 20, /ends before its 16 hexadecimal digits \(at position 21\)/],
    ['HOST-0990886B7D39FEZ9', 19, /only hexadecimal digits .* \(at position 20\)/],
    ['HOST-0990886B7D39FE29A', 21, /longer than 16 hexadecimal digits/],
    ['CUSTOM_THING-0990886B7D39', 25, /ends before its 16 hexadecimal digits/],
    [' HOST-12', 8, /not an entity id .*\(at position 9\)/],
    ['P-21X617', 4, /not a problem display id.*\(at position 5\)/],
    ['-17191_16230V3', 12, /not a problem id.*\(at position 13\)/],
    ['123_', 4, /not a problem id/],
    ['type(HOST', 9, /expected a closing parenthesis .*\(at position 10\)/],
    ['tag("x")', 0, /needs a type\(…\) or an entityId\(…\) criterion \(at position 1\)/],
  ])('refuses %j at offset %i, naming the position', (input, offset, message) => {
    const r = parseSubject(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.offset).toBe(offset);
    expect(r.error.message).toMatch(message);
  });
});
