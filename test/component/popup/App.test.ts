import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import App from '../../../popup/PopupApp.vue';
import type { ApiToken } from '../../../lib/dynatrace';
import type { StoredToken as StoredTokenRecord } from '../../../platform/tokens';
import { saveToken } from '../../../platform/token-writes';
import { lockVault, setVaultClock } from '../../../platform/vault';
import { createVault } from '../../../platform/vault-admin';
import { TOKENS_STORE_DEPS, type TokensStoreDeps } from '../../../stores/deps';
import { useTokensStore } from '../../../stores/tokens';
import { useVaultStore } from '../../../stores/vault';
import { apiError, fakeClients, idOf, lookupOf, mintToken, SANDBOX, storedToken, TENANT, type FakeServer } from '../../unit/stores/helpers';

const PASS = 'correct horse battery';
const NOW = Date.parse('2026-06-01T12:00:00Z');

async function until(check: () => void, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  for (;;) {
    await flushPromises();
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() - start > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function mountPopup(server: FakeServer = {}, deps: Partial<TokensStoreDeps> = {}) {
  const clients = fakeClients(server);
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(App, {
    attachTo: document.body,
    global: {
      plugins: [pinia],
      provide: {
        [TOKENS_STORE_DEPS as symbol]: {
          createClient: clients.factory,
          hasHostPermission: async () => true,
          requestHostPermission: async () => true,
          now: () => NOW,
          ...deps,
        } satisfies Partial<TokensStoreDeps>,
      },
    },
  });
  return { wrapper, clients };
}

const byText = (w: VueWrapper, text: string) => w.findAll('button').find((b) => b.text() === text || b.attributes('aria-label') === text);

/** The label of a row action that sits in the row's menu ("Revoke Probe" -> "Probe"), if `text` names one. */
function menuLabel(text: string): string | null {
  return /^(?:Edit|Revoke|Remove) (.+)$/.exec(text)?.[1] ?? /^Check (.+) again$/.exec(text)?.[1] ?? null;
}

/**
 * Clicks a button, waiting for it first: screens and the dialog are loaded on first use (`import()`). A row's
 * secondary action is reached as a person would: through the row's menu button.
 */
async function click(w: VueWrapper, text: string): Promise<void> {
  const row = menuLabel(text);
  if (row !== null && !byText(w, text)) {
    await until(() => { if (!byText(w, `Actions for ${row}`)) throw new Error(`no menu for "${row}" in:\n${w.text()}`); });
    await byText(w, `Actions for ${row}`)!.trigger('click');
    await flushPromises();
  }
  await until(() => { if (!byText(w, text)) throw new Error(`no button "${text}" in:\n${w.text()}`); });
  await byText(w, text)!.trigger('click');
  await flushPromises();
}

/** An element that appears once a lazily loaded screen is shown. */
async function field(w: VueWrapper, selector: string) {
  await until(() => expect(w.find(selector).exists(), selector).toBe(true));
  return w.get(selector);
}

async function addToken(w: VueWrapper, url: string, token: string, label: string): Promise<void> {
  if (!w.find('#add-url').exists()) await click(w, 'Add token');
  await (await field(w, '#add-url')).setValue(url);
  await w.get('#add-token').setValue(token);
  await w.get('#add-label').setValue(label);
  await w.get('form').trigger('submit');
  await flushPromises();
}

async function unlockedPopup(server: FakeServer = {}, deps: Partial<TokensStoreDeps> = {}) {
  await createVault(PASS);
  const ctx = mountPopup(server, deps);
  await until(() => expect(ctx.wrapper.find('ul[aria-label="Tokens"]').isVisible()).toBe(true));
  return ctx;
}

describe('popup App', () => {
  let mounted: VueWrapper | undefined;
  beforeEach(() => {
    fakeBrowser.reset();
    setVaultClock(() => NOW);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    mounted?.unmount();
    mounted = undefined;
    useTokensStore().dispose();
    useVaultStore().dispose();
    document.body.innerHTML = '';
  });

  it('first use: create a passphrase, then the (empty) token list; "Open dashboard" is always there', async () => {
    const { wrapper } = mountPopup();
    mounted = wrapper;
    await until(() => expect(wrapper.find('#vault-passphrase').exists()).toBe(true));
    expect(wrapper.find('h1').text()).toBe('Tokenscope');
    expect(byText(wrapper, 'Open dashboard')).toBeDefined();
    await wrapper.get('#vault-passphrase').setValue('short');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.get('[role="alert"]').text()).toContain('at least 8 characters'));
    await wrapper.get('#vault-passphrase').setValue(PASS);
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.find('ul[aria-label="Tokens"]').isVisible()).toBe(true));
    expect(wrapper.text()).toContain('No tokens stored yet');
    expect(byText(wrapper, 'Lock')).toBeDefined();
    expect(byText(wrapper, 'Open dashboard')).toBeDefined();
  });

  it('locked: unlock screen; a wrong passphrase is an alert; the right one shows the tokens', async () => {
    await createVault(PASS);
    await saveToken(storedToken({ label: 'Kept' }), mintToken());
    await lockVault();
    const { wrapper } = mountPopup();
    mounted = wrapper;
    await until(() => expect(wrapper.find('#vault-passphrase').exists()).toBe(true));
    expect(wrapper.find('ul[aria-label="Tokens"]').exists()).toBe(false);
    await wrapper.get('#vault-passphrase').setValue('wrong passphrase');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.get('[role="alert"]').text()).toContain('Wrong passphrase'));
    await wrapper.get('#vault-passphrase').setValue(PASS);
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.text()).toContain('Kept'));
  });

  it('adds a token: lookup, stored, listed with its owner and active; the secret is not left in the page', async () => {
    const secret = mintToken();
    const { wrapper } = await unlockedPopup({ lookup: (t) => lookupOf(t) });
    mounted = wrapper;
    await addToken(wrapper, SANDBOX, secret, 'Admin');
    await until(() => expect(wrapper.find('li[aria-current="true"]').exists()).toBe(true));
    const li = wrapper.get('li[aria-current="true"]');
    expect(li.text()).toContain('Admin');
    expect(li.text()).toContain('admin@example.com');
    expect(li.text()).toMatch(/1 of 5 (personal tokens|stored here)/);
    expect(wrapper.text()).toContain('Active: Admin');
    expect(document.body.innerHTML).not.toContain(secret.slice(-64));
    expect(wrapper.get('[role="status"]').text()).toContain('Saved "Admin"');
  });

  it.each([
    ['a malformed token', {}, 'dt0c01.BAD.BAD', SANDBOX, /public part/],
    ['an apps URL', {}, 'VALID', 'https://abc123.apps.dynatrace.com', /Use https:\/\/abc123\.live\.dynatrace\.com/],
    ['an unreachable host', { lookup: () => { throw apiError({ kind: 'network' }); } }, 'VALID', SANDBOX, /could not be reached/],
    ['a 401', { lookup: () => { throw apiError({ kind: 'token-invalid', status: 401 }); } }, 'VALID', SANDBOX, /401/],
    ['an expired token', { lookup: () => { throw apiError({ kind: 'token-expired', status: 401 }); } }, 'VALID', SANDBOX, /expired/],
    ['PATs disabled', { lookup: () => { throw apiError({ kind: 'pat-disabled', status: 401 }); } }, 'VALID', SANDBOX, /Personal access tokens are disabled/],
    ['a classic token', { lookup: (t: string) => lookupOf(t, { personalAccessToken: false }) }, 'VALID', SANDBOX, /not a personal access token/],
  ] as [string, FakeServer, string, string, RegExp][])('explains %s inline in the add form and stores nothing', async (_what, server, token, url, message) => {
    const { wrapper } = await unlockedPopup(server);
    mounted = wrapper;
    await addToken(wrapper, url, token === 'VALID' ? mintToken() : token, 'X');
    await until(() => expect(wrapper.get('form [role="alert"]').text()).toMatch(message));
    expect(wrapper.find('#add-url').exists()).toBe(true);
    expect((await fakeBrowser.storage.local.get('tokens')).tokens).toBeUndefined();
  });

  it('the apps suggestion fills in the live URL', async () => {
    const { wrapper } = await unlockedPopup();
    mounted = wrapper;
    await addToken(wrapper, 'abc123.apps.dynatrace.com', mintToken(), 'X');
    await until(() => expect(wrapper.find('form [role="alert"] button').exists()).toBe(true));
    await wrapper.get('form [role="alert"] button').trigger('click');
    expect((wrapper.get('#add-url').element as HTMLInputElement).value).toBe('https://abc123.live.dynatrace.com');
  });

  it('creates a PAT: the secret is revealed once, copyable, and gone after "Done"', async () => {
    const creator = mintToken();
    const fresh = mintToken();
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { wrapper, clients } = await unlockedPopup({
      lookup: (t) => lookupOf(t, { scopes: ['apiTokens.write'] as ApiToken['scopes'] }),
      create: () => ({ id: idOf(fresh), token: fresh }),
    });
    mounted = wrapper;
    await addToken(wrapper, SANDBOX, creator, 'Creator');
    await until(() => expect(wrapper.text()).toContain('Creator'));
    await click(wrapper, 'Create token');
    await (await field(wrapper, '#create-name')).setValue('analyst view');
    await wrapper.get('#create-label').setValue('Fresh');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.find('#reveal-secret').exists()).toBe(true));
    expect((wrapper.get('#reveal-secret').element as HTMLInputElement).value).toBe(fresh);
    expect(clients.calls.filter((c) => c.method === 'create').at(-1)).toMatchObject({ method: 'create', arg: { personalAccessToken: true, name: 'analyst view' } });
    await click(wrapper, 'Copy secret');
    expect(writeText).toHaveBeenCalledWith(fresh);
    expect(wrapper.text()).toContain('Copied to the clipboard.');
    await click(wrapper, 'Done');
    expect(wrapper.find('#reveal-secret').exists()).toBe(false);
    expect(document.body.innerHTML).not.toContain(fresh.slice(-64));
    expect(wrapper.text()).toContain('Fresh');
  });

  it('refuses the sixth PAT of an owner in the create form, before sending', async () => {
    const creator = mintToken();
    const { wrapper, clients } = await unlockedPopup({ lookup: (t) => lookupOf(t, { scopes: ['apiTokens.write'] as ApiToken['scopes'] }) });
    mounted = wrapper;
    await addToken(wrapper, SANDBOX, creator, 'Creator');
    for (let i = 0; i < 4; i += 1) await saveToken(storedToken({ owner: 'admin@example.com' }), mintToken());
    await until(() => expect(wrapper.text()).toMatch(/5 of 5 (personal tokens|stored here)/));
    await click(wrapper, 'Create token');
    await (await field(wrapper, '#create-name')).setValue('sixth');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.get('form [role="alert"]').text()).toContain('5 of 5'));
    expect(clients.calls.some((c) => c.method === 'create')).toBe(false);
  });

  it('decodes the server\'s 400 for the sixth PAT and the missing apiTokens.write', async () => {
    const creator = mintToken();
    let answer: Error = apiError({ kind: 'validation', reason: 'token-limit', status: 400, user: 'admin@example.com' });
    const { wrapper } = await unlockedPopup({
      lookup: (t) => lookupOf(t, { scopes: ['apiTokens.write'] as ApiToken['scopes'] }),
      create: () => { throw answer; },
    });
    mounted = wrapper;
    await addToken(wrapper, SANDBOX, creator, 'Creator');
    await until(() => expect(wrapper.text()).toContain('Creator'));
    await click(wrapper, 'Create token');
    await (await field(wrapper, '#create-name')).setValue('n');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.get('form [role="alert"]').text()).toContain('maximum of five'));
    answer = apiError({ kind: 'missing-scope', status: 403, scopes: [{ name: 'apiTokens.write' }] });
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.get('form [role="alert"]').text()).toContain('lacks the scope apiTokens.write'));
  });

  it('switches with one click, asks before a production token, and cannot choose an expired one', async () => {
    await createVault(PASS);
    const a = storedToken({ label: 'Alpha' });
    const prod = storedToken({ label: 'Prod', production: true });
    const old = storedToken({ label: 'Old', expiresAt: NOW - 1 });
    const b = storedToken({ label: 'Beta' });
    for (const t of [a, prod, old, b]) await saveToken(t, mintToken());
    const { wrapper } = mountPopup();
    mounted = wrapper;
    await until(() => expect(wrapper.text()).toContain('Beta'));
    expect(wrapper.get('li[aria-current="true"]').text()).toContain('Alpha');
    await click(wrapper, 'Use Beta');
    await until(() => expect(wrapper.get('li[aria-current="true"]').text()).toContain('Beta'));
    expect(byText(wrapper, 'Use Old')?.attributes('disabled')).toBeDefined();
    await click(wrapper, 'Use Prod');
    await until(() => expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(true));
    expect(wrapper.get('dialog').text()).toContain('tagged production');
    expect(wrapper.get('li[aria-current="true"]').text()).toContain('Beta');
    await click(wrapper, 'Switch');
    await until(() => expect(wrapper.get('li[aria-current="true"]').text()).toContain('Prod'));
    expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(false);
  });

  it('revokes (after confirming) with another token of the owner, and removes locally', async () => {
    const writer = mintToken();
    const target = mintToken();
    const deleted: string[] = [];
    const { wrapper } = await unlockedPopup({
      lookup: (t) => lookupOf(t, { scopes: (t === writer ? ['apiTokens.write'] : ['metrics.read']) as ApiToken['scopes'] }),
      delete: (id) => { deleted.push(id); },
    });
    mounted = wrapper;
    await addToken(wrapper, SANDBOX, writer, 'Writer');
    await until(() => expect(wrapper.text()).toContain('Writer'));
    await addToken(wrapper, SANDBOX, target, 'Target');
    await until(() => expect(wrapper.text()).toContain('Target'));
    await click(wrapper, 'Revoke Target');
    await click(wrapper, 'Cancel');
    expect(deleted).toEqual([]);
    await click(wrapper, 'Revoke Target');
    await click(wrapper, 'Revoke token');
    await until(() => expect(wrapper.get('ul[aria-label="Tokens"]').text()).not.toContain('Target'));
    expect(deleted).toEqual([idOf(target)]);
    expect(wrapper.get('[role="status"]').text()).toBe('Revoked "Target".');
    await click(wrapper, 'Revoke Writer');
    await click(wrapper, 'Revoke token');
    await until(() => expect(wrapper.get('[role="alert"]').text()).toContain('cannot revoke itself'));
    await click(wrapper, 'Remove Writer');
    await click(wrapper, 'Remove token');
    await until(() => expect(wrapper.findAll('li')).toHaveLength(0));
  });

  it('edits label, colour and production tag; the list shows the new label and focus returns to its menu button', async () => {
    await createVault(PASS);
    const t = storedToken({ label: 'Admin', color: '#1456c7' });
    await saveToken(t, mintToken());
    const { wrapper } = mountPopup();
    mounted = wrapper;
    await until(() => expect(wrapper.text()).toContain('Admin'));
    await click(wrapper, 'Edit Admin');
    const label = await field(wrapper, '#edit-label');
    expect(wrapper.find('ul[aria-label="Tokens"]').isVisible()).toBe(false);
    expect(wrapper.get('#edit-heading').text()).toBe('Edit Admin');
    expect(document.activeElement).toBe(label.element);
    await label.setValue('Admin EU');
    await wrapper.get('#edit-color').setValue('#0f7b3f');
    await wrapper.get('#edit-production').setValue(true);
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.find('ul[aria-label="Tokens"]').isVisible()).toBe(true));
    expect(wrapper.get('li').text()).toContain('Admin EU');
    expect(wrapper.get('li').text()).toContain('Production');
    expect(wrapper.get('[role="status"]').text()).toBe('Saved "Admin EU".');
    expect(document.activeElement).toBe(byText(wrapper, 'Actions for Admin EU')!.element);
    const [stored] = (await fakeBrowser.storage.local.get('tokens')).tokens as StoredTokenRecord[];
    expect(stored).toMatchObject({ id: t.id, label: 'Admin EU', color: '#0f7b3f', production: true });
  });

  it('refuses an empty label inline (alert in the form), and Cancel leaves the token as it was', async () => {
    await createVault(PASS);
    await saveToken(storedToken({ label: 'Keep' }), mintToken());
    const { wrapper } = mountPopup();
    mounted = wrapper;
    await until(() => expect(wrapper.text()).toContain('Keep'));
    await click(wrapper, 'Edit Keep');
    await (await field(wrapper, '#edit-label')).setValue('   ');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.get('form [role="alert"]').text()).toContain('Give the token a label.'));
    expect(wrapper.get('#edit-label').attributes('aria-describedby')).toBe('edit-error');
    await click(wrapper, 'Cancel');
    await until(() => expect(wrapper.find('ul[aria-label="Tokens"]').isVisible()).toBe(true));
    expect(wrapper.get('li').text()).toContain('Keep');
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(document.activeElement).toBe(byText(wrapper, 'Actions for Keep')!.element);
  });

  it('"Check again" looks the token up and says which scopes changed on the server', async () => {
    const secret = mintToken();
    let scopes = ['metrics.read', 'entities.read'];
    const { wrapper, clients } = await unlockedPopup({ lookup: (t) => lookupOf(t, { scopes: scopes as ApiToken['scopes'] }) });
    mounted = wrapper;
    await addToken(wrapper, SANDBOX, secret, 'Analyst');
    await until(() => expect(wrapper.text()).toContain('Analyst'));
    await click(wrapper, 'Check Analyst again');
    await until(() => expect(wrapper.get('li .check').text()).toBe('Checked: "Analyst" works; nothing changed.'));
    scopes = ['metrics.read', 'problems.read'];
    await click(wrapper, 'Check Analyst again');
    await until(() => expect(wrapper.get('li .check').text()).toBe('Checked: "Analyst" works. Scopes changed: added problems.read; removed entities.read.'));
    expect(wrapper.get('li .scopes').text()).toContain('metrics.read, problems.read');
    expect(wrapper.get('[role="status"]').text()).toContain('Scopes changed');
    expect(clients.calls.filter((c) => c.method === 'lookup')).toHaveLength(3);
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it.each([
    ['expired', apiError({ kind: 'token-expired', status: 401 }), /has expired \(401\)/],
    ['revoked', apiError({ kind: 'token-invalid', status: 401 }), /revoked/],
    ['disabled', apiError({ kind: 'token-invalid', reason: 'token-disabled', status: 401 }), /has been disabled/],
    ['PATs disabled', apiError({ kind: 'pat-disabled', status: 403 }), /Personal access tokens are disabled/],
    ['unreachable', apiError({ kind: 'network' }), /127\.0\.0\.1:8787 could not be reached/],
  ] as [string, Error, RegExp][])('"Check again" explains a token that is now %s, in an alert on its item', async (_what, failure, message) => {
    await createVault(PASS);
    const t = storedToken({ label: 'Old', scopes: ['metrics.read'] });
    await saveToken(t, mintToken());
    const { wrapper } = mountPopup({ lookup: () => { throw failure; } });
    mounted = wrapper;
    await until(() => expect(wrapper.text()).toContain('Old'));
    await click(wrapper, 'Check Old again');
    await until(() => expect(wrapper.get('li [role="alert"]').text()).toMatch(message));
    expect(wrapper.get('li [role="alert"]').text()).toContain('Check of Old');
    // Nothing else shows the error, and the stored token is unchanged.
    expect(wrapper.findAll('[role="alert"]')).toHaveLength(1);
    expect(((await fakeBrowser.storage.local.get('tokens')).tokens as StoredTokenRecord[])[0]).toEqual(t);
  });

  it('says when host access to a tenant was revoked, and grants it again from the button', async () => {
    await createVault(PASS);
    await saveToken(storedToken({ label: 'Tenant', environmentUrl: TENANT }), mintToken());
    let granted = false;
    const request = vi.fn(async () => { granted = true; return true; });
    const { wrapper } = mountPopup({}, { hasHostPermission: async () => granted, requestHostPermission: request });
    mounted = wrapper;
    await until(() => expect(wrapper.text()).toContain(`No access to ${TENANT}`));
    await click(wrapper, 'Grant access to abc12345.live.dynatrace.com');
    expect(request).toHaveBeenCalledWith(TENANT);
    await until(() => expect(wrapper.text()).not.toContain('No access to'));
  });

  it('Lock shows the unlock screen; a lock from elsewhere (idle alarm) does too', async () => {
    const { wrapper } = await unlockedPopup();
    mounted = wrapper;
    await click(wrapper, 'Lock');
    await until(() => expect(wrapper.find('#vault-passphrase').exists()).toBe(true));
    expect(byText(wrapper, 'Unlock')).toBeDefined();
    await wrapper.get('#vault-passphrase').setValue(PASS);
    await wrapper.get('form').trigger('submit');
    await until(() => expect(byText(wrapper, 'Lock')).toBeDefined());
    await lockVault();
    await until(() => expect(wrapper.find('#vault-passphrase').exists()).toBe(true));
  });

  it('settings: change the passphrase, then "Forget all" (confirmed) erases everything', async () => {
    const { wrapper } = await unlockedPopup();
    mounted = wrapper;
    await saveToken(storedToken({ label: 'Doomed' }), mintToken());
    await click(wrapper, 'Settings');
    await (await field(wrapper, '#current-passphrase')).setValue('not the passphrase');
    await wrapper.get('#new-passphrase').setValue('brand new passphrase');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.get('[role="alert"]').text()).toContain('current passphrase is not correct'));
    await wrapper.get('#current-passphrase').setValue(PASS);
    await wrapper.get('#new-passphrase').setValue('brand new passphrase');
    await wrapper.get('form').trigger('submit');
    await until(() => expect(wrapper.text()).toContain('Passphrase changed.'));
    await click(wrapper, 'Forget all');
    await click(wrapper, 'Erase everything');
    await until(() => expect(byText(wrapper, 'Create vault')).toBeDefined());
    const local = await fakeBrowser.storage.local.get(null);
    expect(Object.keys(local).filter((k) => !k.startsWith('settings'))).toEqual([]);
  });

  it('every control is a native, labelled button or field (usable by keyboard alone)', async () => {
    const { wrapper } = await unlockedPopup();
    mounted = wrapper;
    await saveToken(storedToken({ label: 'K' }), mintToken());
    await until(() => expect(wrapper.text()).toContain('K'));
    for (const view of [null, 'Add token', 'Create token', 'Edit K', 'Settings']) {
      if (view) {
        await click(wrapper, view);
        await until(() => expect(wrapper.find('ul[aria-label="Tokens"]').isVisible()).toBe(false));
      }
      for (const el of wrapper.findAll('[onclick], div[tabindex], span[tabindex]')) throw new Error(`non-native control: ${el.html()}`);
      for (const input of wrapper.findAll('input:not([type="hidden"]), select')) {
        const id = input.attributes('id');
        expect(id && wrapper.find(`label[for="${id}"]`).exists(), `label for ${input.html()}`).toBe(true);
      }
      if (view) await click(wrapper, view === 'Settings' ? 'Back to tokens' : 'Cancel');
    }
  });
});
