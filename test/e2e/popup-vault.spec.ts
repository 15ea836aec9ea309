import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../helpers/spawn-sandbox';
import { PopupPage } from './pages/PopupPage';
import { axeViolations } from './support/axe';
import { launchExtension, type LoadedExtension } from './support/extension';

const ADMIN_KEY = 'e2e-vault-admin-key';

interface ExtensionGlobals {
  chrome: {
    storage: { local: { get(keys: string | null): Promise<Record<string, unknown>> }; session: { get(keys: string | null): Promise<Record<string, unknown>> } };
    action: { getBadgeText(details: object): Promise<string> };
  };
}


async function mint(sandbox: SandboxProcess, email: string, name: string): Promise<string> {
  const res = await adminFetch(sandbox.url, ADMIN_KEY, `/users/${email}/tokens`, 'POST', { name, scopes: ['metrics.read'] });
  return ((await res.json()) as { token: string }).token;
}

/** The running service worker (a new one after a restart). */
function currentWorker(ext: LoadedExtension): Worker | undefined {
  return ext.context.serviceWorkers().filter((w) => w.url().startsWith(`chrome-extension://${ext.extensionId}/`)).at(-1);
}

describe('vault settings and service-worker restarts, in Chromium', () => {
  let sandbox: SandboxProcess;
  let ext: LoadedExtension;
  let popup: PopupPage;

  beforeAll(async () => {
    sandbox = await spawnSandbox(['--db', ':memory:', '--admin-key', ADMIN_KEY]);
    ext = await launchExtension();
    popup = new PopupPage(await ext.open('popup.html'));
    await popup.passphrase().waitFor();
    await popup.createVault('first passphrase');
    await popup.addToken(sandbox.url, await mint(sandbox, 'support@example.com', 'one'), 'One');
    await popup.item('One').waitFor();
    await popup.addToken(sandbox.url, await mint(sandbox, 'operator@example.com', 'two'), 'Two');
    await popup.item('Two').waitFor();
  });

  afterAll(async () => {
    await ext?.close();
    await sandbox?.stop();
  });

  it('keeps working after the service worker is stopped mid-session; the badge follows once it wakes', async () => {
    // Stop the worker as Chrome does when it is idle: close its DevTools target.
    const cdp = await ext.context.newCDPSession(popup.page);
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.extensionId}/`));
    expect(target).toBeDefined();
    await cdp.send('Target.closeTarget', { targetId: target!.targetId });
    await expect.poll(async () => (await cdp.send('Target.getTargets')).targetInfos.some((t) => t.type === 'service_worker')).toBe(false);

    // Still unlocked (the key is in storage.session, not in the worker), and the API still answers.
    await popup.addToken(sandbox.url, await mint(sandbox, 'admin@example.com', 'three'), 'Three');
    await popup.item('Three').waitFor();
    await popup.useButton('Two').click();
    await expect.poll(() => popup.item('Two').getAttribute('aria-current')).toBe('true');

    // The storage change wakes the worker, which re-reads storage and updates the badge.
    await expect.poll(async () => (await cdp.send('Target.getTargets')).targetInfos.some((t) => t.type === 'service_worker'), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => {
      const worker = currentWorker(ext);
      return worker ? worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getBadgeText({})).catch(() => null) : null;
    }, { timeout: 10_000 }).toBe('Two');
  });

  it('settings are accessible; the idle period is saved; a passphrase change re-encrypts and takes effect', async () => {
    await popup.page.getByRole('button', { name: 'Settings' }).click();
    await popup.page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.page.getByRole('combobox', { name: 'Lock after inactivity' }).selectOption({ label: '5 minutes' });
    await expect.poll(async () => (await currentWorker(ext)!.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('settings'))).settings)
      .toEqual({ autoLockMinutes: 5 });

    const before = JSON.stringify(await currentWorker(ext)!.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('secrets')));
    await popup.page.getByRole('textbox', { name: 'Current passphrase' }).fill('first passphrase');
    await popup.page.getByRole('textbox', { name: 'New passphrase' }).fill('second passphrase');
    await popup.page.getByRole('button', { name: 'Change passphrase' }).click();
    await popup.page.getByText('Passphrase changed.').waitFor();
    const after = JSON.stringify(await currentWorker(ext)!.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('secrets')));
    expect(after).not.toBe(before);

    await popup.lockButton().click();
    await popup.unlock('first passphrase');
    await expect.poll(() => popup.alert().textContent()).toMatch(/Wrong passphrase/);
    await popup.unlock('second passphrase');
    await popup.item('One').waitFor();
    // Secrets still open under the new key: the API answers with a stored token.
    await popup.addToken(sandbox.url, await mint(sandbox, 'nogrants@example.com', 'four'), 'Four');
    await popup.item('Four').waitFor();
  });

  it('"Forget all" erases every token field, salt and verifier; the popup starts over', async () => {
    await popup.page.getByRole('button', { name: 'Settings' }).click();
    await popup.page.getByRole('button', { name: 'Forget all' }).click();
    await popup.dialog().waitFor();
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.dialog().getByRole('button', { name: 'Erase everything' }).click();
    await popup.createVaultButton().waitFor();
    const worker = currentWorker(ext)!;
    const local = await worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get(null));
    expect(Object.keys(local).sort()).toEqual(['settings', 'settings$']);
    expect(await worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.session.get(null))).toEqual({});
    await expect.poll(() => worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getBadgeText({}))).toBe('');
  });
});
