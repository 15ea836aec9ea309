import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../helpers/spawn-sandbox';
import { DashboardPage } from './pages/DashboardPage';
import { PopupPage } from './pages/PopupPage';
import { launchFirefoxExtension, readStorage, type LoadedFirefoxExtension } from './support/firefox';

const ADMIN_KEY = 'e2e-firefox-admin-key';
const PASSPHRASE = 'e2e firefox passphrase';
const READ = ['metrics.read', 'entities.read', 'problems.read', 'apiTokens.read'];
const CPU_KEY = 'builtin:host.cpu.usage';
const CPU = `${CPU_KEY}:splitBy("dt.entity.host")`;

interface Minted { id: string; token: string }

/** The 64-character secret part and every 12-character window of it: "no substring of the secret". */
function secretNeedles(token: string): string[] {
  const secret = token.slice(token.lastIndexOf('.') + 1);
  const out = [secret];
  for (let i = 0; i + 12 <= secret.length; i += 4) out.push(secret.slice(i, i + 12));
  return out;
}

/** The ids (never the secrets) of the tokens whose secret shows up in `haystack`. */
function leaks(haystack: string, tokens: readonly Minted[]): string[] {
  return tokens.filter((t) => secretNeedles(t.token).some((needle) => haystack.includes(needle))).map((t) => t.id);
}

/**
 * The core journeys (docs/firefox.md) in Debian's Firefox ESR, headless, over WebDriver BiDi: one browser launch and
 * one sandbox for the whole file, so the steps run in order and each builds on the one before (as a user's session
 * does). The popup is opened as a tab; the dashboard is the tab the popup's "Open dashboard" opens.
 */
describe('Tokenscope in Firefox ESR against the sandbox', () => {
  let sandbox: SandboxProcess;
  let ext: LoadedFirefoxExtension;
  let popup: PopupPage;
  let dash: DashboardPage;
  let analyst: Minted;
  let support: Minted;
  let host: string;

  const mint = async (email: string, scopes: string[]): Promise<Minted> => {
    const res = await adminFetch(sandbox.url, ADMIN_KEY, `/users/${email}/tokens`, 'POST', { name: 'e2e firefox', scopes });
    expect(res.status).toBe(201);
    return (await res.json()) as Minted;
  };
  const front = async (page: Page): Promise<void> => { await page.bringToFront(); };

  beforeAll(async () => {
    sandbox = await spawnSandbox(['--db', ':memory:', '--admin-key', ADMIN_KEY]);
    host = new URL(sandbox.url).host;
    [analyst, support] = await Promise.all([mint('analyst@example.com', READ), mint('support@example.com', READ)]);
    ext = await launchFirefoxExtension({ allowPermissionRequests: true });
    popup = new PopupPage(await ext.open('popup.html'));
  });
  afterAll(async () => {
    await ext?.close();
    await sandbox?.stop();
  });

  it('creates the vault and adds two sandbox tokens: secrets sealed in storage.local, the key only in storage.session', async () => {
    await popup.createVault(PASSPHRASE);
    await popup.addToken(sandbox.url, analyst.token, 'EU analyst');
    await popup.addToken(sandbox.url, support.token, 'Support');
    expect(await popup.labels()).toEqual(expect.arrayContaining(['EU analyst', 'Support']));

    const local = await readStorage(popup.page, 'local');
    const session = await readStorage(popup.page, 'session');
    // Both are stored (their ids and sealed secrets are there) ...
    const localText = JSON.stringify(local);
    expect(localText).toContain(analyst.id);
    expect(localText).toContain(support.id);
    expect(Object.keys(local.secrets as object)).toHaveLength(2);
    // ... but no secret, not even a piece of one; the vault key is in storage.session and nowhere in storage.local.
    expect(leaks(localText, [analyst, support])).toEqual([]);
    expect(leaks(JSON.stringify(session), [analyst, support])).toEqual([]);
    expect(typeof session.vaultKey).toBe('string');
    expect(localText).not.toContain(session.vaultKey as string);
    expect(local).not.toHaveProperty('vaultKey');
  });

  it('switches the active token with "Use <label>"', async () => {
    // The first token stored becomes the active one.
    expect(await popup.activeLabel()).toBe('EU analyst');
    await popup.use('Support');
    expect(await popup.activeLabel()).toBe('Support');
    await popup.use('EU analyst');
    expect(await popup.activeLabel()).toBe('EU analyst');
  });

  it('opens the dashboard from the popup and draws an in-zone metric chart, retrying once through a 503 it logs', async () => {
    await click(PopupPage.openDashboard);
    dash = new DashboardPage(await ext.waitForTab('/dashboard.html'));
    await dash.goTo('Metrics');
    // One injected 503: the client retries (and logs that, redacted), the second attempt answers.
    await setFaults({ errorRate: 1 });
    await dash.metricQuery(CPU, 'mzName("Production EU")');
    await waitFor(() => ext.consoleLines().some((l) => l.includes('retry 1/')), 'the retry log line');
    await setFaults(null);
    const chart = await dash.chart(CPU_KEY);
    expect(await dash.paintedPixels(chart)).toBeGreaterThan(1000);
    expect(await dash.alerts()).toEqual([]);
  });

  it('names the foreign zone in an inline alert when a query asks for it', async () => {
    await dash.metricQuery(CPU, 'mzName("Production US")');
    const alert = await dash.alertContaining('Production US');
    expect(alert).toContain('analyst@example.com');
  });

  it("lists only the token's own zone in Entities", async () => {
    await dash.goTo('Entities');
    const zones = await dash.entityZones('type(HOST)');
    expect(zones.length).toBeGreaterThan(0);
    expect(new Set(zones)).toEqual(new Set(['Production EU']));
  });

  it('offers "Grant access to <host>" when the host permission is withdrawn, and works again once it is granted', async () => {
    await front(popup.page);
    expect(await popup.hasGrantAccess(host)).toBe(false);
    // What about:addons → Permissions does: Firefox MV3 lets the user withdraw any host permission, listed ones too.
    expect(await setHostPermission(popup.page, false)).toBe(false);
    await waitFor(() => popup.hasGrantAccess(host), `"Grant access to ${host}"`);
    // The dashboard says why a query cannot run instead of failing on a network error.
    await front(dash.page);
    await dash.goTo('Metrics');
    await dash.metricQuery(CPU, 'mzName("Production EU")');
    expect(await dash.alertContaining('no access')).toContain(new URL(sandbox.url).origin);

    await front(popup.page);
    await click(PopupPage.grantAccess(host));
    await waitFor(async () => !(await popup.hasGrantAccess(host)), 'the grant button to go away');
    expect(await setHostPermission(popup.page)).toBe(true);
    await front(dash.page);
    await dash.metricQuery(CPU, 'mzName("Production EU")');
    await waitFor(async () => (await dash.alerts()).length === 0, 'the alert to go away');
    expect(await dash.paintedPixels(await dash.chart(CPU_KEY))).toBeGreaterThan(1000);
  });

  it('never puts a token secret into a request URL or a log line', () => {
    const apiCalls = ext.requestUrls.filter((u) => u.startsWith(`${sandbox.url}/api/v2/`));
    // The collectors saw the journey's traffic and its logs (so an empty result below means something) ...
    expect(apiCalls.some((u) => u.includes('/api/v2/metrics/query?'))).toBe(true);
    expect(ext.consoleLines().length).toBeGreaterThan(0);
    // ... and no secret in any of it, nor in what the sandbox printed.
    expect(leaks(ext.requestUrls.join('\n'), [analyst, support])).toEqual([]);
    expect(leaks(ext.output(), [analyst, support])).toEqual([]);
    expect(leaks(sandbox.output(), [analyst, support])).toEqual([]);
  });

  it('"Forget all" in Settings erases every token, the salt and the verifier', async () => {
    await front(popup.page);
    await popup.forgetAll();
    const local = await readStorage(popup.page, 'local');
    // Token records, sealed secrets, the active token, and the vault header (salt and verifier).
    for (const key of ['tokens', 'secrets', 'activeTokenId', 'vault']) expect(local).not.toHaveProperty(key);
    expect(leaks(JSON.stringify(local), [analyst, support])).toEqual([]);
    expect(await readStorage(popup.page, 'session')).not.toHaveProperty('vaultKey');
  });

  // ---- helpers over the shared state -------------------------------------------------------------------------------

  async function click(selector: string): Promise<void> {
    await popup.page.locator(selector).click();
  }

  async function setFaults(faults: { errorRate: number } | null): Promise<void> {
    const res = faults === null
      ? await adminFetch(sandbox.url, ADMIN_KEY, '/faults', 'DELETE')
      : await adminFetch(sandbox.url, ADMIN_KEY, '/faults', 'PUT', faults);
    expect(res.ok).toBe(true);
  }

  /** Withdraws (`false`) the loopback host permission or just reads it (`undefined`); resolves whether it is held. */
  async function setHostPermission(page: Page, grant?: false): Promise<boolean> {
    return page.evaluate(async (withdraw: boolean) => {
      const p = (globalThis as unknown as { browser: { permissions: {
        remove(x: { origins: string[] }): Promise<boolean>;
        contains(x: { origins: string[] }): Promise<boolean>;
      } } }).browser.permissions;
      if (withdraw) await p.remove({ origins: ['http://127.0.0.1/*'] });
      return p.contains({ origins: ['http://127.0.0.1/*'] });
    }, grant === false);
  }
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
