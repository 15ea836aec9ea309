import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../helpers/spawn-sandbox';
import { PopupPage } from './pages/PopupPage';
import { axeViolations } from './support/axe';
import { launchExtension, type LoadedExtension } from './support/extension';

const ADMIN_KEY = 'e2e-popup-edit-admin-key';

interface Minted { id: string; token: string }
interface ExtensionGlobals {
  chrome: {
    storage: { local: { get(keys: string | null): Promise<Record<string, unknown>> } };
    action: { getBadgeText(details: object): Promise<string> };
  };
}

async function mint(sandbox: SandboxProcess, email: string, name: string, scopes: string[]): Promise<Minted> {
  const res = await adminFetch(sandbox.url, ADMIN_KEY, `/users/${email}/tokens`, 'POST', { name, scopes });
  expect(res.status).toBe(201);
  return (await res.json()) as Minted;
}


/** The accessible name of the focused element. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null } }).document.activeElement;
    return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
  });
}

describe('editing a token and checking it again, in Chromium against the sandbox', () => {
  let sandbox: SandboxProcess;
  let ext: LoadedExtension;
  let popup: PopupPage;
  let writer: Minted;
  let probe: Minted;

  beforeAll(async () => {
    sandbox = await spawnSandbox(['--db', ':memory:', '--admin-key', ADMIN_KEY]);
    writer = await mint(sandbox, 'admin@example.com', 'e2e writer', ['apiTokens.read', 'apiTokens.write', 'metrics.read']);
    probe = await mint(sandbox, 'admin@example.com', 'e2e probe', ['metrics.read', 'entities.read']);
    ext = await launchExtension();
    popup = new PopupPage(await ext.open('popup.html'));
    await popup.passphrase().waitFor();
    await popup.createVault('e2e edit passphrase');
    await popup.addToken(sandbox.url, writer.token, 'Writer');
    await popup.item('Writer').waitFor();
    await popup.addToken(sandbox.url, probe.token, 'Probe');
    await popup.item('Probe').waitFor();
  });

  afterAll(async () => {
    await ext?.close();
    await sandbox?.stop();
  });

  it('edits the label, colour and production tag by keyboard; the list and the badge show the new label', async () => {
    // By keyboard: the row's menu button, Enter opens its menu on "Edit", Enter chooses it.
    await popup.actionsButton('Writer').focus();
    await popup.page.keyboard.press('Enter');
    await expect.poll(() => focusedName(popup.page)).toBe('Edit Writer');
    await popup.page.keyboard.press('Enter');
    await popup.label().waitFor();
    expect(await popup.page.getByRole('heading', { name: 'Edit Writer' }).isVisible()).toBe(true);
    expect(await popup.label().inputValue()).toBe('Writer');
    // The Label field has focus, its text selected for typing over.
    await expect.poll(() => popup.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('edit-label');
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.label().fill('Writer EU');
    await popup.colour().fill('#0f7b3f');
    await popup.productionCheckbox().check();
    await popup.label().press('Enter');
    await popup.item('Writer EU').waitFor();
    expect(await popup.item('Writer').count()).toBe(0);
    expect(await popup.item('Writer EU').textContent()).toContain('Production');
    expect(await popup.item('Writer EU').getAttribute('aria-current')).toBe('true');
    await expect.poll(() => focusedName(popup.page)).toBe('Actions for Writer EU');
    await expect.poll(() => ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getBadgeText({}))).toBe('Writ');
    const stored = (await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('tokens'))) as { tokens: { label: string; color: string; production: boolean }[] };
    expect(stored.tokens.find((t) => t.label === 'Writer EU')).toMatchObject({ color: '#0f7b3f', production: true });
  });

  it('refuses an empty label with an alert in the form; Escape goes back without changes', async () => {
    await popup.rowAction('Probe', 'Edit');
    await popup.label().fill('  ');
    await popup.saveChangesButton().click();
    await expect.poll(() => popup.alert().textContent()).toMatch(/Give the token a label/);
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.label().press('Escape');
    await popup.item('Probe').waitFor();
    await expect.poll(() => focusedName(popup.page)).toBe('Actions for Probe');
    expect(await popup.alert().count()).toBe(0);
  });

  it('"Check again" shows the scopes changed on the server (PUT /apiTokens/{id} by a token of the same owner)', async () => {
    await popup.rowAction('Probe', 'Check again');
    await expect.poll(() => popup.item('Probe').textContent()).toContain('Checked: "Probe" works; nothing changed.');
    const put = await fetch(`${sandbox.url}/api/v2/apiTokens/${probe.id}`, {
      method: 'PUT',
      headers: { authorization: `Api-Token ${writer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: ['metrics.read', 'problems.read'] }),
    });
    expect(put.status).toBe(204);
    await popup.rowAction('Probe', 'Check again');
    await expect.poll(() => popup.item('Probe').textContent()).toContain('Scopes changed: added problems.read; removed entities.read.');
    const text = await popup.item('Probe').textContent();
    expect(text).toContain('metrics.read, problems.read');
    expect(text).not.toContain('entities.read,');
    await expect.poll(() => popup.page.getByRole('status').filter({ hasText: 'Scopes changed' }).count()).toBe(1);
    expect(await axeViolations(popup.page)).toEqual([]);
  });

  it('"Check again" explains PATs disabled in the environment, then a token revoked on the server', async () => {
    expect((await adminFetch(sandbox.url, ADMIN_KEY, '/settings', 'PUT', { patEnabled: false })).status).toBe(200);
    await popup.rowAction('Probe', 'Check again');
    await expect.poll(() => popup.item('Probe').getByRole('alert').textContent()).toMatch(/Personal access tokens are disabled/);
    expect(await axeViolations(popup.page)).toEqual([]);
    expect((await adminFetch(sandbox.url, ADMIN_KEY, '/settings', 'PUT', { patEnabled: true })).status).toBe(200);

    const del = await fetch(`${sandbox.url}/api/v2/apiTokens/${probe.id}`, { method: 'DELETE', headers: { authorization: `Api-Token ${writer.token}` } });
    expect(del.status).toBe(204);
    await popup.rowAction('Probe', 'Check again');
    await expect.poll(() => popup.item('Probe').getByRole('alert').textContent()).toMatch(/rejected this token \(401\).*revoked/);
    // Still listed (Tokenscope does not forget it behind the user's back), and still usable for removal.
    await popup.actionsButton('Probe').click();
    expect(await popup.removeButton('Probe').isEnabled()).toBe(true);
    await popup.page.keyboard.press('Escape');
  });
});
