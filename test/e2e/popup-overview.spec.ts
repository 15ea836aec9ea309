import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../helpers/spawn-sandbox';
import { DashboardPage } from './pages/DashboardPage';
import { PopupPage } from './pages/PopupPage';
import { axeViolations } from './support/axe';
import { launchExtension, type LoadedExtension } from './support/extension';

const KEY = 'e2e-popup-overview-admin-key';
const READ = ['metrics.read', 'entities.read', 'problems.read'];
const US_CPU = 'builtin:host.cpu.usage:avg';
const MEM = 'builtin:host.mem.usage:avg';

/** The analyst's overview in the toolbar: tiles pinned in the dashboard show in the popup, per token. */
describe('the popup overview, in Chromium against the sandbox', () => {
  let sb: SandboxProcess;
  let ext: LoadedExtension;
  let popup: PopupPage;

  const mint = async (email: string) => ((await (await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'e2e overview', scopes: READ })).json()) as { token: string }).token;

  beforeAll(async () => {
    sb = await spawnSandbox(['--db', ':memory:', '--admin-key', KEY]);
    const [support, analyst] = [await mint('support@example.com'), await mint('analyst@example.com')];
    ext = await launchExtension();
    popup = new PopupPage(await ext.open('popup.html'));
    await popup.createVault('e2e overview passphrase');
    await popup.addToken(sb.url, support, 'Support');
    await popup.item('Support').waitFor();
    await popup.addToken(sb.url, analyst, 'EU analyst');
    await popup.item('EU analyst').waitFor();
  });
  afterAll(async () => {
    await ext?.close();
    await sb?.stop();
  });

  it('offers starter tiles on an empty board', async () => {
    const overview = popup.page.getByRole('region', { name: 'Overview' });
    await overview.getByRole('button', { name: 'Add starter tiles' }).waitFor();
  });

  it('shows two tiles pinned in the dashboard with values and sparklines; after a switch the zone tile names the zone, no old value', async () => {
    const dash = new DashboardPage(await ext.open('dashboard.html#/metrics'));
    await dash.identity().getByText('Support', { exact: true }).waitFor();
    await dash.page.getByText('Entity and management zone filters').click();
    await dash.zoneSelector().fill('mzName("Production US")');
    await dash.metricQuery(US_CPU);
    await dash.chart().waitFor();
    await dash.pinToBoard().click();
    await dash.zoneSelector().fill('');
    await dash.metricQuery(MEM);
    await dash.chart().waitFor();
    await dash.pinToBoard().click();
    await dash.page.getByRole('status').filter({ hasText: 'Pinned' }).last().waitFor();
    await dash.page.close();

    const page = await ext.open('popup.html');
    const p = new PopupPage(page);
    const tiles = page.getByRole('list', { name: 'Overview tiles' });
    await tiles.waitFor();
    expect(await tiles.getByRole('listitem').count()).toBe(2);
    for (const title of [US_CPU, MEM]) {
      await page.getByRole('img', { name: `${title} sparkline` }).locator('polyline').waitFor();
      await page.getByRole('link', { name: `Open ${title} in the dashboard` }).waitFor();
    }
    await expect.poll(() => tiles.getByRole('listitem').first().textContent()).toMatch(/\d+(\.\d+)? %/);
    expect(await axeViolations(page)).toEqual([]);

    await p.useButton('EU analyst').click();
    const zoneTile = tiles.getByRole('listitem').filter({ hasText: US_CPU });
    await expect.poll(() => zoneTile.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('Production US');
    expect(await zoneTile.getByRole('img', { name: `${US_CPU} sparkline` }).count()).toBe(0);
    await expect.poll(() => tiles.getByRole('listitem').filter({ hasText: MEM }).textContent()).toMatch(/\d+(\.\d+)? %/);
    await page.close();
  });
});
