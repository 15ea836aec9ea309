import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, tempDir, type SandboxProcess } from '../helpers/spawn-sandbox';
import { PopupPage } from './pages/PopupPage';
import { DashboardPage } from './pages/DashboardPage';
import { launchExtension, type LoadedExtension } from './support/extension';
import { axeViolations } from './support/axe';

const KEY = 'e2e-support-admin-key';
const PASSPHRASE = 'e2e support passphrase';
const READ = ['metrics.read', 'entities.read', 'problems.read'];
const CPU_BY_HOST = 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg';

interface Host { entityId: string; displayName: string; managementZones: { name: string }[] }

/** Support staff's tools (issue #14) in Chromium against the sandbox: Explain access, and one query under two tokens. */
describe('support tools in Chromium against the sandbox', () => {
  let sb: SandboxProcess;
  let ext: LoadedExtension;
  let popup: PopupPage;
  let analyst: { id: string; token: string };
  let support: { id: string; token: string };
  let hosts: Host[];
  const downloads = tempDir('e2e-support-downloads-');

  const mint = async (email: string, scopes: string[]) => (await (await adminFetch(sb.url, KEY, `/users/${email}/tokens`, 'POST', { name: 'e2e support', scopes })).json()) as { id: string; token: string };
  const openDashboard = async (hash: string) => new DashboardPage(await ext.open(`dashboard.html#${hash}`));
  const sandboxRequests = () => ext.requestUrls.filter((u) => u.startsWith(`${sb.url}/api/`)).length;
  const outsideEu = () => hosts.filter((h) => !h.managementZones.some((z) => z.name === 'Production EU'));

  beforeAll(async () => {
    sb = await spawnSandbox(['--db', ':memory:', '--admin-key', KEY]);
    analyst = await mint('analyst@example.com', READ);
    support = await mint('support@example.com', [...READ, 'settings.read']);
    const res = await fetch(`${sb.url}/api/v2/entities?entitySelector=${encodeURIComponent('type("HOST")')}&fields=%2BmanagementZones&pageSize=500`, { headers: { authorization: `Api-Token ${support.token}` } });
    hosts = ((await res.json()) as { entities: Host[] }).entities;
    ext = await launchExtension();
    popup = new PopupPage(await ext.open('popup.html'));
    await popup.createVault(PASSPHRASE);
    await popup.addToken(sb.url, analyst.token, 'EU analyst');
    await popup.item('EU analyst').waitFor();
    await popup.addToken(sb.url, support.token, 'Support');
    await popup.item('Support').waitFor();
    const use = popup.useButton('EU analyst');
    if (await use.isEnabled()) await use.click();
    await popup.item('EU analyst').and(popup.page.locator('[aria-current="true"]')).waitFor();
  });
  afterAll(async () => {
    await ext?.close();
    await sb?.stop();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('explains why the EU analyst cannot see a Production US host, refuses a malformed id without sending it, and reports it without the secret', async () => {
    const dash = await openDashboard('/inspector');
    const box = dash.page.getByRole('textbox', { name: 'Entity, problem or selector' });
    const explained = dash.page.getByRole('combobox', { name: 'Token to explain' });
    const reference = dash.page.getByRole('combobox', { name: 'Reference token' });
    await explained.selectOption({ label: 'EU analyst — analyst@example.com' });
    // The reference defaults to the broader token of the same environment.
    await expect.poll(() => reference.inputValue()).toBe(support.id);

    const before = sandboxRequests();
    await box.fill('HOST-12345');
    await dash.page.getByRole('button', { name: 'Explain' }).click();
    const bad = dash.alerts().filter({ hasText: 'not an entity id' });
    await bad.waitFor();
    expect(await bad.textContent()).toMatch(/at position 11/);
    expect(sandboxRequests()).toBe(before);

    const us = hosts.find((h) => h.managementZones.map((z) => z.name).join() === 'Production US')!;
    await box.fill(us.entityId);
    await dash.page.getByRole('button', { name: 'Explain' }).click();
    const region = dash.page.getByRole('region', { name: 'Explanation' });
    await region.waitFor({ timeout: 30_000 });
    const text = (await region.textContent()) ?? '';
    expect(text).toContain(`${us.entityId} (${us.displayName}) is in Production US; analyst@example.com's token "EU analyst" reaches Production EU only.`);
    expect(text).toContain('read through "Support"');
    expect(await dash.alerts().count()).toBe(0);
    expect(await axeViolations(dash.page)).toEqual([]);

    await region.getByRole('button', { name: 'Add explanation to report' }).click();
    const panel = dash.page.getByRole('region', { name: 'Support report' });
    await panel.getByText('1 explanation and 0 comparisons added').waitFor();
    const download = dash.page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Download support report (Markdown)' }).click();
    const report = readFileSync((await (await download).path())!, 'utf8');
    expect(report).toContain('is in Production US');
    for (const t of [analyst, support]) expect(report).not.toContain(t.token.split('.')[2]);
    await dash.page.close();
  });

  // Before the comparisons: they show Support's zones, and a token known to reach the zone is offered at once.
  it('offers "Check my other tokens" on a foreign zone while nothing is known of Support, finds it and re-runs with it', async () => {
    const dash = await openDashboard(`/metrics?ms=${encodeURIComponent(CPU_BY_HOST)}&mz=${encodeURIComponent('mzName("Production US")')}`);
    const alert = dash.alerts().filter({ hasText: 'Production US' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Check my other tokens' }).click();
    await alert.getByRole('list', { name: 'Other tokens checked' }).getByText('answers with data').waitFor();
    expect(await axeViolations(dash.page)).toEqual([]);
    await alert.getByRole('button', { name: 'Re-run with Support' }).click();
    await dash.identity().getByText('Support', { exact: true }).waitFor();
    await dash.chart().waitFor();
    expect(await dash.alerts().count()).toBe(0);
    await dash.page.close();
  });

  it('compares type("HOST") under the analyst and support: counts, colours, exactly the hosts outside Production EU, and a CSV of them', async () => {
    const dash = await openDashboard('/entities?es=type("HOST")');
    await dash.rows().first().waitFor();
    await dash.page.getByRole('button', { name: 'Compare with another token' }).click();
    const region = dash.page.getByRole('region', { name: 'Comparison' });
    const outside = outsideEu();
    const sentence = `Support sees ${hosts.length} hosts, EU analyst ${hosts.length - outside.length}; ${outside.length} only with Support.`;
    await region.getByText(sentence).waitFor({ timeout: 30_000 });
    expect(await region.getByRole('combobox', { name: 'Second token' }).inputValue()).toBe(support.id);
    const difference = region.getByRole('table', { name: /^Difference: / });
    const ids = await difference.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(ids.sort()).toEqual(outside.map((h) => h.entityId).sort());
    expect(await region.getByRole('table', { name: /^Answer of EU analyst: 6 hosts$/ }).count()).toBe(1);
    const colours = await region.locator('.side').evaluateAll((els) => els.map((e) => (e as unknown as { style: { borderTopColor: string } }).style.borderTopColor));
    expect(colours).toHaveLength(2);
    expect(colours[0]).not.toBe(colours[1]);
    expect(await axeViolations(dash.page)).toEqual([]);

    const download = dash.page.waitForEvent('download');
    await region.getByRole('button', { name: 'Export difference as CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('difference,token,entityId,name,management zones');
    expect(csv.slice(1).map((l) => l.split(',')[2]).sort()).toEqual(outside.map((h) => h.entityId).sort());
    await dash.page.close();
  });

  it('compares a metric query on one timeframe and resolution, and says the slots line up', async () => {
    const dash = await openDashboard(`/metrics?ms=${encodeURIComponent(CPU_BY_HOST)}`);
    await dash.chart().waitFor();
    await dash.page.getByRole('button', { name: 'Compare with another token' }).click();
    const region = dash.page.getByRole('region', { name: 'Comparison' });
    const outside = outsideEu();
    await region.getByText(`Support sees ${hosts.length} hosts, EU analyst ${hosts.length - outside.length}; ${outside.length} only with Support.`).waitFor({ timeout: 30_000 });
    await region.getByText(/^Both answers use the same \d+ slots from .* \(resolution 1m\)\.$/).waitFor();
    const names = await region.getByRole('table', { name: /^Difference: / }).locator('tbody tr td:nth-child(2)').allTextContents();
    expect(names.sort()).toEqual(outside.map((h) => h.displayName).sort());
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
