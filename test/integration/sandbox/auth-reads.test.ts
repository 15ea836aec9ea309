import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createApp } from '../../../sandbox/app';
import { openDatabase, type Db } from '../../../sandbox/db/database';
import { deleteUser, findUser, replaceGrants } from '../../../sandbox/identity';
import { prepareDatabase } from '../../../sandbox/server';
import { putSettings } from '../../../sandbox/settings';
import { mintToken, updateToken, deleteToken } from '../../../sandbox/tokens';
import { tempDir } from '../../helpers/spawn-sandbox';
import { DEMO, T0 } from '../../helpers/sandbox';

const HOSTS = '/api/v2/entities?entitySelector=type(HOST)&pageSize=500';

/**
 * Authentication remembers its reads while the database is unchanged (sandbox/auth/reads.ts). Every change,
 * made through this app's connection or by another connection to the same file (a second sandbox process),
 * must apply to the very next request.
 */
describe('remembered authentication reads', () => {
  let dir: string;
  let db: Db;
  let other: Db;
  let app: ReturnType<typeof createApp>['app'];
  let token: string;
  let tokenId: string;
  const get = async (t = token) => app.request(HOSTS, { headers: { authorization: `Api-Token ${t}` } });
  const hostCount = async () => ((await (await get()).json()) as { totalCount: number }).totalCount;

  beforeEach(async () => {
    dir = tempDir('auth-reads-');
    const file = path.join(dir, 'sandbox.db');
    const prepared = prepareDatabase(file, { seed: 7, world: 'demo', now: T0 });
    db = prepared.db;
    ({ app } = createApp({ db, world: prepared.world, clock: () => T0, adminKey: 'k' }));
    other = openDatabase(file);
    const u = findUser(db, DEMO.analyst)!;
    const minted = mintToken(db, T0, { name: 't', scopes: ['entities.read'], personal: true, userId: u.id, owner: u.email, expiresAt: null });
    token = minted.token;
    tokenId = minted.id;
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200); // warm
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const via of ['this connection', 'another connection'] as const) {
    const conn = () => (via === 'this connection' ? db : other);

    it(`refuses a token disabled through ${via} on the next request`, async () => {
      updateToken(conn(), tokenId, T0, { enabled: false });
      expect((await get()).status).toBe(401);
      updateToken(conn(), tokenId, T0, { enabled: true });
      expect((await get()).status).toBe(200);
    });

    it(`refuses a token deleted through ${via} on the next request`, async () => {
      deleteToken(conn(), tokenId);
      expect((await get()).status).toBe(401);
    });

    it(`refuses every token of a user deleted through ${via} on the next request`, async () => {
      deleteUser(conn(), DEMO.analyst);
      expect((await get()).status).toBe(401);
    });

    it(`applies a grant changed through ${via} on the next request`, async () => {
      const before = await hostCount();
      replaceGrants(conn(), DEMO.analyst, [{ role: 'viewer', zones: '*' }]);
      const wider = await hostCount();
      expect(wider).toBeGreaterThan(before);
      replaceGrants(conn(), DEMO.analyst, []);
      expect((await get()).status).toBe(403);
    });

    it(`refuses PATs switched off through ${via} on the next request`, async () => {
      putSettings(conn(), { patEnabled: false });
      expect((await get()).status).toBe(401);
      putSettings(conn(), { patEnabled: true });
      expect((await get()).status).toBe(200);
    });
  }
});
