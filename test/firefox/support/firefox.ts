import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type Target } from 'puppeteer-core';

/** Debian's Firefox ESR; `FIREFOX_PATH` overrides it. Never a downloaded browser. */
export const FIREFOX = process.env.FIREFOX_PATH
  ?? ['/usr/bin/firefox-esr', '/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox'].find(existsSync)
  ?? '/usr/bin/firefox-esr';
/** `E2E=1 wxt build -b firefox` (MV3, wxt.config.ts): every host the suite talks to is a required host permission. */
export const EXTENSION_DIR = path.resolve('.output/firefox-mv3-e2e');

/** A page of the extension, or the page of a tab the extension opened. */
export interface ExtensionPage {
  page: Page;
  /** `location.pathname + location.hash` as the page sees it (`page.url()` stays `about:blank` for extension pages). */
  location(): Promise<string>;
}

export interface LoadedFirefoxExtension {
  browser: Browser;
  /** The gecko id from the built manifest. */
  geckoId: string;
  /** The moz-extension host, chosen before launch. */
  uuid: string;
  origin: string;
  /** Every request URL any page made (Firefox's BiDi reports requests of extension pages too). */
  requestUrls: string[];
  /**
   * Every `console.*` call of every extension page and of the background, as Firefox printed it
   * (`devtools.console.stdout.content`): `console.warn: "…"`. BiDi sends no console events for extension pages.
   */
  consoleLines(): string[];
  /** Everything Firefox printed (stdout and stderr), console lines included. */
  output(): string;
  /** Opens an extension page (`popup.html`, `dashboard.html#/metrics`) in a new tab and waits until it loaded. */
  open(pathAndHash: string): Promise<Page>;
  /** The tab the extension opened itself (e.g. "Open dashboard"), found by its pathname. */
  waitForTab(pathname: string, timeoutMs?: number): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * Answer `permissions.request()` with "Allow" without showing the prompt (Firefox's own test switch
   * `extensions.webextOptionalPermissionPrompts`). A headless browser cannot click the prompt, and the request
   * still has to come from a user gesture and name a host the manifest lists.
   */
  allowPermissionRequests?: boolean;
}

function geckoIdOf(dir: string): string {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`No Firefox e2e build in ${dir}: run "npm run test:e2e:firefox" (it builds first).`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (id === undefined) throw new Error(`${manifestPath} has no browser_specific_settings.gecko.id`);
  return id;
}

/** Waits until the page shows `pathname` and finished loading (navigation promises never settle for moz-extension pages). */
async function waitForLoaded(page: Page, pathname: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (p: string) => location.pathname === p && document.readyState === 'complete',
    { polling: 50, timeout: timeoutMs },
    pathname,
  );
}

/**
 * Launches Debian's Firefox ESR headless over WebDriver BiDi (puppeteer-core) with a fresh profile and installs the
 * e2e build as a temporary add-on. The moz-extension UUID is fixed before launch through
 * `extensions.webextensions.uuids`, because `installExtension` answers with the gecko id only (docs/testing.md,
 * "Real Firefox from Node").
 */
export async function launchFirefoxExtension(options: LaunchOptions = {}): Promise<LoadedFirefoxExtension> {
  const geckoId = geckoIdOf(EXTENSION_DIR);
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // Without it BiDi refuses to navigate to moz-extension:// URLs.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
      'devtools.console.stdout.content': true,
      ...(options.allowPermissionRequests ? { 'extensions.webextOptionalPermissionPrompts': false } : {}),
    },
  });
  let stdout = '';
  browser.process()?.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  browser.process()?.stderr?.on('data', (d: Buffer) => { stdout += d.toString(); });
  const requestUrls: string[] = [];
  const watched = new WeakSet<Page>();
  const watch = (page: Page): Page => {
    if (!watched.has(page)) {
      watched.add(page);
      page.on('request', (r) => { requestUrls.push(r.url()); });
    }
    return page;
  };
  const onTarget = (t: Target): void => { void t.page().then((p) => { if (p) watch(p); }, () => undefined); };
  browser.on('targetcreated', onTarget);
  try {
    const installed = await browser.installExtension(EXTENSION_DIR);
    if (installed !== geckoId) throw new Error(`installed ${installed}, expected ${geckoId}`);
  } catch (e) {
    await browser.close();
    throw e;
  }
  const origin = `moz-extension://${uuid}`;
  return {
    browser, geckoId, uuid, origin, requestUrls,
    consoleLines: () => stdout.split('\n').filter((l) => /^console\.\w+:/.test(l)),
    output: () => stdout,
    async open(pathAndHash) {
      const page = watch(await browser.newPage());
      const url = `${origin}/${pathAndHash.replace(/^\//, '')}`;
      // The navigation promise of a moz-extension URL never settles in Firefox's BiDi: start it, then poll.
      void page.goto(url).catch(() => undefined);
      await waitForLoaded(page, new URL(url).pathname, 10_000);
      return page;
    },
    async waitForTab(pathname, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const page of await browser.pages()) {
          const at = await page.evaluate(() => location.pathname).catch(() => null);
          if (at === pathname) {
            await waitForLoaded(page, pathname, Math.max(1, deadline - Date.now()));
            return watch(page);
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no tab at ${pathname} within ${timeoutMs} ms`);
    },
    close: () => browser.close(),
  };
}

/** What `browser.storage.<area>.get(null)` holds, read from an extension page (there is no background-page handle). */
export async function readStorage(page: Page, area: 'local' | 'session'): Promise<Record<string, unknown>> {
  return page.evaluate(async (a: 'local' | 'session') => {
    const g = globalThis as unknown as { browser: { storage: Record<string, { get(k: null): Promise<Record<string, unknown>> }> } };
    return g.browser.storage[a]!.get(null);
  }, area);
}
