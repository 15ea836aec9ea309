import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, tempDir, type SandboxProcess } from '../helpers/spawn-sandbox';
import { PopupPage } from './pages/PopupPage';
import { DashboardPage } from './pages/DashboardPage';
import { launchExtension, type LoadedExtension } from './support/extension';
import { axeViolations } from './support/axe';

const KEY = 'e2e-dashboard-admin-key';
const PASSPHRASE = 'e2e dashboard passphrase';
const READ = ['metrics.read', 'entities.read', 'problems.read', 'apiTokens.read'];
const US_CPU = 'builtin:host.cpu.usage:splitBy("dt.entity.host")';

/** The dashboard against a real sandbox: inline permission errors, live switching, pinned tabs, board and inspector. */
describe('the dashboard in Chromium against the sandbox', () => {
  let sb: SandboxProcess;
  let ext: LoadedExtension;
  let popup: PopupPage;
  let analyst: { id: string; token: string };
  let support: { id: string; token: string };
  const downloads = tempDir('e2e-downloads-');

  const mint = async (email: string, scopes: string[]) => (await (await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'e2e dashboard', scopes })).json()) as { id: string; token: string };
  /** Makes a token active from the popup (its "Use" button is disabled while it already is). */
  const use = async (label: string) => {
    await popup.page.bringToFront();
    const button = popup.useButton(label);
    if (await button.isEnabled()) await button.click();
    await popup.item(label).and(popup.page.locator('[aria-current="true"]')).waitFor();
  };
  const openDashboard = async (hash = '/metrics') => new DashboardPage(await ext.open(`dashboard.html#${hash}`));

  beforeAll(async () => {
    sb = await spawnSandbox(['--db', ':memory:', '--admin-key', KEY]);
    analyst = await mint('analyst@example.com', READ);
    support = await mint('support@example.com', [...READ, 'settings.read']);
    ext = await launchExtension();
    popup = new PopupPage(await ext.open('popup.html'));
    await popup.createVault(PASSPHRASE);
    await popup.addToken(sb.url, analyst.token, 'EU analyst');
    await popup.item('EU analyst').waitFor();
    await popup.addToken(sb.url, support.token, 'Support');
    await popup.item('Support').waitFor();
    await use('EU analyst');
  });
  afterAll(async () => {
    await ext?.close();
    await sb?.stop();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('explains a foreign zone inline by name, and draws an in-zone chart', async () => {
    const dash = await openDashboard();
    await dash.identity().getByText('EU analyst', { exact: true }).waitFor();
    await dash.page.getByText('Entity and management zone filters').click();
    await dash.zoneSelector().fill('mzName("Production US")');
    await dash.metricQuery(US_CPU);
    const alert = dash.alerts().filter({ hasText: 'Production US' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/analyst@example\.com/);
    await dash.zoneSelector().fill('mzName("Production EU")');
    await dash.runQuery().click();
    await dash.chart().waitFor();
    expect(await dash.alerts().count()).toBe(0);
    // The canvas really painted.
    const painted = await dash.chart().evaluate((c) => {
      const canvas = c as unknown as { width: number; height: number; getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(1000);
    expect(await axeViolations(dash.page)).toEqual([]);
    await dash.page.close();
  });

  it("lists only the token's hosts in the entities view", async () => {
    const dash = await openDashboard('/entities?es=type(HOST)');
    await dash.rows().first().waitFor();
    const zones = await dash.page.locator('table.entities tbody tr td:nth-child(3)').allTextContents();
    expect(zones.length).toBeGreaterThan(0);
    expect(new Set(zones)).toEqual(new Set(['Production EU']));
    expect(await axeViolations(dash.page)).toEqual([]);
    await dash.page.close();
  });

  it('follows a switch made in the popup, and the same query then succeeds; a pinned tab keeps its token', async () => {
    const follower = await openDashboard();
    const pinned = await openDashboard(`/metrics?token=${encodeURIComponent(analyst.id)}`);
    await pinned.identity().getByText('pinned to this tab').waitFor();
    await follower.page.bringToFront();
    await follower.identity().getByText('EU analyst', { exact: true }).waitFor();
    await follower.page.getByText('Entity and management zone filters').click();
    await follower.zoneSelector().fill('mzName("Production US")');
    await follower.metricQuery(US_CPU);
    await follower.alerts().filter({ hasText: 'Production US' }).waitFor();
    await use('Support');
    await follower.identity().getByText('Support', { exact: true }).waitFor({ timeout: 2000 });
    await follower.chart().waitFor();
    expect(await follower.alerts().count()).toBe(0);
    expect(await pinned.identity().textContent()).toContain('EU analyst');
    await follower.page.close();
    await pinned.page.close();
    await use('EU analyst');
  });

  it("never shows the old token's slow answer after a switch", async () => {
    const dash = await openDashboard();
    await dash.identity().getByText('EU analyst', { exact: true }).waitFor();
    // Every series count the chart ever shows is recorded.
    await dash.page.evaluate(() => {
      const g = globalThis as unknown as { __seen: string[]; document: { body: unknown; querySelectorAll(s: string): { textContent: string | null }[] }; MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void } };
      g.__seen = [];
      new g.MutationObserver(() => {
        for (const el of g.document.querySelectorAll('.metric-chart figcaption .muted')) if (el.textContent) g.__seen.push(el.textContent);
      }).observe(g.document.body, { subtree: true, childList: true, characterData: true });
    });
    await adminFetch(sb.url, KEY, '/faults', 'PUT', { latencyMs: 2000 });
    await dash.metricQuery(US_CPU);
    await dash.page.waitForTimeout(50);
    await adminFetch(sb.url, KEY, '/faults', 'PUT', { latencyMs: 0 });
    await use('Support');
    await dash.identity().getByText('Support', { exact: true }).waitFor();
    await dash.chart().waitFor();
    await dash.page.waitForTimeout(2500); // past the old answer's arrival
    const seen = await dash.page.evaluate(() => (globalThis as unknown as { __seen: string[] }).__seen);
    const counts = new Set(seen.map((s) => Number(/^(\d+) series/.exec(s)?.[1])));
    // Support sees the hosts of all four zones; the EU analyst's answer (fewer hosts) must never appear.
    const supportHosts = Number((await dash.page.locator('.metric-chart figcaption .muted').textContent())?.match(/^(\d+)/)?.[1]);
    expect(supportHosts).toBeGreaterThan(6);
    expect([...counts]).toEqual([supportHosts]);
    await dash.page.close();
    await use('EU analyst');
  });

  it('keeps a board of three tiles where one is outside the zone: two charts, one alert', async () => {
    const dash = await openDashboard();
    await dash.identity().getByText('EU analyst', { exact: true }).waitFor();
    const pin = async (selector: string, zone: string) => {
      await dash.typeSelector(selector);
      const filters = dash.page.getByText('Entity and management zone filters');
      if (!(await dash.zoneSelector().isVisible())) await filters.click();
      await dash.zoneSelector().fill(zone);
      await dash.pinToBoard().click();
      await dash.page.getByRole('status').filter({ hasText: 'Pinned' }).waitFor();
    };
    await pin('builtin:host.cpu.usage:splitBy("dt.entity.host")', '');
    await pin('builtin:host.mem.usage:splitBy("dt.entity.host")', 'mzName("Production EU")');
    await pin('builtin:host.cpu.usage:avg', 'mzName("Production US")');
    await dash.goTo('Overview');
    await dash.page.locator('article.tile').nth(2).waitFor();
    await dash.page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('article.tile [aria-busy="true"]').length === 0);
    await dash.page.getByRole('img', { name: /^Chart of / }).nth(1).waitFor();
    expect(await dash.page.getByRole('img', { name: /^Chart of / }).count()).toBe(2);
    const alerts = dash.page.locator('article.tile').getByRole('alert');
    expect(await alerts.count()).toBe(1);
    expect(await alerts.first().textContent()).toContain('Production US');
    expect(await axeViolations(dash.page)).toEqual([]);
    await dash.page.close();
  });

  it('inspects the EU analyst (one zone, a missing scope), compares with support, and exports a report without the secret', async () => {
    const dash = await openDashboard('/inspector');
    await dash.page.getByRole('combobox', { name: 'Token to inspect' }).selectOption({ label: 'EU analyst — analyst@example.com' });
    await dash.page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: 'Support — support@example.com' });
    await dash.page.getByRole('button', { name: 'Inspect' }).click();
    const mine = dash.page.getByRole('article', { name: 'Inspection of EU analyst' });
    await mine.waitFor({ timeout: 30_000 });
    expect(await mine.getByRole('table', { name: 'Zones of EU analyst' }).locator('tbody th').allTextContents()).toEqual(['Production EU']);
    expect(await mine.getByRole('row', { name: /Settings read/ }).textContent()).toContain('missing scope settings.read');
    const differences = dash.page.getByRole('region', { name: 'Differences' });
    expect(await differences.textContent()).toMatch(/only in Support: Production US, Shared Services, Staging/);
    const download = dash.page.waitForEvent('download');
    await mine.getByRole('button', { name: 'Download Markdown report' }).click();
    const file = await (await download).path();
    const report = readFileSync(file, 'utf8');
    expect(report).toContain(analyst.id);
    expect(report).not.toContain(analyst.token.split('.')[2]);
    expect(report).toContain('missing scope settings.read');
    expect(await axeViolations(dash.page)).toEqual([]);
    await dash.page.close();
  });

  it('sent no secret in any URL or console line', () => {
    for (const t of [analyst.token, support.token]) {
      const secret = t.split('.')[2]!;
      expect(ext.requestUrls.filter((u) => u.includes(secret))).toEqual([]);
      expect(ext.consoleLines.filter((l) => l.includes(secret))).toEqual([]);
    }
  });
});
