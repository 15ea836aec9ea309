import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../helpers/spawn-sandbox';
import { PopupPage } from './pages/PopupPage';
import { axeViolations } from './support/axe';
import { launchExtension, type LoadedExtension } from './support/extension';

const ADMIN_KEY = 'e2e-popup-hygiene-admin-key';
const SCOPES = ['apiTokens.read', 'apiTokens.write', 'metrics.read', 'entities.read'];

interface Minted { id: string; token: string }
interface ExtensionGlobals {
  chrome: {
    storage: { local: { get(keys: string | null): Promise<Record<string, unknown>> } };
    action: { getBadgeBackgroundColor(details: object): Promise<number[]>; getTitle(details: object): Promise<string> };
  };
}

/** Token hygiene in Chromium against the sandbox: the server's five slots, rotation, a failed revoke, expiry. */
describe('token hygiene in the popup, in Chromium against the sandbox', () => {
  let sb: SandboxProcess;
  let ext: LoadedExtension;
  let popup: PopupPage;
  let minted: Minted[];

  const mint = async (email: string, name: string, scopes: string[], expirationDate?: string): Promise<Minted> => {
    const res = await adminFetch(sb.url, ADMIN_KEY, `/users/${email}/tokens`, 'POST', { name, scopes, ...(expirationDate ? { expirationDate } : {}) });
    expect(res.status).toBe(201);
    return (await res.json()) as Minted;
  };
  const entities = (token: string) => fetch(`${sb.url}/api/v2/entities?entitySelector=type(HOST)`, { headers: { authorization: `Api-Token ${token}` } });

  beforeAll(async () => {
    sb = await spawnSandbox(['--db', ':memory:', '--admin-key', ADMIN_KEY]);
    minted = [await mint('admin@example.com', 'laptop', SCOPES), await mint('admin@example.com', 'ci job', ['metrics.read']), await mint('admin@example.com', 'old script', ['entities.read'])];
    ext = await launchExtension();
    popup = new PopupPage(await ext.open('popup.html'));
    await popup.createVault('e2e hygiene passphrase');
    await popup.addToken(sb.url, minted[0]!.token, 'Laptop');
    await popup.item('Laptop').waitFor();
  });

  afterAll(async () => {
    await ext?.close();
    await sb?.stop();
  });

  it('counts the slots as the server does and lists the tokens not stored here', async () => {
    await expect.poll(() => popup.item('Laptop').textContent(), { timeout: 10_000 }).toContain('3 of 5 used on the server · 1 stored here');
    const notStored = popup.page.getByRole('region', { name: 'Tokens of admin@example.com not stored here' });
    await notStored.waitFor();
    expect(await notStored.getByRole('listitem').count()).toBe(2);
    expect(await notStored.textContent()).toContain('ci job');
    expect(await notStored.textContent()).toContain('old script');
    expect(await axeViolations(popup.page)).toEqual([]);
    // Revoking one of them, with confirmation, frees its slot on the server.
    await notStored.getByRole('button', { name: 'Revoke old script in Dynatrace' }).click();
    await popup.dialog().getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => popup.item('Laptop').textContent()).toContain('2 of 5 used on the server · 1 stored here');
    expect((await entities(minted[2]!.token)).status).toBe(401);
  });

  it('rotates the stored token: the new one works, the old one answers 401', async () => {
    const before = (await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('tokens'))) as { tokens: { id: string }[] };
    await popup.rowAction('Laptop', 'Rotate');
    await popup.dialog().getByRole('button', { name: 'Rotate token' }).click();
    await expect.poll(() => popup.page.getByRole('status').filter({ hasText: 'Rotated "Laptop"' }).count(), { timeout: 10_000 }).toBe(1);
    const after = (await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('tokens'))) as { tokens: { id: string; label: string; name: string }[] };
    expect(after.tokens).toHaveLength(1);
    expect(after.tokens[0]!.label).toBe('Laptop');
    expect(after.tokens[0]!.name).toMatch(/^laptop \(rotated \d{4}-\d{2}-\d{2}\)$/);
    expect(after.tokens[0]!.id).not.toBe(before.tokens[0]!.id);
    expect((await entities(minted[0]!.token)).status).toBe(401);
    expect(await popup.item('Laptop').getAttribute('aria-current')).toBe('true');
    // The new one works: looked up with its own secret, from the vault.
    await popup.rowAction('Laptop', 'Check again');
    await expect.poll(() => popup.item('Laptop').textContent(), { timeout: 10_000 }).toContain('Checked: "Laptop" works');
  });

  it('a failed revoke keeps both tokens, marks the old one, and "Revoke" finishes the rotation after the fault is cleared', async () => {
    expect((await adminFetch(sb.url, ADMIN_KEY, '/faults', 'PUT', { errorRate: 1, errorMethods: ['DELETE'] })).status).toBe(200);
    await popup.rowAction('Laptop', 'Rotate');
    await popup.dialog().getByRole('button', { name: 'Rotate token' }).click();
    await expect.poll(() => popup.alert().first().textContent(), { timeout: 10_000 }).toMatch(/Server error/);
    // Both are listed; the old one is marked and offers Revoke.
    expect(await popup.tokenList().getByRole('listitem').count()).toBe(2);
    const old = popup.tokenList().getByRole('listitem').filter({ hasText: 'Rotated, not yet revoked' });
    await old.waitFor();
    expect(await axeViolations(popup.page)).toEqual([]);
    expect((await adminFetch(sb.url, ADMIN_KEY, '/faults', 'DELETE')).status).toBe(204);
    await old.getByRole('button', { name: 'Revoke Laptop' }).click();
    await expect.poll(() => popup.tokenList().getByRole('listitem').count(), { timeout: 10_000 }).toBe(1);
    const stored = (await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.storage.local.get('rotations'))) as { rotations?: Record<string, unknown> };
    expect(stored.rotations ?? {}).toEqual({});
  });

  it('warns on the badge when the active token expires within a week', async () => {
    const soon = await mint('support@example.com', 'expiring', ['metrics.read'], new Date(Date.now() + 3 * 86_400_000).toISOString());
    await popup.addToken(sb.url, soon.token, 'Expiring');
    await popup.item('Expiring').waitFor();
    await popup.useButton('Expiring').click();
    await expect.poll(() => popup.item('Expiring').getAttribute('aria-current')).toBe('true');
    await expect.poll(() => ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getBadgeBackgroundColor({}))).toEqual([179, 89, 0, 255]);
    expect(await ext.worker.evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.action.getTitle({}))).toMatch(/Expiring: Expiring in 3 days/);
    expect(await popup.item('Expiring').textContent()).toContain('Expires in 3 days');
  });
});
