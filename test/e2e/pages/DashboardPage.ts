import type { Locator, Page } from 'playwright-core';

export const DASHBOARD_VIEWS = ['Overview', 'Metrics', 'Entities', 'Problems', 'Token inspector'] as const;
export type DashboardView = (typeof DASHBOARD_VIEWS)[number];

/** The dashboard page, found by role and accessible name (docs/ui-contract.md). */
export class DashboardPage {
  constructor(readonly page: Page) {}
  navigation(): Locator { return this.page.getByRole('navigation'); }
  link(view: DashboardView): Locator { return this.navigation().getByRole('link', { name: view, exact: true }); }
  viewHeading(view: DashboardView): Locator { return this.page.getByRole('heading', { level: 2, name: view }); }
  async goTo(view: DashboardView): Promise<void> { await this.link(view).click(); }

  tokenSelect(): Locator { return this.page.getByRole('combobox', { name: 'Token', exact: true }); }
  identity(): Locator { return this.page.locator('.token-header .identity'); }
  /** Query `n` (1-based) of the metrics page: a group holding its Builder and Code views. */
  query(n = 1): Locator { return this.page.getByRole('group', { name: `Query ${n}`, exact: true }); }
  metricSelector(n = 1): Locator { return this.query(n).getByRole('textbox', { name: 'Metric selector' }); }
  tab(name: 'Builder' | 'Code', n = 1): Locator { return this.query(n).getByRole('tab', { name, exact: true }); }
  /** Types a selector into query `n`'s Code view (the editor opens on Builder when it can show the query). */
  async typeSelector(selector: string, n = 1): Promise<void> {
    await this.tab('Code', n).click();
    await this.metricSelector(n).fill(selector);
  }
  entitySelector(): Locator { return this.page.getByRole('textbox', { name: 'Entity selector' }); }
  zoneSelector(): Locator { return this.page.getByRole('textbox', { name: 'Management zone selector' }); }
  runQuery(): Locator { return this.page.getByRole('button', { name: 'Run query' }); }
  pinToBoard(): Locator { return this.page.getByRole('button', { name: 'Pin to board' }); }
  alerts(): Locator { return this.page.getByRole('alert'); }
  chart(): Locator { return this.page.getByRole('img', { name: /^Chart of / }); }
  rows(): Locator { return this.page.locator('table.entities tbody tr'); }

  async metricQuery(selector: string): Promise<void> {
    await this.typeSelector(selector);
    await this.runQuery().click();
  }
}
