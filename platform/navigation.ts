import { browser } from 'wxt/browser';

/** Opens the dashboard in a new tab, optionally at a route (`#/metrics?...`). */
export async function openDashboard(hash = ''): Promise<void> {
  const url = browser.runtime.getURL('/dashboard.html') + (hash ? `#${hash.replace(/^#/, '')}` : '');
  await browser.tabs.create({ url });
}
