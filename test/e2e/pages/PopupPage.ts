import type { Locator, Page } from 'playwright-core';

/**
 * The toolbar popup, opened as a tab (a real action popup cannot be opened from Playwright). Finds everything by
 * role and accessible name (docs/ui-contract.md).
 */
export class PopupPage {
  constructor(readonly page: Page) {}
  heading(): Locator { return this.page.getByRole('heading', { name: 'Tokenscope' }); }
  tokenList(): Locator { return this.page.getByRole('list', { name: 'Tokens' }); }
  openDashboardButton(): Locator { return this.page.getByRole('button', { name: 'Open dashboard' }); }

  // ---- vault ----
  passphrase(): Locator { return this.page.getByRole('textbox', { name: 'Passphrase', exact: true }); }
  createVaultButton(): Locator { return this.page.getByRole('button', { name: 'Create vault', exact: true }); }
  unlockButton(): Locator { return this.page.getByRole('button', { name: 'Unlock', exact: true }); }
  lockButton(): Locator { return this.page.getByRole('button', { name: 'Lock', exact: true }); }

  // ---- list ----
  item(label: string): Locator {
    return this.tokenList().getByRole('listitem').filter({ has: this.page.getByRole('button', { name: `Use ${label}`, exact: true }) });
  }
  useButton(label: string): Locator { return this.page.getByRole('button', { name: `Use ${label}`, exact: true }); }
  /** A row's menu button; its menu holds Edit, Check again, Revoke and Remove. */
  actionsButton(label: string): Locator { return this.page.getByRole('button', { name: `Actions for ${label}`, exact: true }); }
  revokeButton(label: string): Locator { return this.page.getByRole('menuitem', { name: `Revoke ${label}`, exact: true }); }
  removeButton(label: string): Locator { return this.page.getByRole('menuitem', { name: `Remove ${label}`, exact: true }); }
  editButton(label: string): Locator { return this.page.getByRole('menuitem', { name: `Edit ${label}`, exact: true }); }
  checkAgainButton(label: string): Locator { return this.page.getByRole('menuitem', { name: `Check ${label} again`, exact: true }); }
  /** Opens a row's menu (as a person would, by clicking its button) and chooses an action. */
  async rowAction(label: string, action: 'Edit' | 'Check again' | 'Rotate' | 'Revoke' | 'Remove'): Promise<void> {
    await this.actionsButton(label).click();
    const item = action === 'Check again' ? this.checkAgainButton(label) : this.page.getByRole('menuitem', { name: `${action} ${label}`, exact: true });
    await item.click();
  }
  alert(): Locator { return this.page.getByRole('alert'); }
  dialog(): Locator { return this.page.getByRole('dialog'); }

  // ---- add ----
  addTokenButton(): Locator { return this.page.getByRole('button', { name: 'Add token', exact: true }); }
  environmentUrl(): Locator { return this.page.getByRole('textbox', { name: 'Environment URL', exact: true }); }
  token(): Locator { return this.page.getByRole('textbox', { name: 'Token', exact: true }); }
  label(): Locator { return this.page.getByRole('textbox', { name: 'Label', exact: true }); }
  saveTokenButton(): Locator { return this.page.getByRole('button', { name: 'Save token', exact: true }); }
  cancelButton(): Locator { return this.page.getByRole('button', { name: 'Cancel', exact: true }); }

  // ---- edit ----
  productionCheckbox(): Locator { return this.page.getByRole('checkbox', { name: 'Production', exact: true }); }
  colour(): Locator { return this.page.getByLabel('Colour', { exact: true }); }
  saveChangesButton(): Locator { return this.page.getByRole('button', { name: 'Save changes', exact: true }); }

  // ---- create ----
  createTokenButton(): Locator { return this.page.getByRole('button', { name: 'Create token', exact: true }); }
  createWith(): Locator { return this.page.getByRole('combobox', { name: 'Create with' }); }
  newTokenName(): Locator { return this.page.getByRole('textbox', { name: 'Name', exact: true }); }
  revealedSecret(): Locator { return this.page.getByRole('textbox', { name: 'Secret (shown once)' }); }

  async createVault(passphrase: string): Promise<void> {
    await this.passphrase().fill(passphrase);
    await this.createVaultButton().click();
    await this.lockButton().waitFor();
  }

  async unlock(passphrase: string): Promise<void> {
    await this.passphrase().fill(passphrase);
    await this.unlockButton().click();
  }

  /**
   * Fills and submits the add form (opening it first if needed). The form's screen loads on first use,
   * so this waits for the page to settle on either the list or the form before deciding.
   */
  async addToken(environmentUrl: string, token: string, label: string): Promise<void> {
    const save = this.saveTokenButton();
    await save.or(this.addTokenButton()).first().waitFor();
    if (!(await save.isVisible())) {
      // If the form finished opening between the check and the click, the button is gone: that is fine.
      await this.addTokenButton().click({ timeout: 5000 }).catch(async (e: unknown) => { if (!(await save.isVisible())) throw e; });
    }
    await this.environmentUrl().waitFor();
    await this.environmentUrl().fill(environmentUrl);
    await this.token().fill(token);
    await this.label().fill(label);
    await this.saveTokenButton().click();
  }
}
