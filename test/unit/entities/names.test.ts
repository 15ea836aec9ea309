import { describe, expect, it } from 'vitest';
import { idSelectors, namesById } from '../../../lib/entities/names';
import { checkEntitySelectorLimits, parseEntitySelector } from '../../../lib/selectors';
import type { DynatraceClient } from '../../../lib/dynatrace';

const ids = Array.from({ length: 300 }, (_, i) => `HOST-${i.toString(16).toUpperCase().padStart(16, '0')}`);

describe('names by id', () => {
  it('batches ids into entityId selectors the API accepts, keeping every id once and in order', () => {
    const selectors = idSelectors(ids);
    expect(selectors.length).toBeGreaterThan(1);
    const back: string[] = [];
    for (const s of selectors) {
      expect(checkEntitySelectorLimits(s).ok).toBe(true);
      const parsed = parseEntitySelector(s);
      expect(parsed.ok).toBe(true);
      back.push(...s.slice('entityId('.length, -1).split(',').map((q) => q.slice(1, -1)));
    }
    expect(back).toEqual(ids);
    expect(idSelectors(['HOST-1'])).toEqual(['entityId("HOST-1")']);
  });

  it('returns the names the token sees; an id it cannot see is absent', async () => {
    const asked: string[] = [];
    const client = { entities: { list: async (p: { entitySelector: string }) => {
      asked.push(p.entitySelector);
      const visible = ids.filter((id, i) => i % 2 === 0 && p.entitySelector.includes(`"${id}"`));
      return { entities: visible.map((id) => ({ entityId: id, displayName: `name of ${id}` })) };
    } } } as unknown as DynatraceClient;
    const names = await namesById(client, [...ids, ids[0]!], new AbortController().signal);
    expect(asked.length).toBe(idSelectors(ids).length);
    expect(names.get(ids[0]!)).toBe(`name of ${ids[0]}`);
    expect(names.has(ids[1]!)).toBe(false);
    expect(names.size).toBe(150);
  });
});
