import type { Page } from 'puppeteer-core';
import { byRole, click, fill, fillLabelled, find, gone, isShown, labelled } from './query';

/**
 * The toolbar popup, opened as a tab, in Firefox. Only the names of docs/ui-contract.md and the Settings screen are used:
 * a token row's secondary actions (Edit, Check again, Revoke, Remove) and the popup's file layout are free to change.
 */
export class PopupPage {
  constructor(readonly page: Page) {}

  static readonly tokenList = byRole('list', 'Tokens');
  static readonly lock = byRole('button', 'Lock');
  static readonly createVault = byRole('button', 'Create vault');
  static readonly addToken = byRole('button', 'Add token');
  static readonly saveToken = byRole('button', 'Save token');
  static readonly openDashboard = byRole('button', 'Open dashboard');
  static readonly settings = byRole('button', 'Settings');
  static readonly forgetAll = byRole('button', 'Forget all');
  static readonly alert = byRole('alert');
  static use(label: string): string { return byRole('button', `Use ${label}`); }
  static grantAccess(host: string): string { return byRole('button', `Grant access to ${host}`); }

  async createVault(passphrase: string): Promise<void> {
    await fillLabelled(this.page, 'Passphrase', passphrase);
    await click(this.page, PopupPage.createVault);
    // PBKDF2 with 600,000 iterations runs first.
    await find(this.page, PopupPage.lock, 20_000);
  }

  /** Opens the add form, fills it and saves; resolves once the token's "Use" button is listed. */
  async addToken(environmentUrl: string, token: string, label: string): Promise<void> {
    await click(this.page, PopupPage.addToken);
    await fill(this.page, byRole('textbox', 'Environment URL'), environmentUrl);
    await fillLabelled(this.page, 'Token', token);
    await fill(this.page, byRole('textbox', 'Label'), label);
    await click(this.page, PopupPage.saveToken);
    await find(this.page, `${PopupPage.tokenList} ${PopupPage.use(label)}`);
  }

  /**
   * Every item of the "Tokens" list that has a "Use <label>" button: its label (from that name) and whether it is
   * marked `aria-current="true"`. Read in one go: a role query per item costs a BiDi round trip each.
   */
  async items(): Promise<{ label: string; current: boolean }[]> {
    const list = await find(this.page, PopupPage.tokenList);
    try {
      return await list.evaluate((ul) => Array.from(ul.querySelectorAll('li')).flatMap((li) => {
        const names = Array.from(li.querySelectorAll('button')).map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim() ?? '');
        const use = names.find((n) => n.startsWith('Use '));
        return use === undefined ? [] : [{ label: use.slice('Use '.length), current: li.getAttribute('aria-current') === 'true' }];
      }));
    } finally {
      await list.dispose();
    }
  }

  async labels(): Promise<string[]> { return (await this.items()).map((i) => i.label); }

  /** The label of the item marked `aria-current="true"`, or null. */
  async activeLabel(): Promise<string | null> {
    return (await this.items()).find((i) => i.current)?.label ?? null;
  }

  /** Clicks "Use <label>" and waits until that item is the current one. */
  async use(label: string): Promise<void> {
    await click(this.page, PopupPage.use(label));
    const deadline = Date.now() + 5000;
    while ((await this.activeLabel()) !== label) {
      if (Date.now() > deadline) throw new Error(`"${label}" did not become the active token`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async hasGrantAccess(host: string): Promise<boolean> { return isShown(this.page, PopupPage.grantAccess(host)); }

  /** Settings → "Forget all" → confirms in the dialog; resolves when the popup offers to create a new vault. */
  async forgetAll(): Promise<void> {
    await click(this.page, PopupPage.settings);
    await click(this.page, PopupPage.forgetAll);
    // The confirmation is a modal dialog; its destructive button says what it does.
    await click(this.page, `${byRole('dialog')} ${byRole('button', 'Erase everything')}`);
    await gone(this.page, PopupPage.lock);
    await find(this.page, PopupPage.createVault);
    await (await labelled(this.page, 'Passphrase')).dispose();
  }
}
