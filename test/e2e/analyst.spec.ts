import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../helpers/spawn-sandbox';
import { DashboardPage } from './pages/DashboardPage';
import { PopupPage } from './pages/PopupPage';
import { axeViolations } from './support/axe';
import { launchExtension, type LoadedExtension } from './support/extension';

const KEY = 'e2e-analyst-admin-key';
const READ = ['metrics.read', 'entities.read', 'problems.read'];
const CPU = 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg';
const MEM = 'builtin:host.mem.usage:splitBy("dt.entity.host"):avg';

/** The analyst's metrics page: several queries, period comparison, drag-to-zoom, tile views, related entities by name. */
describe('the analyst\'s charts, in Chromium against the sandbox', () => {
  let sb: SandboxProcess;
  let ext: LoadedExtension;
  let dash: DashboardPage;

  beforeAll(async () => {
    sb = await spawnSandbox(['--db', ':memory:', '--admin-key', KEY]);
    const { token } = (await (await adminFetch(sb.url, KEY, '/users/support@example.com/tokens', 'POST', { name: 'e2e analyst', scopes: READ })).json()) as { token: string };
    ext = await launchExtension();
    const popup = new PopupPage(await ext.open('popup.html'));
    await popup.createVault('e2e analyst passphrase');
    await popup.addToken(sb.url, token, 'Support');
    await popup.item('Support').waitFor();
    dash = new DashboardPage(await ext.open('dashboard.html#/metrics'));
    await dash.identity().getByText('Support', { exact: true }).waitFor();
  });
  afterAll(async () => {
    await ext?.close();
    await sb?.stop();
  });

  const caption = () => dash.page.locator('figure.metric-chart figcaption .muted');

  it('draws two queries on one chart, and an earlier day dashed beside them', async () => {
    await dash.typeSelector(CPU, 1);
    await dash.page.getByRole('button', { name: 'Add query' }).click();
    await dash.typeSelector(MEM, 2);
    await dash.runQuery().click();
    await dash.chart().waitFor();
    const series = Number((await caption().textContent())!.match(/^(\d+) series/)![1]);
    expect(series).toBeGreaterThanOrEqual(2);
    expect(await caption().textContent()).not.toContain('dashed');

    await dash.page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: '1 day earlier' });
    await expect.poll(() => caption().textContent(), { timeout: 15_000 }).toMatch(/of 1 day earlier, dashed/);
    // Hosts that did not report a day ago have no earlier series: at most one per current one.
    const dashed = Number((await caption().textContent())!.match(/; (\d+) of 1 day earlier, dashed/)![1]);
    expect(dashed).toBeGreaterThan(0);
    expect(dashed).toBeLessThanOrEqual(series);
    expect(dash.page.url()).toContain('cmp=1d');
    expect(dash.page.url()).toContain('ms2=');
    await dash.page.getByRole('button', { name: 'Show table' }).click();
    expect(await dash.page.locator('.table-box thead th').filter({ hasText: '(1 day earlier)' }).count()).toBe(dashed);
    await dash.page.getByRole('button', { name: 'Hide table' }).click();
    expect(await axeViolations(dash.page)).toEqual([]);
  });

  it('zooms into a dragged timeframe, and "Reset zoom" brings the previous one back', async () => {
    await dash.page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: 'None' });
    await dash.page.getByRole('button', { name: 'Remove query 2' }).click();
    await dash.runQuery().click();
    await expect.poll(() => caption().textContent()).not.toContain('dashed');
    const points = async () => Number((await caption().textContent())!.match(/(\d+) points each/)![1]);
    const before = await points();
    const box = (await dash.chart().boundingBox())!;
    const y = box.y + box.height / 2;
    await dash.page.mouse.move(box.x + box.width * 0.3, y);
    await dash.page.mouse.down();
    await dash.page.mouse.move(box.x + box.width * 0.5, y, { steps: 8 });
    await dash.page.mouse.move(box.x + box.width * 0.6, y, { steps: 8 });
    await dash.page.mouse.up();
    const timeframe = dash.page.getByRole('combobox', { name: 'Timeframe' });
    await expect.poll(() => timeframe.inputValue()).toBe('custom');
    const from = await dash.page.getByLabel('From', { exact: true }).inputValue();
    const to = await dash.page.getByLabel('To', { exact: true }).inputValue();
    const minutes = (new Date(to).getTime() - new Date(from).getTime()) / 60_000;
    // A third of two hours, give or take the chart's padding and whole minutes.
    expect(minutes).toBeGreaterThan(20);
    expect(minutes).toBeLessThan(60);
    await expect.poll(points, { timeout: 15_000 }).not.toBe(before);

    await dash.page.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => timeframe.inputValue()).toBe('2h');
    await expect.poll(points, { timeout: 15_000 }).toBe(before);
    expect(await dash.page.getByRole('button', { name: 'Reset zoom' }).count()).toBe(0);
  });

  it('shows the query as a top list, pins it, and the board and the popup show the ranking', async () => {
    await dash.page.getByRole('radio', { name: 'Top list' }).check();
    const table = dash.page.getByRole('table', { name: /^Top list of / });
    await table.waitFor();
    const first = (await table.locator('tbody tr').first().locator('th').textContent())!.trim();
    expect(first).not.toMatch(/^HOST-/);
    await dash.pinToBoard().click();
    await dash.page.getByRole('status').filter({ hasText: 'Pinned' }).waitFor();

    await dash.goTo('Overview');
    await dash.page.getByRole('table', { name: /^Top list of / }).locator('tbody tr').first().waitFor();

    const popup = await ext.open('popup.html');
    const top = popup.getByRole('list', { name: /top list$/ });
    await top.getByRole('listitem').first().waitFor({ timeout: 15_000 });
    expect(await top.getByRole('listitem').count()).toBe(3);
    await popup.close();
  });

  it('names related entities in the details, as links that open them', async () => {
    await dash.goTo('Entities');
    await dash.entitySelector().fill('type(SERVICE)');
    await dash.runQuery().click();
    await dash.rows().first().getByRole('button').click();
    const details = dash.page.getByRole('article', { name: /^Details of / });
    const runsOn = details.getByRole('list', { name: 'runsOnHost (from this entity)' });
    const link = runsOn.getByRole('link').first();
    await link.waitFor();
    const host = (await link.textContent())!.trim();
    expect(host).not.toMatch(/^HOST-/);
    await link.click();
    await dash.page.getByRole('article', { name: `Details of ${host}` }).waitFor();
  });

  it('builds a query in the builder, shows it as code, draws it, and follows an edit of the code', async () => {
    const page = await ext.open('dashboard.html#/metrics');
    const d = new DashboardPage(page);
    await d.identity().getByText('Support', { exact: true }).waitFor();
    const q = d.query(1);
    await d.tab('Builder').click();
    const metric = q.getByRole('combobox', { name: 'Metric' });
    await metric.fill('');
    await metric.pressSequentially('memory', { delay: 20 });
    const option = q.getByRole('listbox', { name: 'Metrics' }).getByRole('option').filter({ hasText: 'builtin:host.mem.usage' }).first();
    await option.click();
    const aggregation = q.getByRole('combobox', { name: 'Aggregation' });
    await expect.poll(async () => (await aggregation.locator('option').allTextContents()).join(' ')).toMatch(/max/);
    await aggregation.selectOption('max');
    await q.getByRole('combobox', { name: 'Split by' }).selectOption('dt.entity.host');
    await d.tab('Code').click();
    await expect.poll(() => d.metricSelector().inputValue()).toBe('builtin:host.mem.usage:splitBy("dt.entity.host"):max');
    await d.runQuery().click();
    await d.chart().waitFor();
    expect(await d.alerts().count()).toBe(0);

    await d.metricSelector().fill('builtin:host.cpu.usage:splitBy("dt.entity.host"):avg:sort(value(avg,descending)):limit(3)');
    await d.tab('Builder').click();
    await expect.poll(() => metric.inputValue()).toContain('builtin:host.cpu.usage');
    await expect.poll(() => q.getByRole('textbox', { name: 'Top N' }).inputValue()).toBe('3');
    expect(await aggregation.inputValue()).toBe('avg');

    // Something the builder cannot show stays as written, with the part named.
    await d.tab('Code').click();
    await d.metricSelector().fill('builtin:host.cpu.usage:rollup(avg,15m)');
    await d.tab('Builder').click();
    await q.getByRole('note').filter({ hasText: ':rollup(avg,15m)' }).waitFor();
    await d.tab('Code').click();
    expect(await d.metricSelector().inputValue()).toBe('builtin:host.cpu.usage:rollup(avg,15m)');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
