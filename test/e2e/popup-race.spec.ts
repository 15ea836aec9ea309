import path from 'node:path';
import type { Page } from 'playwright-core';
import { build, type Plugin } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PopupPage } from './pages/PopupPage';
import { launchExtension, type LoadedExtension } from './support/extension';

/**
 * Requirement 12: the popup and a dashboard tab each add 50 tokens at the same time; none is lost, and each page
 * sees the other's changes through `watch` within a second.
 *
 * Both pages run `platform/tokens.ts` and `platform/token-writes.ts` themselves, bundled here as an IIFE and evaluated in the two real extension pages
 * (over CDP, which the page's CSP does not govern), so the writes use the real `chrome.storage` and the browser's
 * Web Locks shared by the extension's pages.
 */
const HARNESS_ID = 'virtual:tokenscope-race-harness';

function harnessPlugin(): Plugin {
  const tokens = path.resolve('platform/tokens.ts');
  const writes = path.resolve('platform/token-writes.ts');
  return {
    name: 'race-harness',
    enforce: 'pre',
    // Lib mode may hand the entry over resolved against the root.
    resolveId: (id) => (id.endsWith(HARNESS_ID) ? `\0${HARNESS_ID}` : null),
    load: (id) => (id === `\0${HARNESS_ID}`
      ? `import { getTokens, watchTokens } from ${JSON.stringify(tokens)};
         import { saveToken } from ${JSON.stringify(writes)};
         const seen = [];
         watchTokens((list) => seen.push({ at: Date.now(), ids: list.map((t) => t.id) }));
         globalThis.__race = { getTokens, saveToken, seen, locks: typeof navigator.locks?.request === 'function' };`
      : null),
  };
}

async function bundleHarness(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [harnessPlugin()],
    build: { write: false, minify: false, lib: { entry: HARNESS_ID, formats: ['iife'], name: 'TokenscopeRaceHarness', fileName: 'harness' } },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if ('output' in o) {
      const chunk = o.output.find((c) => c.type === 'chunk');
      if (chunk && chunk.type === 'chunk') return chunk.code;
    }
  }
  throw new Error('The race harness did not bundle.');
}

interface RaceGlobals {
  __race: {
    saveToken(token: object, secret: string, options: object): Promise<unknown>;
    getTokens(): Promise<{ id: string }[]>;
    seen: { at: number; ids: string[] }[];
    locks: boolean;
  };
}

/** Adds `count` synthetic tokens from inside `page`, all started at once; resolves when all are written. */
function addMany(page: Page, prefix: string, count: number): Promise<number> {
  return page.evaluate(async ({ prefix, count }) => {
    const race = (globalThis as unknown as RaceGlobals).__race;
    const jobs = Array.from({ length: count }, (_, i) => {
      const pub = `${prefix}${String(i).padStart(24 - prefix.length, '0')}`;
      const id = `dt0c01.${pub}`;
      return race.saveToken({
        id, label: `${prefix}-${i}`, color: '#1456c7', environmentUrl: 'http://127.0.0.1:8787', owner: `${prefix.toLowerCase()}@example.com`,
        name: `${prefix}-${i}`, personal: true, scopes: [], expiresAt: null, createdAt: i, production: false, lastCheckedAt: i, lastUsedAt: null,
      }, `${id}.${'R'.repeat(64)}`, { makeActive: false });
    });
    await Promise.all(jobs);
    return Date.now();
  }, { prefix, count });
}

describe('two extension pages writing the token list at once', () => {
  let ext: LoadedExtension;
  let harness: string;

  beforeAll(async () => {
    harness = await bundleHarness();
    ext = await launchExtension();
  });

  afterAll(async () => {
    await ext?.close();
  });

  it('popup and dashboard tab add 50 tokens each: all 100 land, and each page sees the other within a second', async () => {
    const popup = new PopupPage(await ext.open('popup.html'));
    await popup.passphrase().waitFor();
    await popup.createVault('race correct horse');
    const dashboard = await ext.open('dashboard.html');
    await dashboard.waitForLoadState('domcontentloaded');

    for (const page of [popup.page, dashboard]) {
      await page.evaluate(harness);
      expect(await page.evaluate(() => (globalThis as unknown as RaceGlobals).__race.locks)).toBe(true);
    }

    const [popupDone, dashboardDone] = await Promise.all([addMany(popup.page, 'POP', 50), addMany(dashboard, 'DSH', 50)]);

    const stored = (await ext.worker.evaluate(async () => {
      const area = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local;
      return { tokens: (await area.get('tokens')).tokens, secrets: (await area.get('secrets')).secrets };
    })) as { tokens: { id: string }[]; secrets: Record<string, unknown> };
    expect(stored.tokens).toHaveLength(100);
    expect(new Set(stored.tokens.map((t) => t.id)).size).toBe(100);
    expect(Object.keys(stored.secrets)).toHaveLength(100);

    // Each page's watch saw the other page's last token within a second of that page finishing.
    const lastPop = 'dt0c01.POP000000000000000000049';
    const lastDsh = 'dt0c01.DSH000000000000000000049';
    const seenAt = async (page: Page, id: string) => page.evaluate((wanted) => {
      const hit = (globalThis as unknown as RaceGlobals).__race.seen.find((s) => s.ids.includes(wanted));
      return hit?.at ?? null;
    }, id);
    await expect.poll(() => seenAt(dashboard, lastPop), { timeout: 1000 }).not.toBeNull();
    await expect.poll(() => seenAt(popup.page, lastDsh), { timeout: 1000 }).not.toBeNull();
    expect((await seenAt(dashboard, lastPop))! - popupDone).toBeLessThan(1000);
    expect((await seenAt(popup.page, lastDsh))! - dashboardDone).toBeLessThan(1000);

    // The popup's own list follows too.
    await expect.poll(() => popup.tokenList().getByRole('listitem').count(), { timeout: 5000 }).toBe(100);
  });
});
