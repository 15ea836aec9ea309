import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { StoredToken } from '../../platform/storage';

type Page = typeof import('../../platform/tokens') & typeof import('../../platform/token-writes') & typeof import('../../platform/vault') & typeof import('../../platform/vault-admin') & typeof import('../../platform/locks');

/**
 * One "extension page": its own module instances (its own in-page queue), sharing the browser's storage and, like
 * real pages of one extension origin, the Web Locks manager.
 */
async function openPage(): Promise<Page> {
  vi.resetModules();
  return { ...(await import('../../platform/tokens')), ...(await import('../../platform/token-writes')), ...(await import('../../platform/vault')), ...(await import('../../platform/vault-admin')), ...(await import('../../platform/locks')) };
}

/** A minimal Web Locks manager (exclusive and shared modes, FIFO), shared by all "pages" like the browser's. */
function fakeLockManager() {
  const queues = new Map<string, { mode: string; run: () => void }[]>();
  const held = new Map<string, { mode: string; count: number }>();
  const pump = (name: string): void => {
    const queue = queues.get(name) ?? [];
    for (;;) {
      const next = queue[0];
      const current = held.get(name);
      if (next === undefined) return;
      if (current !== undefined && !(current.mode === 'shared' && next.mode === 'shared')) return;
      queue.shift();
      held.set(name, { mode: next.mode, count: (current?.count ?? 0) + 1 });
      next.run();
    }
  };
  return {
    request<T>(name: string, options: { mode?: string }, callback: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        queue.push({
          mode: options.mode ?? 'exclusive',
          run: () => {
            // Let other tasks interleave, as a browser would between pages.
            setTimeout(() => {
              callback().then(resolve, reject).finally(() => {
                const h = held.get(name)!;
                if (h.count <= 1) held.delete(name); else h.count -= 1;
                pump(name);
              });
            }, Math.random() * 2);
          },
        });
        pump(name);
      });
    },
  };
}

function token(i: number, page: string): StoredToken {
  const pub = `${page}${String(i).padStart(23, '0')}`.slice(0, 24).toUpperCase();
  return {
    id: `dt0c01.${pub}`, label: `${page}-${i}`, color: '#1456c7', environmentUrl: 'http://127.0.0.1:8787', owner: `${page}@example.com`,
    name: `${page}-${i}`, personal: true, scopes: [], expiresAt: null, createdAt: i, production: false, lastCheckedAt: i, lastUsedAt: null,
  };
}

const secretFor = (t: StoredToken): string => `${t.id}.${'S'.repeat(64)}`;

describe('concurrent writers in two pages', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('loses nothing: 50 adds from the popup and 50 from the dashboard give 100 entries, each seen by the other', async () => {
    vi.stubGlobal('navigator', { ...navigator, locks: fakeLockManager() });
    const popup = await openPage();
    const dashboard = await openPage();
    expect(popup.hasCrossPageLocks()).toBe(true);
    await popup.createVault('correct horse battery');

    const seenByPopup: number[] = [];
    const seenByDashboard: number[] = [];
    popup.watchTokens((list) => seenByPopup.push(list.length));
    dashboard.watchTokens((list) => seenByDashboard.push(list.length));

    const adds = [
      ...Array.from({ length: 50 }, (_, i) => popup.saveToken(token(i, 'P'), secretFor(token(i, 'P')), { makeActive: false })),
      ...Array.from({ length: 50 }, (_, i) => dashboard.saveToken(token(i, 'D'), secretFor(token(i, 'D')), { makeActive: false })),
    ];
    await Promise.all(adds);

    const final = await popup.getTokens();
    expect(final).toHaveLength(100);
    expect(new Set(final.map((t) => t.id)).size).toBe(100);
    expect((await dashboard.getSecretIds()).length).toBe(100);
    expect(seenByPopup.at(-1)).toBe(100);
    expect(seenByDashboard.at(-1)).toBe(100);
    // Every secret still opens under its own id.
    expect(await dashboard.getSecret(token(7, 'P').id)).toBe(secretFor(token(7, 'P')));
  });

  it('serialises one page\'s own concurrent writers without Web Locks (in-page queue and revision)', async () => {
    vi.stubGlobal('navigator', { ...navigator, locks: null });
    const page = await openPage();
    expect(page.hasCrossPageLocks()).toBe(false);
    await page.createVault('correct horse battery');
    await Promise.all(Array.from({ length: 100 }, (_, i) => page.saveToken(token(i, 'Q'), secretFor(token(i, 'Q')), { makeActive: false })));
    expect(await page.getTokens()).toHaveLength(100);
    expect(await fakeBrowser.storage.local.get('tokensRevision')).toEqual({ tokensRevision: 100 });
  });

  it('removes and adds concurrently without resurrecting or losing entries', async () => {
    vi.stubGlobal('navigator', { ...navigator, locks: fakeLockManager() });
    const popup = await openPage();
    const dashboard = await openPage();
    await popup.createVault('correct horse battery');
    for (let i = 0; i < 10; i += 1) await popup.saveToken(token(i, 'R'), secretFor(token(i, 'R')), { makeActive: false });
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => dashboard.removeToken(token(i, 'R').id)),
      ...Array.from({ length: 10 }, (_, i) => popup.saveToken(token(i, 'N'), secretFor(token(i, 'N')), { makeActive: false })),
    ]);
    const ids = (await popup.getTokens()).map((t) => t.label).sort();
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `N-${i}`).sort());
    expect((await popup.getSecretIds()).sort()).toEqual(Array.from({ length: 10 }, (_, i) => token(i, 'N').id).sort());
  });
});
