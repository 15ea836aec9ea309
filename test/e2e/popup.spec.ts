import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, tempDir, type SandboxProcess } from '../helpers/spawn-sandbox';
import { PopupPage } from './pages/PopupPage';
import { axeViolations } from './support/axe';
import { launchExtension, type LoadedExtension } from './support/extension';

const ADMIN_KEY = 'e2e-popup-admin-key';
const PASSPHRASE = 'e2e correct horse battery';

interface Minted { id: string; token: string }

/** The extension APIs used inside `worker.evaluate` callbacks (this file is typechecked without DOM or chrome types). */
interface StorageAreaLike { get(keys: string | null): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> }
interface ExtensionGlobals {
  chrome: {
    storage: { local: StorageAreaLike; session: StorageAreaLike };
    action: { getBadgeText(details: object): Promise<string>; getTitle(details: object): Promise<string> };
  };
}

async function mint(sandbox: SandboxProcess, email: string, name: string, scopes: string[], expirationDate?: string): Promise<Minted> {
  const res = await adminFetch(sandbox.url, ADMIN_KEY, `/users/${email}/tokens`, 'POST', { name, scopes, ...(expirationDate ? { expirationDate } : {}) });
  expect(res.status).toBe(201);
  return (await res.json()) as Minted;
}


/** The 64-character secret part and every 12-character window of it: "no substring of the secret". */
function secretNeedles(token: string): string[] {
  const secret = token.slice(token.lastIndexOf('.') + 1);
  const out = [secret];
  for (let i = 0; i + 12 <= secret.length; i += 4) out.push(secret.slice(i, i + 12));
  return out;
}

function leaks(haystack: string, tokens: readonly string[]): string[] {
  return tokens.filter((t) => secretNeedles(t).some((needle) => haystack.includes(needle))).map((t) => t.slice(0, t.lastIndexOf('.')));
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const s = statSync(full, { throwIfNoEntry: false });
    if (s?.isDirectory()) out.push(...filesUnder(full));
    else if (s?.isFile()) out.push(full);
  }
  return out;
}

describe('the popup against a real sandbox, in Chromium', () => {
  let sandbox: SandboxProcess;
  let ext: LoadedExtension;
  let profile: string;
  let popup: PopupPage;
  let admin: Minted;
  let analyst: Minted;
  let classic: Minted;
  let expired: Minted;
  let created = '';
  const timings: number[] = [];

  beforeAll(async () => {
    sandbox = await spawnSandbox(['--db', ':memory:', '--admin-key', ADMIN_KEY, '--log']);
    admin = await mint(sandbox, 'admin@example.com', 'e2e admin', ['apiTokens.read', 'apiTokens.write', 'metrics.read', 'entities.read']);
    analyst = await mint(sandbox, 'analyst@example.com', 'e2e analyst', ['metrics.read', 'entities.read']);
    expired = await mint(sandbox, 'support@example.com', 'e2e expired', ['metrics.read'], '2000-01-01T00:00:00Z');
    const res = await adminFetch(sandbox.url, ADMIN_KEY, '/api-tokens', 'POST', { name: 'e2e classic', scopes: ['metrics.read'] });
    classic = (await res.json()) as Minted;
    profile = tempDir('tokenscope-e2e-profile-');
    ext = await launchExtension({ userDataDir: profile });
    popup = new PopupPage(await ext.open('popup.html'));
  });

  afterAll(async () => {
    await ext?.context.close().catch(() => undefined);
    await sandbox?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('first use: asks for a passphrase (accessible), then shows the empty token list', async () => {
    await popup.heading().waitFor();
    await popup.passphrase().waitFor();
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.passphrase().fill('short');
    await popup.createVaultButton().click();
    await expect.poll(() => popup.alert().textContent()).toMatch(/at least 8 characters/);
    await popup.createVault(PASSPHRASE);
    await popup.tokenList().waitFor({ state: 'attached' });
    expect(await popup.openDashboardButton().isVisible()).toBe(true);
  });

  it('refuses a malformed token, an apps URL, an expired token and a classic token, each with its cause and nothing stored', async () => {
    await popup.addTokenButton().click();
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.addToken(sandbox.url, 'dt0c01.NOTATOKEN.SECRET', 'Bad');
    await expect.poll(() => popup.alert().textContent()).toMatch(/public part must be 24 characters/);

    await popup.addToken('https://abc12345.apps.dynatrace.com', admin.token, 'Apps');
    await expect.poll(() => popup.alert().textContent()).toMatch(/https:\/\/abc12345\.live\.dynatrace\.com/);
    await popup.page.getByRole('button', { name: 'Use https://abc12345.live.dynatrace.com' }).click();
    expect(await popup.environmentUrl().inputValue()).toBe('https://abc12345.live.dynatrace.com');

    await popup.addToken(sandbox.url, expired.token, 'Expired');
    await expect.poll(() => popup.alert().textContent()).toMatch(/expired/i);

    await popup.addToken(sandbox.url, classic.token, 'Classic');
    await expect.poll(() => popup.alert().textContent()).toMatch(/not a personal access token/);

    await popup.addToken('http://127.0.0.1:9', admin.token, 'Nowhere');
    await expect.poll(() => popup.alert().textContent(), { timeout: 15_000 }).toMatch(/could not be reached/);
    expect(await axeViolations(popup.page)).toEqual([]);

    const stored = (await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('tokens'))) as { tokens?: unknown[] };
    expect(stored.tokens ?? []).toEqual([]);
    await popup.cancelButton().click();
  });

  it('adds two tokens, checked with lookup; the first becomes active; owners and "n of 5" are shown', async () => {
    await popup.addToken(sandbox.url, admin.token, 'Admin');
    await popup.item('Admin').waitFor();
    await popup.addToken(`${sandbox.url}/`, analyst.token, 'Analyst EU');
    await popup.item('Analyst EU').waitFor();
    expect(await popup.item('Admin').getAttribute('aria-current')).toBe('true');
    expect(await popup.item('Analyst EU').getAttribute('aria-current')).toBeNull();
    const adminText = await popup.item('Admin').textContent();
    expect(adminText).toContain('admin@example.com');
    // The admin's token may list tokens: the count is the server's.
    await expect.poll(() => popup.item('Admin').textContent()).toContain('1 of 5 used on the server · 1 stored here');
    expect(adminText).toContain('apiTokens.write');
    expect(await popup.item('Analyst EU').textContent()).toContain('analyst@example.com');
    expect(await axeViolations(popup.page)).toEqual([]);
    // Dark mode follows the system; it must stay readable.
    await popup.page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getBadgeText({}))).toBe('Admi');
    expect(await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getTitle({}))).toContain('admin@example.com');
  });

  it('creates a PAT from the popup, reveals its secret once and stores it', async () => {
    await popup.createTokenButton().click();
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.createWith().selectOption({ label: `Analyst EU — analyst@example.com on ${new URL(sandbox.url).host} (no apiTokens.write)` });
    await popup.newTokenName().fill('e2e created');
    await popup.createTokenButton().click();
    await expect.poll(() => popup.alert().textContent()).toMatch(/lacks the scope apiTokens\.write/);

    await popup.createWith().selectOption({ label: `Admin — admin@example.com on ${new URL(sandbox.url).host}` });
    await popup.page.getByRole('textbox', { name: 'Label', exact: true }).fill('Created');
    await popup.createTokenButton().click();
    await popup.revealedSecret().waitFor();
    created = await popup.revealedSecret().inputValue();
    expect(created).toMatch(/^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$/);
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.page.getByRole('button', { name: 'Done' }).click();
    expect(await popup.revealedSecret().count()).toBe(0);
    await popup.item('Created').waitFor();
    await expect.poll(() => popup.item('Admin').textContent()).toContain('2 of 5 used on the server · 2 stored here');
    // The server knows it, owned by the creator's owner.
    const lookup = await fetch(`${sandbox.url}/api/v2/apiTokens/lookup`, {
      method: 'POST', headers: { authorization: `Api-Token ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: created }),
    });
    expect(await lookup.json()).toMatchObject({ owner: 'admin@example.com', personalAccessToken: true, name: 'e2e created' });
  });

  it('switches with one click; a production token asks first; expired tokens cannot be chosen', async () => {
    await popup.useButton('Created').click();
    await expect.poll(() => popup.item('Created').getAttribute('aria-current')).toBe('true');
    expect(await popup.item('Admin').getAttribute('aria-current')).toBeNull();
    await expect.poll(() => ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getBadgeText({}))).toBe('Crea');

    // Tag "Analyst EU" as production through storage, as the dashboard or a later edit would.
    await ext.worker.evaluate(async () => {
      const { tokens } = (await (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('tokens')) as { tokens: { label: string; production: boolean }[] };
      await (globalThis as unknown as ExtensionGlobals).chrome.storage.local.set({ tokens: tokens.map((t) => (t.label === 'Analyst EU' ? { ...t, production: true } : t)) });
    });
    await popup.item('Analyst EU').getByText('Production').waitFor();
    await popup.useButton('Analyst EU').click();
    await popup.dialog().waitFor();
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.dialog().getByRole('button', { name: 'Cancel' }).click();
    expect(await popup.item('Created').getAttribute('aria-current')).toBe('true');
    await popup.useButton('Analyst EU').click();
    await popup.dialog().getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => popup.item('Analyst EU').getAttribute('aria-current')).toBe('true');

    // An expired token is marked and its "Use" button is disabled.
    await ext.worker.evaluate(async () => {
      const { tokens } = (await (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('tokens')) as { tokens: { label: string; expiresAt: number | null }[] };
      await (globalThis as unknown as ExtensionGlobals).chrome.storage.local.set({ tokens: tokens.map((t) => (t.label === 'Created' ? { ...t, expiresAt: Date.now() - 1000 } : t)) });
    });
    await popup.item('Created').getByText('Expired', { exact: true }).waitFor();
    expect(await popup.useButton('Created').isDisabled()).toBe(true);
    await ext.worker.evaluate(async () => {
      const { tokens } = (await (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('tokens')) as { tokens: { label: string; expiresAt: number | null }[] };
      await (globalThis as unknown as ExtensionGlobals).chrome.storage.local.set({ tokens: tokens.map((t) => (t.label === 'Created' ? { ...t, expiresAt: null } : t)) });
    });
    await expect.poll(() => popup.useButton('Created').isDisabled()).toBe(false);
    await popup.useButton('Admin').click();
    await expect.poll(() => popup.item('Admin').getAttribute('aria-current')).toBe('true');
  });

  it('locks and unlocks; a wrong passphrase is refused', async () => {
    await popup.lockButton().click();
    await popup.passphrase().waitFor();
    expect(await popup.tokenList().count()).toBe(0);
    expect(await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.session.get(null))).toEqual({});
    expect(await axeViolations(popup.page)).toEqual([]);
    await popup.unlock('not the passphrase');
    await expect.poll(() => popup.alert().textContent()).toMatch(/Wrong passphrase/);
    await popup.unlock(PASSPHRASE);
    await popup.item('Admin').waitFor();
  });

  it('is usable by keyboard alone: every action is reachable with Tab and works with Enter', async () => {
    // A fresh popup: focus starts at the top, as when the toolbar button opens it.
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    await new PopupPage(page).item('Admin').waitFor();
    const names: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => {
        const el = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null } }).document.activeElement;
        return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
      });
      if (name === 'Use Created') {
        await page.keyboard.press('Enter');
        break;
      }
      names.push(name);
    }
    // "Use Admin" is disabled (it is active), so Tab skips it; the row's other actions are in its menu.
    // The overview above the list (loaded after it) may offer its starter tiles first.
    expect(names.filter((n) => n !== 'Add starter tiles')).toEqual(['Lock', 'Actions for Admin']);
    await expect.poll(() => new PopupPage(page).item('Created').getAttribute('aria-current')).toBe('true');
    // The menu by keyboard: Enter opens it on its first item, arrows walk it, Escape closes it on its button.
    const focused = (): Promise<string | null> => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label') ?? null);
    await new PopupPage(page).actionsButton('Admin').focus();
    await page.keyboard.press('Enter');
    const menu: (string | null)[] = [await focused()];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('ArrowDown');
      menu.push(await focused());
    }
    expect(menu).toEqual(['Edit Admin', 'Check Admin again', 'Rotate Admin', 'Revoke Admin', 'Remove Admin']);
    await page.keyboard.press('Escape');
    expect(await focused()).toBe('Actions for Admin');
    for (const name of ['Add token', 'Create token', 'Settings', 'Open dashboard']) {
      await expect.poll(async () => {
        await page.keyboard.press('Tab');
        return page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent?.trim());
      }).toBe(name);
    }
    await page.close();
    await popup.useButton('Admin').click();
    await expect.poll(() => popup.item('Admin').getAttribute('aria-current')).toBe('true');
  });

  it('shows the token list quickly when the popup opens', async () => {
    for (let i = 0; i < 5; i += 1) {
      const page = await ext.context.newPage();
      const started = Date.now();
      await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
      await new PopupPage(page).item('Admin').waitFor();
      timings.push(Date.now() - started);
      await page.close();
    }
    timings.sort((a, b) => a - b);
    process.stdout.write(`popup.html -> token list shown: ${timings.join(', ')} ms (median ${timings[2]} ms)\n`);
  });

  it('revokes a token on the server, then removes it here', async () => {
    await popup.rowAction('Created', 'Revoke');
    await popup.dialog().getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => popup.item('Created').count()).toBe(0);
    const lookup = await fetch(`${sandbox.url}/api/v2/apiTokens/lookup`, {
      method: 'POST', headers: { authorization: `Api-Token ${admin.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: created }),
    });
    expect(lookup.status).toBe(404);
    await expect.poll(() => popup.item('Admin').textContent()).toContain('1 of 5 used on the server · 1 stored here');
  });

  it('leaves no secret in storage.local, on disk, in request URLs, or in console output', async () => {
    const secrets = [admin.token, analyst.token, created, expired.token, classic.token];
    await popup.lockButton().click();
    await popup.passphrase().waitFor();
    const local = JSON.stringify(await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get(null)));
    expect(local).toContain('dt0c01.');
    expect(leaks(local, secrets)).toEqual([]);
    expect(leaks(ext.requestUrls.join('\n'), secrets)).toEqual([]);
    expect(leaks(ext.consoleLines.join('\n'), secrets)).toEqual([]);
    expect(leaks(sandbox.output(), secrets)).toEqual([]);

    const id = ext.extensionId;
    await ext.context.close();
    const settingsDir = path.join(profile, 'Default', 'Local Extension Settings', id);
    const files = filesUnder(settingsDir);
    expect(files.length).toBeGreaterThan(0);
    const disk = files.map((f) => readFileSync(f).toString('latin1')).join('\n');
    expect(disk).toContain('dt0c01.');
    expect(leaks(disk, secrets)).toEqual([]);
    // Anywhere else in the profile (session restore, caches, logs): not even the full secret.
    const everywhere = filesUnder(profile).filter((f) => statSync(f).size < 50_000_000);
    const found = everywhere.filter((f) => leaks(readFileSync(f).toString('latin1'), secrets).length > 0);
    expect(found.map((f) => path.relative(profile, f))).toEqual([]);
  });
});
