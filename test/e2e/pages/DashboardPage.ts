import type { Locator, Page } from 'playwright-core';

export const DASHBOARD_VIEWS = ['Overview', 'Metrics', 'Entities', 'Problems', 'Token inspector'] as const;
export type DashboardView = (typeof DASHBOARD_VIEWS)[number];

export class DashboardPage {
  constructor(readonly page: Page) {}
  navigation(): Locator { return this.page.getByRole('navigation'); }
  link(view: DashboardView): Locator { return this.navigation().getByRole('link', { name: view, exact: true }); }
  viewHeading(view: DashboardView): Locator { return this.page.getByRole('heading', { level: 2, name: view }); }
  async goTo(view: DashboardView): Promise<void> { await this.link(view).click(); }
}
