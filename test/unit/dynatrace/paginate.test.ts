/**
 * Paging over nextPageKey: follow-ups carry only the key (Problems: plus fields), null ends, a repeated key or the
 * page cap stops with bad-response.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, paginate } from '../../../lib/dynatrace';
import { API, fakeFetch, json, testClient } from './fake-fetch';

/** Collects an async iterator into an array. */
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Collects until the iterator throws; returns both the items and the error. */
async function collectUntilError<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (error) {
    return { items, error };
  }
  throw new Error('expected the iteration to fail');
}

const entityPage = (ids: string[], nextPageKey: string | null | undefined) => ({
  totalCount: 5,
  pageSize: 2,
  ...(nextPageKey === undefined ? {} : { nextPageKey }),
  entities: ids.map((entityId) => ({ entityId, displayName: entityId })),
});

describe('listAll helpers', () => {
  it('entities.listAll sends the query on the first page and only nextPageKey afterwards; null stops', async () => {
    const { fetch, requests } = fakeFetch(
      json(200, entityPage(['HOST-1', 'HOST-2'], 'AQAAABQBAAAABQ==')),
      json(200, entityPage(['HOST-3', 'HOST-4'], 'KEY+2/x')),
      json(200, entityPage(['HOST-5'], null)),
    );
    const { client } = testClient(fetch);
    const all = await collect(client.entities.listAll({ entitySelector: 'type("HOST")', pageSize: 2, fields: '+tags' }));
    expect(all.map((e) => e.entityId)).toEqual(['HOST-1', 'HOST-2', 'HOST-3', 'HOST-4', 'HOST-5']);
    expect(requests.map((r) => r.url)).toEqual([
      `${API}/entities?entitySelector=type(%22HOST%22)&pageSize=2&fields=%2Btags`,
      `${API}/entities?nextPageKey=AQAAABQBAAAABQ%3D%3D`,
      `${API}/entities?nextPageKey=KEY%2B2%2Fx`,
    ]);
  });

  it('an absent nextPageKey also ends the list', async () => {
    const { fetch, requests } = fakeFetch(json(200, { totalCount: 1, apiTokens: [{ id: 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA' }] }));
    const { client } = testClient(fetch);
    expect(await collect(client.tokens.listAll({ apiTokenSelector: 'personalAccessToken(true)' }))).toHaveLength(1);
    expect(requests).toHaveLength(1);
  });

  it('the string "null" is a key like any other (only a real null ends the list)', async () => {
    const { fetch, requests } = fakeFetch(
      json(200, { totalCount: 2, metrics: [{ metricId: 'a' }], nextPageKey: 'null' }),
      json(200, { totalCount: 2, metrics: [{ metricId: 'b' }], nextPageKey: null }),
    );
    const { client } = testClient(fetch);
    expect((await collect(client.metrics.listAll({ text: 'cpu' }))).map((m) => m.metricId)).toEqual(['a', 'b']);
    expect(requests[1]?.url).toBe(`${API}/metrics?nextPageKey=null`);
  });

  it('problems.listAll repeats fields with the key, and nothing else', async () => {
    const problem = (problemId: string) => ({ problemId, displayId: 'P-1', title: 't' });
    const { fetch, requests } = fakeFetch(
      json(200, { totalCount: 2, problems: [problem('p1')], nextPageKey: 'k1' }),
      json(200, { totalCount: 2, problems: [problem('p2')], nextPageKey: null }),
    );
    const { client } = testClient(fetch);
    const all = await collect(client.problems.listAll({ problemSelector: 'status("open")', fields: '+evidenceDetails', from: 'now-1d' }));
    expect(all.map((p) => p.problemId)).toEqual(['p1', 'p2']);
    expect(requests[1]?.url).toBe(`${API}/problems?nextPageKey=k1&fields=%2BevidenceDetails`);
  });

  it('a follow-up list() call strips everything but the key', async () => {
    const { fetch, requests } = fakeFetch(json(200, entityPage([], null)));
    const { client } = testClient(fetch);
    await client.entities.list({ nextPageKey: 'k', entitySelector: 'type(HOST)' } as { nextPageKey: string });
    expect(requests[0]?.url).toBe(`${API}/entities?nextPageKey=k`);
  });

  it('a repeated key stops with bad-response/repeated-page-key after yielding what arrived', async () => {
    const { fetch, requests } = fakeFetch(
      json(200, entityPage(['HOST-1'], 'k1')),
      json(200, entityPage(['HOST-2'], 'k2')),
      json(200, entityPage(['HOST-3'], 'k1')),
    );
    const { client } = testClient(fetch);
    const { items, error } = await collectUntilError(client.entities.listAll({ entitySelector: 'type(HOST)' }));
    expect(items.map((e) => e.entityId)).toEqual(['HOST-1', 'HOST-2', 'HOST-3']);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'bad-response', reason: 'repeated-page-key', path: '/api/v2/entities' });
    expect(requests).toHaveLength(3);
  });

  it('a key equal to the one just sent stops at once', async () => {
    const { fetch, requests } = fakeFetch(json(200, entityPage(['HOST-1'], 'same')), () => json(200, entityPage(['HOST-2'], 'same')));
    const { client } = testClient(fetch);
    const { error } = await collectUntilError(client.entities.listAll({ entitySelector: 'type(HOST)' }));
    expect(error).toMatchObject({ kind: 'bad-response', reason: 'repeated-page-key' });
    expect(requests).toHaveLength(2);
  });

  it('the page cap (default 100) stops an endless list with bad-response/page-cap', async () => {
    let n = 0;
    const { fetch, requests } = fakeFetch(() => json(200, entityPage([`HOST-${n}`], `key-${n++}`)));
    const { client } = testClient(fetch);
    const { items, error } = await collectUntilError(client.entities.listAll({ entitySelector: 'type(HOST)' }));
    expect(error).toMatchObject({ kind: 'bad-response', reason: 'page-cap' });
    expect(requests).toHaveLength(100);
    expect(items).toHaveLength(100);
  });

  it('the page cap is configurable per call and per client', async () => {
    let n = 0;
    const endless = () => json(200, entityPage([`HOST-${n}`], `key-${n++}`));
    const a = fakeFetch(endless);
    await collectUntilError(testClient(a.fetch).client.entities.listAll({ entitySelector: 'type(HOST)' }, { maxPages: 3 }));
    expect(a.requests).toHaveLength(3);
    const b = fakeFetch(endless);
    await collectUntilError(testClient(b.fetch, { maxPages: 5 }).client.entities.listAll({ entitySelector: 'type(HOST)' }));
    expect(b.requests).toHaveLength(5);
  });

  it('an error on a later page ends the iteration with that ApiError', async () => {
    const { fetch } = fakeFetch(json(200, entityPage(['HOST-1'], 'k1')), json(403, { error: { code: 403, message: 'Token is missing required scope. Use one of: entities.read (Read entities)' } }));
    const { client } = testClient(fetch);
    const { items, error } = await collectUntilError(client.entities.listAll({ entitySelector: 'type(HOST)' }));
    expect(items).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'missing-scope' });
  });

  it('settings objects, entity types and tokens page the same way', async () => {
    const { fetch, requests } = fakeFetch(
      json(200, { totalCount: 2, pageSize: 1, items: [{ objectId: 'o1' }], nextPageKey: 's1' }),
      json(200, { totalCount: 2, pageSize: 1, items: [{ objectId: 'o2' }], nextPageKey: null }),
      json(200, { totalCount: 1, types: [{ type: 'HOST' }], nextPageKey: null }),
    );
    const { client } = testClient(fetch);
    expect(await collect(client.settings.objects.listAll({ schemaIds: 'builtin:alerting.profile' }))).toHaveLength(2);
    expect(await collect(client.entities.typesAll())).toEqual([{ type: 'HOST' }]);
    expect(requests.map((r) => r.url)).toEqual([
      `${API}/settings/objects?schemaIds=builtin%3Aalerting.profile`,
      `${API}/settings/objects?nextPageKey=s1`,
      `${API}/entityTypes`,
    ]);
  });
});

describe('paginate (generic)', () => {
  it('yields pages and passes undefined then each key', async () => {
    const keys: (string | undefined)[] = [];
    const pages = await collect(
      paginate(async (key) => {
        keys.push(key);
        return { n: keys.length, nextPageKey: keys.length < 3 ? `k${keys.length}` : null };
      }),
    );
    expect(pages.map((p) => p.n)).toEqual([1, 2, 3]);
    expect(keys).toEqual([undefined, 'k1', 'k2']);
  });

  it('stops between pages when the signal aborts', async () => {
    const controller = new AbortController();
    const { error } = await collectUntilError(
      paginate(async () => {
        controller.abort();
        return { nextPageKey: 'more' };
      }, { signal: controller.signal }),
    );
    expect(error).toMatchObject({ kind: 'aborted' });
  });
});
