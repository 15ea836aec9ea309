import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { StoredTokenV1 } from '../../platform/storage';

/** Seeds raw storage the way a v1 build left it (no version metadata: v1 is the implicit first version). */
async function seedV1(list: unknown): Promise<void> {
  await fakeBrowser.storage.local.set({ tokens: list });
}

/** A fresh module instance: item definitions (and so migrations) run again, as on extension start. */
async function start() {
  vi.resetModules();
  const storage = await import('../../platform/storage');
  const tokens = await import('../../platform/tokens');
  const writes = await import('../../platform/token-writes');
  const storageWrites = await import('../../platform/storage-writes');
  return { ...storage, ...tokens, ...writes, ...storageWrites };
}

const v1: StoredTokenV1[] = [
  {
    id: 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX', label: 'Admin', environment: 'http://127.0.0.1:8787/api/v2/', owner: 'admin@example.com',
    name: 'admin token', personalAccessToken: true, scopes: ['metrics.read'], expirationDate: '2026-12-31T00:00:00.000Z',
    creationDate: '2026-01-01T00:00:00.000Z', lastChecked: '2026-05-01T00:00:00.000Z',
  },
  {
    id: 'dt0c01.ZYXWVUTSRQPONMLKJIHGFEDC', label: 'Tenant', environment: 'abc12345.live.dynatrace.com', owner: 'me@example.com',
    name: 'tenant', personalAccessToken: true, scopes: [], expirationDate: null,
    creationDate: '2026-02-01T00:00:00.000Z', lastChecked: '2026-05-02T00:00:00.000Z',
  },
];

describe('token list migrations', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  it('turns seeded v1 data into the v2 shape with version metadata 2', async () => {
    await seedV1(v1);
    const { tokensItem, getTokens, isStoredToken } = await start();
    // A read issued while the migration runs resolves to the migrated value.
    const list = await getTokens();
    expect(list).toEqual([
      {
        id: 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX', label: 'Admin', color: '#1456c7', environmentUrl: 'http://127.0.0.1:8787',
        owner: 'admin@example.com', name: 'admin token', personal: true, scopes: ['metrics.read'],
        expiresAt: Date.parse('2026-12-31T00:00:00.000Z'), createdAt: Date.parse('2026-01-01T00:00:00.000Z'),
        production: false, lastCheckedAt: Date.parse('2026-05-01T00:00:00.000Z'), lastUsedAt: null,
      },
      expect.objectContaining({ environmentUrl: 'https://abc12345.live.dynatrace.com', expiresAt: null, color: '#0f7b3f' }),
    ]);
    expect(list.every(isStoredToken)).toBe(true);
    expect(await tokensItem.getMeta()).toEqual({ v: 2 });
    expect(await fakeBrowser.storage.local.get('tokens$')).toEqual({ 'tokens$': { v: 2 } });
  });

  it('leaves value and version unchanged when the migration throws, and refuses to write over it', async () => {
    const broken = [{ ...v1[0], environment: 'not a url at all' }];
    await seedV1(broken);
    const { tokensItem, getTokens, saveToken, StorageMigrationError } = await start();
    expect(await tokensItem.getValue()).toEqual(broken);
    expect(await tokensItem.getMeta()).toEqual({});
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ tokens: broken });
    // Unreadable entries are not shown as tokens...
    expect(await getTokens()).toEqual([]);
    // ...and nothing overwrites them, so a fixed build can still migrate them.
    await expect(saveToken({
      id: 'dt0c01.QQQQQQQQQQQQQQQQQQQQQQQQ', label: 'x', color: '#000000', environmentUrl: 'http://127.0.0.1:8787', owner: 'o',
      name: 'n', personal: true, scopes: [], expiresAt: null, createdAt: 1, production: false, lastCheckedAt: 1, lastUsedAt: null,
    }, 'dt0c01.QQQQQQQQQQQQQQQQQQQQQQQQ.' + 'Q'.repeat(64))).rejects.toBeInstanceOf(StorageMigrationError);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ tokens: broken });
  });

  it('does not migrate current data again, and the first write records the version', async () => {
    const { writeLocal, tokensItem } = await start();
    const current = [{
      id: 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX', label: 'x', color: '#000000', environmentUrl: 'http://127.0.0.1:8787', owner: 'o',
      name: 'n', personal: true, scopes: [], expiresAt: null, createdAt: 1, production: false, lastCheckedAt: 1, lastUsedAt: null,
    }];
    await writeLocal([[tokensItem, current]]);
    expect(await fakeBrowser.storage.local.get('tokens$')).toEqual({ 'tokens$': { v: 2 } });
    const again = await start();
    expect(await again.tokensItem.getValue()).toEqual(current);
  });

  it('migrates an empty v1 list', async () => {
    await seedV1([]);
    const { tokensItem } = await start();
    expect(await tokensItem.getValue()).toEqual([]);
    expect(await tokensItem.getMeta()).toEqual({ v: 2 });
  });

  it.each([
    ['not an array', { a: 1 }],
    ['an entry with a bad date', [{ ...v1[0], creationDate: 'yesterday' }]],
  ])('keeps %s untouched', async (_what, value) => {
    await seedV1(value);
    const { tokensItem } = await start();
    expect(await tokensItem.getValue()).toEqual(value);
    expect(await tokensItem.getMeta()).toEqual({});
  });
});
