import { execFileSync } from 'node:child_process';
import { adminFetch, spawnSandbox, type SandboxProcess } from '../test/helpers/spawn-sandbox';
import { launchExtension, type LaunchOptions, type LoadedExtension } from '../test/e2e/support/extension';
import { PopupPage } from '../test/e2e/pages/PopupPage';
import type { BrowserGlobals } from './util';

type StoredTile = Record<string, unknown>;

/**
 * The e2e build of the extension in headless Chromium, with a vault holding one PAT of support@example.com against a
 * fresh sandbox and that environment's board set to `tiles(starter)` (the popup's starter tiles as it added them),
 * written where the dashboard's board keeps it. What the popup-overview and board-heap figures start from.
 */
export async function extensionWithBoard(name: string, tiles: (starter: StoredTile[]) => StoredTile[], launch: LaunchOptions = {}): Promise<{ sb: SandboxProcess; ext: LoadedExtension; close(): Promise<void> }> {
  execFileSync('npm', ['run', 'build:e2e'], { stdio: 'ignore' });
  const key = `bench-${name}-key`;
  const sb = await spawnSandbox(['--db', ':memory:', '--admin-key', key]);
  const ext = await launchExtension(launch);
  const close = async () => { await ext.close(); await sb.stop(); };
  try {
    const { token } = (await (await adminFetch(sb.url, key, '/users/support@example.com/tokens', 'POST', { name: 'bench', scopes: ['metrics.read', 'entities.read', 'problems.read'] })).json()) as { token: string };
    const popup = new PopupPage(await ext.open('popup.html'));
    await popup.createVault(`bench ${name} passphrase`);
    await popup.addToken(sb.url, token, 'Support');
    await popup.item('Support').waitFor();
    await popup.page.getByRole('button', { name: 'Add starter tiles' }).click();
    await popup.page.getByRole('list', { name: 'Overview tiles' }).waitFor();
    await popup.page.close();
    const { boards } = (await ext.worker.evaluate(() => (globalThis as unknown as BrowserGlobals).chrome.storage.local.get('boards'))) as { boards: Record<string, StoredTile[]> };
    const next = Object.fromEntries(Object.entries(boards).map(([env, starter]) => [env, tiles(starter)]));
    await ext.worker.evaluate((b) => (globalThis as unknown as BrowserGlobals).chrome.storage.local.set({ boards: b }), next);
    return { sb, ext, close };
  } catch (e) {
    await close();
    throw e;
  }
}
