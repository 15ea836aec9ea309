/**
 * `npm run screenshots`: renders every screen of the popup and the dashboard from a fresh sandbox, in light and
 * dark, into docs/screenshots/. Uses the e2e build (built by the npm script first) in Debian's Chromium, and demo
 * tokens minted at run time; no secret is on any picture (secrets are typed into password fields only).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../test/helpers/spawn-sandbox';
import { PopupPage } from '../test/e2e/pages/PopupPage';
import { DashboardPage } from '../test/e2e/pages/DashboardPage';
import { launchExtension } from '../test/e2e/support/extension';

const OUT = path.resolve('docs/screenshots');
const KEY = 'screenshots-admin-key';
const READ = ['metrics.read', 'entities.read', 'problems.read', 'apiTokens.read'];

async function mint(sb: SandboxProcess, email: string, name: string, scopes: string[]): Promise<string> {
  const res = await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name, scopes });
  if (res.status !== 201) throw new Error(`minting a token for ${email}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

async function settle(page: Page): Promise<void> {
  // Two animation frames: the last layout and paint are done before the picture is taken.
  await page.evaluate(() => new Promise((resolve) => {
    const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
    raf(() => raf(() => resolve(undefined)));
  }));
}

async function shoot(page: Page, name: string, scheme: string, fullPage = true): Promise<void> {
  await settle(page);
  const file = path.join(OUT, `${name}-${scheme}.png`);
  await page.screenshot({ path: file, fullPage });
  console.log(`  ${path.relative(process.cwd(), file)}`);
}

async function run(scheme: 'light' | 'dark', sb: SandboxProcess, tokens: Record<string, string>): Promise<void> {
  const ext = await launchExtension({ colorScheme: scheme, viewport: { width: 1280, height: 800 } });
  try {
    const popupPage = await ext.open('popup.html');
    await popupPage.setViewportSize({ width: 360, height: 600 });
    const popup = new PopupPage(popupPage);
    await popup.passphrase().waitFor();
    await shoot(popupPage, 'popup-create-vault', scheme, false);
    await popup.createVault('screenshots passphrase');
    await popup.addToken(sb.url, tokens.analyst!, 'EU analyst');
    await popup.item('EU analyst').waitFor();
    await popup.addToken(sb.url, tokens.support!, 'Support');
    await popup.item('Support').waitFor();
    await popup.addToken(sb.url, tokens.admin!, 'Admin');
    await popup.item('Admin').waitFor();
    await shoot(popupPage, 'popup-tokens', scheme);
    await popup.actionsButton('Support').click();
    await popupPage.getByRole('menu').waitFor();
    await shoot(popupPage, 'popup-tokens-menu', scheme);
    await popupPage.keyboard.press('Escape');
    await popup.addTokenButton().click();
    await popup.environmentUrl().waitFor();
    await popup.environmentUrl().fill('https://abc123.apps.dynatrace.com');
    await popup.token().fill('not a token');
    await popup.saveTokenButton().click();
    await popup.alert().waitFor();
    await shoot(popupPage, 'popup-add-error', scheme);
    await popup.cancelButton().click();
    await popup.page.getByRole('button', { name: 'Settings' }).click();
    await popup.page.getByRole('button', { name: 'Forget all' }).waitFor();
    await shoot(popupPage, 'popup-settings', scheme);
    await popup.page.getByRole('button', { name: 'Back to tokens' }).click();

    const dash = new DashboardPage(await ext.open('dashboard.html#/metrics'));
    await dash.identity().getByText('EU analyst', { exact: true }).waitFor();
    await dash.metricQuery('builtin:host.cpu.usage:splitBy("dt.entity.host"):avg');
    await dash.chart().waitFor();
    await dash.pinToBoard().click();
    await shoot(dash.page, 'dashboard-metrics', scheme);
    // The builder view of the same query, compared with the day before (dashed).
    await dash.tab('Builder').click();
    await dash.query(1).getByRole('combobox', { name: 'Aggregation' }).waitFor();
    await dash.page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: '1 day earlier' });
    await dash.page.locator('figure.metric-chart figcaption').filter({ hasText: 'dashed' }).waitFor();
    await shoot(dash.page, 'dashboard-metrics-builder', scheme);
    await dash.page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: 'None' });
    // A top list tile for the board and the popup's overview.
    await dash.page.getByRole('radio', { name: 'Top list' }).check();
    await dash.page.getByRole('table', { name: /^Top list of / }).waitFor();
    await dash.pinToBoard().click();
    await dash.page.getByRole('radio', { name: 'Line' }).check();
    await dash.page.getByText('Entity and management zone filters').click();
    await dash.zoneSelector().fill('mzName("Production US")');
    await dash.runQuery().click();
    await dash.alerts().filter({ hasText: 'Production US' }).waitFor();
    await shoot(dash.page, 'dashboard-metrics-zone-error', scheme);
    await dash.goTo('Entities');
    await dash.rows().first().waitFor();
    await dash.page.locator('table.entities tbody tr button').first().click();
    await dash.page.getByRole('link', { name: 'Show metrics of this entity' }).waitFor();
    await shoot(dash.page, 'dashboard-entities', scheme);
    await dash.goTo('Problems');
    await dash.page.locator('table tbody tr button').first().click();
    await dash.page.getByRole('article', { name: /^Details of / }).waitFor();
    await shoot(dash.page, 'dashboard-problems', scheme);
    await dash.goTo('Overview');
    await dash.page.getByRole('article').first().waitFor();
    await dash.page.getByRole('img', { name: /^Chart of / }).first().waitFor();
    await shoot(dash.page, 'dashboard-overview', scheme);
    // The popup's overview, now that the board has a tile.
    const again = await ext.open('popup.html');
    await again.setViewportSize({ width: 360, height: 600 });
    await again.getByRole('list', { name: 'Overview tiles' }).locator('polyline').first().waitFor();
    await shoot(again, 'popup-overview', scheme);
    await again.close();
    await dash.page.bringToFront();
    await dash.goTo('Token inspector');
    await dash.page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: 'Support — support@example.com' });
    await dash.page.getByRole('button', { name: 'Inspect' }).click();
    await dash.page.getByRole('region', { name: 'Differences' }).waitFor({ timeout: 30_000 });
    await shoot(dash.page, 'dashboard-inspector', scheme);
  } finally {
    await ext.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const sb = await spawnSandbox(['--db', ':memory:', '--admin-key', KEY]);
  try {
    const tokens = {
      analyst: await mint(sb, 'analyst@example.com', 'screenshots analyst', READ),
      support: await mint(sb, 'support@example.com', 'screenshots support', [...READ, 'settings.read']),
      admin: await mint(sb, 'admin@example.com', 'screenshots admin', [...READ, 'apiTokens.write', 'settings.read']),
    };
    for (const scheme of ['light', 'dark'] as const) {
      console.log(`${scheme}:`);
      await run(scheme, sb, tokens);
    }
  } finally {
    await sb.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
