import { describe, expect, it } from 'vitest';
import { toApiError, type DynatraceClient, type EntitiesList } from '../../../lib/dynatrace';
import { gatherEvidence, type GatherSide } from '../../../lib/explain/gather';
import { parseSubject } from '../../../lib/explain/subject';
import { explainVerdict } from '../../../lib/explain/verdict';

const notFound = () => toApiError({ type: 'response', status: 404, body: JSON.stringify({ error: { code: 404, message: 'Entity not found' } }) }, { method: 'GET', path: '/api/v2/entities/x' });
const entity = (id: string, name: string, zone: string) => ({ entityId: id, displayName: name, type: id.split('-')[0], managementZones: [{ id: '1', name: zone }] });

/** A client over a fixed set of entities, as a token restricted to `zones` sees them; records what it was asked. */
function client(all: ReturnType<typeof entity>[], zones: string[], asked: string[]): DynatraceClient {
  const visible = all.filter((e) => zones.includes(e.managementZones[0]!.name));
  return {
    entities: {
      list: async (p: { entitySelector: string }): Promise<EntitiesList> => {
        asked.push(`list ${p.entitySelector}`);
        const name = /entityName\.equals\("([^"]*)"\)/.exec(p.entitySelector)?.[1];
        const type = /type\("([A-Z_]+)"\)/.exec(p.entitySelector)?.[1];
        const hits = visible.filter((e) => e.type === type && e.displayName.toLowerCase() === name?.toLowerCase());
        return { totalCount: hits.length, pageSize: 50, nextPageKey: null, entities: hits };
      },
      get: async (id: string) => {
        asked.push(`get ${id}`);
        const e = visible.find((x) => x.entityId === id);
        if (!e) throw notFound();
        return e;
      },
    },
  } as unknown as DynatraceClient;
}

const WORLD = [
  entity('HOST-00000000000000A1', 'web-01', 'Production US'),
  entity('SERVICE-00000000000000B1', 'web-01', 'Production US'),
  entity('HOST-00000000000000A2', 'db-01', 'Production US'),
];
const side = (label: string, zones: string[], asked: string[]): GatherSide => ({
  tokenId: label, label, owner: `${label.toLowerCase()}@example.com`, client: client(WORLD, zones, asked),
  reach: { zones, allZones: zones.length === 2, complete: true },
});

describe('gatherEvidence for a name', () => {
  it('offers a choice when the name matches several entities, and reads nothing else', async () => {
    const asked: string[] = [];
    const s = parseSubject('web-01');
    if (!s.ok) throw new Error('subject');
    const r = await gatherEvidence(s.value, side('Analyst', ['Production EU'], []), side('Support', ['Production EU', 'Production US'], asked));
    expect(r.kind).toBe('choose');
    if (r.kind !== 'choose') return;
    expect(r.candidates.map((c) => c.id).sort()).toEqual(['HOST-00000000000000A1', 'SERVICE-00000000000000B1']);
    expect(asked.every((a) => a.startsWith('list '))).toBe(true);
    expect(r.requests).toBe(4);
  });

  it('reads one match by id under both tokens and explains it', async () => {
    const s = parseSubject('DB-01');
    if (!s.ok) throw new Error('subject');
    const mine: string[] = [];
    const r = await gatherEvidence(s.value, side('Analyst', ['Production EU'], mine), side('Support', ['Production EU', 'Production US'], []));
    if (r.kind !== 'evidence') throw new Error('choice');
    expect(mine).toEqual(['get HOST-00000000000000A2']); // the reference resolved the name
    const v = explainVerdict(r.evidence);
    expect(v.sentence).toBe(`HOST-00000000000000A2 (db-01) is in Production US; analyst@example.com's token "Analyst" reaches Production EU only.`);
  });

  it('says no such entity for either token when neither finds the name', async () => {
    const s = parseSubject('nowhere-99');
    if (!s.ok) throw new Error('subject');
    const mine: string[] = [];
    const r = await gatherEvidence(s.value, side('Analyst', ['Production EU'], mine), side('Support', ['Production EU', 'Production US'], []));
    if (r.kind !== 'evidence') throw new Error('choice');
    expect(mine).toHaveLength(4); // looked up with the explained token too
    expect(explainVerdict(r.evidence).cause).toBe('not-found-anywhere');
  });
});
