import { chromium, type BrowserContext, type ConsoleMessage, type Page, type Worker } from 'playwright-core';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where Debian's Chromium lives; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find(existsSync) ?? '/usr/bin/chromium';
export const EXTENSION_DIR = path.resolve('.output/chrome-mv3-e2e');

export interface LoadedExtension {
  context: BrowserContext;
  extensionId: string;
  /** Every console line of every page, for the no-secret-in-logs checks. */
  consoleLines: string[];
  /** Every request URL any page made. */
  requestUrls: string[];
  open(pathAndHash: string): Promise<Page>;
  close(): Promise<void>;
  /** The extension's service worker, e.g. to read `chrome.storage` with `worker.evaluate`. */
  worker: Worker;
  /** Every console line of the service worker (also pushed to `consoleLines`). */
  workerConsoleLines: string[];
}

/** Options of {@link launchExtension}. */
export interface LaunchOptions {
  /**
   * A profile directory to keep (e.g. to inspect `Default/Local Extension Settings/<id>` on disk afterwards).
   * Default: a fresh temporary profile that Playwright deletes on close.
   */
  userDataDir?: string;
  /** `prefers-color-scheme` of every page (screenshots in light and dark). */
  colorScheme?: 'light' | 'dark';
  /** Window size of every page (default Playwright's 1280×720). */
  viewport?: { width: number; height: number };
}

/**
 * Launches the e2e build of the extension in headless Chromium with a fresh profile.
 * Flags follow docs/testing.md: without the background-networking ones Chromium keeps
 * trying to reach Google's hosts, which this network refuses.
 */
export async function launchExtension(options: LaunchOptions = {}): Promise<LoadedExtension> {
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No e2e build in ${EXTENSION_DIR}: run "npm run build:e2e" first.`);
  }
  const context = await chromium.launchPersistentContext(options.userDataDir ?? '', {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.colorScheme === undefined ? {} : { colorScheme: options.colorScheme }),
    ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const consoleLines: string[] = [];
  const requestUrls: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m: ConsoleMessage) => consoleLines.push(m.text()));
    page.on('pageerror', (e) => consoleLines.push(String(e)));
    page.on('request', (r) => requestUrls.push(r.url()));
  };
  context.on('page', watch);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const workerConsoleLines: string[] = [];
  worker.on('console', (m: ConsoleMessage) => {
    workerConsoleLines.push(m.text());
    consoleLines.push(m.text());
  });
  return {
    context,
    extensionId,
    consoleLines,
    requestUrls,
    async open(pathAndHash) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${pathAndHash.replace(/^\//, '')}`);
      return page;
    },
    close: () => context.close(),
    worker,
    workerConsoleLines,
  };
}
