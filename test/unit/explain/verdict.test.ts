import { describe, expect, it } from 'vitest';
import { parseSubject, type Subject } from '../../../lib/explain/subject';
import { explainVerdict, type Answer, type Evidence, type ObjectFacts, type ReadError, type Verdict, type ZoneReach } from '../../../lib/explain/verdict';

const subject = (input: string): Subject => {
  const r = parseSubject(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const HOST = 'HOST-00000000000000A1';
const host = (zones: string[], id = HOST, name = 'prd-us-web-01'): ObjectFacts => ({ id, kind: 'entity', name, type: 'HOST', zones });
const err = (kind: ReadError['kind'], extra: Partial<ReadError> = {}): ReadError => ({ kind, message: `the ${kind} sentence`, ...extra });
const obj = (r: ObjectFacts | ReadError): Answer => ({ kind: 'object', read: 'kind' in r && r.kind !== 'entity' && r.kind !== 'problem' ? { ok: false, error: r as ReadError } : { ok: true, value: r as ObjectFacts } });
const lst = (r: ObjectFacts[] | ReadError, truncated = false): Answer => ({ kind: 'list', read: Array.isArray(r) ? { ok: true, value: { entities: r, truncated } } : { ok: false, error: r } });
const EU: ZoneReach = { zones: ['Production EU'], allZones: false, complete: true };
const ALL: ZoneReach = { zones: ['Production EU', 'Production US', 'Shared Services', 'Staging'], allZones: true, complete: true };

function evidence(input: string, explained: Answer, reference: Answer | null, reach: { ex?: ZoneReach | null; ref?: ZoneReach | null } = {}): Evidence {
  return {
    subject: subject(input),
    explained: { tokenId: 'a', label: 'EU analyst', owner: 'analyst@example.com', reach: reach.ex === undefined ? EU : reach.ex, ...(reach.ex === null ? { reachError: 'its inspection failed: Timed out' } : {}), answer: explained },
    reference: reference ? { tokenId: 's', label: 'Support', owner: 'support@example.com', reach: reach.ref === undefined ? ALL : reach.ref, answer: reference } : null,
    trail: ['GET … as "EU analyst": 404'], requests: 2,
  };
}

type Row = [string, Evidence, Partial<Omit<Verdict, 'sentence' | 'why'>> & { sentence?: string | RegExp; why?: string | RegExp }];
const rows: Row[] = [
  ['the explained token sees it', evidence(HOST, obj(host(['Production EU'])), obj(host(['Production EU']))),
    { cause: 'visible', visible: true, sentence: `analyst@example.com's token "EU analyst" can see ${HOST} (prd-us-web-01), in Production EU.` }],
  ['a foreign zone, read through the reference', evidence(HOST, obj(err('not-found')), obj(host(['Production US']))),
    { cause: 'outside-zones', visible: false, outsideZones: ['Production US'], objectZones: ['Production US'], zonesReadBy: 'Support',
      sentence: `${HOST} (prd-us-web-01) is in Production US; analyst@example.com's token "EU analyst" reaches Production EU only.` }],
  ['a foreign zone, the explained zones unknown', evidence(HOST, obj(err('not-found')), obj(host(['Staging'])), { ex: null }),
    { cause: 'outside-zones', explainedZones: null, sentence: /is in Staging; .* does not reach it \(its zones are not known: its inspection failed: Timed out\)\.$/ }],
  ['zones only seen, not counted by an inspection', evidence(HOST, obj(err('not-found')), obj(host(['Staging'])), { ex: { ...EU, complete: false } }),
    { cause: 'outside-zones', sentence: /reaches Production EU \(at least: the zones it was seen in\)\.$/ }],
  ['known zones contradict the 404', evidence(HOST, obj(err('not-found')), obj(host(['Production EU', 'Staging']))),
    { cause: 'cannot-tell', visible: null, why: /is known to reach Production EU, where "Support" sees it, yet the API answers "not found"/ }],
  ['404 for both, the reference reaches every zone', evidence(HOST, obj(err('not-found')), obj(err('not-found'))),
    { cause: 'not-found-anywhere', visible: false, sentence: /^No such entity for either token: neither "EU analyst" nor "Support", which reaches every management zone known in this environment \(Production EU, Production US, Shared Services and Staging\), finds HOST-/ }],
  ['404 for both, the reference lists all its zones but misses one another token reaches', evidence(HOST, obj(err('not-found')), obj(err('not-found')), { ref: { zones: ['Staging'], allZones: true, complete: true } }),
    { cause: 'cannot-tell', why: /zones known in this environment: Production EU and Staging/ }],
  ['404 for both, the reference is restricted', evidence(HOST, obj(err('not-found')), obj(err('not-found')), { ref: { ...EU, zones: ['Staging'] } }),
    { cause: 'cannot-tell', why: /Neither "EU analyst" nor "Support" finds it: it may not exist, or it is in a zone neither token reaches \("Support" is known to reach Staging only/ }],
  ['404 for both, the reference reach unknown', evidence(HOST, obj(err('not-found')), obj(err('not-found')), { ref: null }),
    { cause: 'cannot-tell', why: /known to reach zones that are not known/ }],
  ['404 without a reference token', evidence(HOST, obj(err('not-found')), null),
    { cause: 'cannot-tell', why: /there is no reference token of this environment/ }],
  ['404, the reference fails too', evidence(HOST, obj(err('not-found')), obj(err('missing-scope', { scopes: ['entities.read'] }))),
    { cause: 'cannot-tell', why: /the reference token "Support" could not read it either: the missing-scope sentence/ }],
  ['the reference sees it without a zone', evidence(HOST, obj(err('not-found')), obj(host([]))),
    { cause: 'cannot-tell', why: /no management zone of it/ }],
  ['a missing scope', evidence(HOST, obj(err('missing-scope', { scopes: ['entities.read'] })), obj(host(['Production US']))),
    { cause: 'missing-scope', missingScopes: ['entities.read'], sentence: `analyst@example.com's token "EU analyst" lacks the scope entities.read, which reading entities needs.` }],
  ['a missing scope for a problem', evidence('-1_2V2', obj(err('missing-scope', { scopes: ['problems.read'] })), null),
    { cause: 'missing-scope', sentence: /lacks the scope problems\.read, which reading problems needs\.$/ }],
  ['the owner lacks the permission', evidence(HOST, obj(err('owner-permission', { user: 'analyst@example.com', permission: 'viewer' })), null),
    { cause: 'owner-permission', sentence: /^analyst@example\.com lacks the permission "viewer" needed to read entities/ }],
  ['a PAT on an old API', evidence(HOST, obj(err('pat-v1-only')), null), { cause: 'pat-v1-only', sentence: /only on API v2/ }],
  ['PATs switched off', evidence(HOST, obj(err('pat-disabled')), obj(err('pat-disabled'))), { cause: 'pat-disabled', sentence: /^Personal access tokens are disabled in this environment/ }],
  ['an expired token', evidence(HOST, obj(err('token-expired')), null), { cause: 'token-expired', sentence: /has expired/ }],
  ['an invalid token', evidence(HOST, obj(err('token-invalid')), null), { cause: 'token-invalid', sentence: /does not accept/ }],
  ['a timeout', evidence(HOST, obj(err('timeout')), obj(host(['Production US']))), { cause: 'cannot-tell', why: 'Reading it as "EU analyst" failed: the timeout sentence' }],
  ['rate limited', evidence(HOST, obj(err('rate-limited')), obj(host(['Production US']))), { cause: 'cannot-tell', why: /the rate-limited sentence/ }],
  ['a selector naming a foreign zone (reject mode)', evidence('type("HOST"),mzName("Production US")', lst(err('zone-denied', { zone: 'Production US', user: 'analyst@example.com' })), lst([host(['Production US'])])),
    { cause: 'outside-zones', outsideZones: ['Production US'], sentence: /names the management zone "Production US", which is outside the zones of analyst@example\.com; .* reaches Production EU only\.$/ }],
  ['a selector: the difference set, by zone', evidence('type("HOST")', lst([host(['Production EU'], 'HOST-00000000000000E1')]),
    lst([host(['Production EU'], 'HOST-00000000000000E1'), host(['Production US'], 'HOST-00000000000000A1'), host(['Production US'], 'HOST-00000000000000A2'), host(['Staging'], 'HOST-00000000000000A3')])),
    { cause: 'outside-zones', outsideZones: ['Production US', 'Staging'],
      sentence: `3 of the 4 entities matching type("HOST") are visible only to "Support": they are in Production US (2) and Staging (1); analyst@example.com's token "EU analyst" reaches Production EU only.` }],
  ['a selector: part of the difference is in a zone the token reaches', evidence('type("HOST")', lst([]), lst([host(['Production US'], 'HOST-00000000000000A1'), host(['Production EU'], 'HOST-00000000000000A2')])),
    { cause: 'outside-zones', sentence: /1 of them are in zones it is known to reach: for those the answers do not tell why\.$/ }],
  ['a selector: all of the difference in reached zones', evidence('type("HOST")', lst([]), lst([host(['Production EU'], 'HOST-00000000000000A2')])),
    { cause: 'cannot-tell', why: /yet they are in zones "EU analyst" is known to reach \(Production EU\)/ }],
  ['a selector: no difference', evidence('type("HOST")', lst([host(['Production EU'])]), lst([host(['Production EU'])])),
    { cause: 'visible', visible: true, sentence: /sees the one entity matching type\("HOST"\) that "Support" sees\.$/ }],
  ['a selector: the reference fails', evidence('type("HOST")', lst([host(['Production EU'])]), lst(err('server'))),
    { cause: 'cannot-tell', why: /"EU analyst" sees 1 of them, but the reference token "Support" could not list them: the server sentence/ }],
  ['a selector without a reference', evidence('type("HOST")', lst([host(['Production EU'])]), null),
    { cause: 'cannot-tell', why: /without a reference token/ }],
  ['a selector, the explained zones unknown', evidence('type("HOST")', lst([]), lst([host(['Staging'])]), { ex: null }),
    { cause: 'cannot-tell', why: /the zones "EU analyst" reaches are not known: its inspection failed/ }],
];

describe('explainVerdict: one cause from the answers', () => {
  it.each(rows)('%s', (_name, ev, expected) => {
    const v = explainVerdict(ev);
    const { sentence, why, ...rest } = expected;
    expect(v).toMatchObject(rest);
    if (typeof sentence === 'string') expect(v.sentence).toBe(sentence);
    else if (sentence) expect(v.sentence).toMatch(sentence);
    if (typeof why === 'string') expect(v.why).toBe(why);
    else if (why) expect(v.why).toMatch(why);
    // A verdict either settles the question or says why it cannot; it never guesses.
    if (v.cause === 'cannot-tell') expect(v.visible).toBeNull();
    else expect(v.why).toBeUndefined();
    expect(v.trail).toEqual(ev.trail);
  });

  it('covers every cause', () => {
    const seen = new Set(rows.map(([, ev]) => explainVerdict(ev).cause));
    expect([...seen].sort()).toEqual(['cannot-tell', 'missing-scope', 'not-found-anywhere', 'outside-zones', 'owner-permission', 'pat-disabled', 'pat-v1-only', 'token-expired', 'token-invalid', 'visible']);
  });
});
