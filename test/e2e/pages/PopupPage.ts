import type { Locator, Page } from 'playwright-core';

/** The toolbar popup, opened as a tab (a real action popup cannot be opened from Playwright). */
export class PopupPage {
  constructor(readonly page: Page) {}
  heading(): Locator { return this.page.getByRole('heading', { name: 'Tokenscope' }); }
  tokenList(): Locator { return this.page.getByRole('list', { name: 'Tokens' }); }
  openDashboardButton(): Locator { return this.page.getByRole('button', { name: 'Open dashboard' }); }
}
