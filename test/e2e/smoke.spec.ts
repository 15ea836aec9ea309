import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type LoadedExtension } from './support/extension';
import { PopupPage } from './pages/PopupPage';
import { DASHBOARD_VIEWS, DashboardPage } from './pages/DashboardPage';

describe('the built extension in Chromium', () => {
  let ext: LoadedExtension;
  beforeAll(async () => { ext = await launchExtension(); });
  afterAll(async () => { await ext?.close(); });

  it('starts its service worker with a chrome-extension id', () => {
    expect(ext.extensionId).toMatch(/^[a-p]{32}$/);
  });

  it('renders the popup with its token list and dashboard button', async () => {
    const popup = new PopupPage(await ext.open('popup.html'));
    await popup.heading().waitFor();
    expect(await popup.openDashboardButton().isVisible()).toBe(true);
    await popup.page.close();
  });

  it('opens the dashboard from the popup and routes through every view by hash', async () => {
    const popup = new PopupPage(await ext.open('popup.html'));
    const opened = ext.context.waitForEvent('page');
    await popup.openDashboardButton().click();
    const dash = new DashboardPage(await opened);
    await dash.page.waitForURL(/dashboard\.html#\/overview$/);
    for (const view of DASHBOARD_VIEWS) {
      await dash.goTo(view);
      await dash.viewHeading(view).waitFor();
      expect(await dash.link(view).getAttribute('aria-current')).toBe('page');
    }
    expect(dash.page.url()).toMatch(/#\/inspector$/);
    await dash.page.goBack();
    await dash.viewHeading('Problems').waitFor();
  });
});
