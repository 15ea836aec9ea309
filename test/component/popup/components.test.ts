import { mount } from '@vue/test-utils';
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import ConfirmDialog from '../../../components/ConfirmDialog.vue';
import ErrorNotice from '../../../components/ErrorNotice.vue';
import TokenAddForm from '../../../components/TokenAddForm.vue';
import TokenCreateForm from '../../../components/TokenCreateForm.vue';
import TokenEditForm from '../../../components/TokenEditForm.vue';
import TokenList from '../../../components/TokenList.vue';
import TokenSecretReveal from '../../../components/TokenSecretReveal.vue';
import VaultForm from '../../../components/VaultForm.vue';
import VaultSettings from '../../../components/VaultSettings.vue';
import type { CreatorView, TokenGroupView, TokenItemView } from '../../../components/token-view';
import type { FailureView } from '../../../lib/failure/failure';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;

function item(overrides: Partial<TokenItemView> = {}): TokenItemView {
  return {
    id: 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', label: 'Admin', color: '#1456c7', owner: 'admin@example.com', host: '127.0.0.1:8787',
    scopes: ['metrics.read', 'apiTokens.write'], expiresAt: null, lastUsedAt: null, production: false, active: false, expired: false, expiresSoon: false,
    hasSecret: true, accessMissing: false, origin: 'http://127.0.0.1:8787', check: null, ...overrides,
  };
}

function group(tokens: TokenItemView[], overrides: Partial<TokenGroupView> = {}): TokenGroupView {
  return { key: 'k', host: tokens[0]?.host ?? 'h', owner: tokens[0]?.owner ?? 'o', personalCount: tokens.length, limit: 5, tokens, ...overrides };
}

const failure = (overrides: Partial<FailureView> = {}): FailureView => ({ kind: 'expired', title: 'Token expired', message: 'This token has expired.', actions: [], ...overrides });

describe('ErrorNotice', () => {
  it('is an alert region with the title, the cause, its own actions and slotted ones', async () => {
    const grant = { kind: 'grant-access', origin: 'https://abc.live.dynatrace.com', label: 'Grant access to abc.live.dynatrace.com' } as const;
    const w = mount(ErrorNotice, { props: { failure: failure({ actions: [grant], cause: 'GET /api/v2/x failed 401 (token-expired)' }) }, slots: { default: '<button>Retry</button>' } });
    const alert = w.get('[role="alert"]');
    expect(alert.text()).toContain('Token expired: This token has expired.');
    expect(alert.get('details').text()).toContain('GET /api/v2/x failed 401');
    expect(w.findAll('button').map((b) => b.text())).toEqual(['Grant access to abc.live.dynatrace.com', 'Retry']);
    await w.findAll('button')[0]!.trigger('click');
    expect(w.emitted('action')).toEqual([[grant]]);
  });

  it('compact: one line without details or the technical cause', () => {
    const w = mount(ErrorNotice, { props: { failure: failure({ details: ['a: bad', 'b: bad'], cause: 'x' }), compact: true } });
    expect(w.find('details').exists()).toBe(false);
    expect(w.find('ul').exists()).toBe(false);
  });
});

describe('VaultForm', () => {
  it('warns while a new passphrase is easy to guess, and stops when it is not; unlocking never warns', async () => {
    const w = mount(VaultForm, { props: { mode: 'create', busy: false, error: null, minLength: 8 } });
    const input = w.get('input#vault-passphrase');
    await input.setValue('password');
    // The check loads with the first key press.
    await vi.dynamicImportSettled();
    await flushPromises();
    expect(w.get('[role="status"]').text()).toMatch(/easy to guess/);
    expect(input.attributes('aria-describedby')).toBe('vault-warning');
    await input.setValue('correct horse battery staple');
    expect(w.find('[role="status"]').exists()).toBe(false);
    await w.setProps({ mode: 'unlock' });
    await input.setValue('password');
    expect(w.find('[role="status"]').exists()).toBe(false);
  });

  it('create mode: labelled passphrase field, "Create vault", emits the passphrase once and clears the field', async () => {
    const w = mount(VaultForm, { props: { mode: 'create', busy: false, error: null, minLength: 8 }, attachTo: document.body });
    const input = w.get('input#vault-passphrase');
    expect(w.get('label[for="vault-passphrase"]').text()).toBe('Passphrase');
    expect(input.attributes('type')).toBe('password');
    expect(input.attributes('autocomplete')).toBe('new-password');
    expect(document.activeElement).toBe(input.element);
    await input.setValue('correct horse');
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')).toEqual([['correct horse']]);
    expect((input.element as HTMLInputElement).value).toBe('');
    expect(w.get('button[type="submit"]').text()).toBe('Create vault');
    expect(w.text()).toContain('cannot be recovered');
    w.unmount();
  });

  it('unlock mode: "Unlock", the error as an alert, a way out when the passphrase is forgotten', async () => {
    const w = mount(VaultForm, { props: { mode: 'unlock', busy: false, error: failure({ kind: 'wrong-passphrase', title: 'Wrong passphrase', message: 'That passphrase does not unlock this vault.' }), minLength: 8 } });
    expect(w.get('button[type="submit"]').text()).toBe('Unlock');
    expect(w.get('[role="alert"]').text()).toContain('Wrong passphrase');
    expect(w.get('input').attributes('aria-describedby')).toBe('vault-error');
    await w.get('button.link').trigger('click');
    expect(w.emitted('forget')).toHaveLength(1);
  });

  it('shows the passphrase on request and ignores submits while busy', async () => {
    const w = mount(VaultForm, { props: { mode: 'unlock', busy: true, error: null, minLength: 8 } });
    const toggle = w.get('button[aria-pressed]');
    await toggle.trigger('click');
    expect(w.get('input').attributes('type')).toBe('text');
    expect(toggle.attributes('aria-pressed')).toBe('true');
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')).toBeUndefined();
    expect(w.get('[role="status"]').text()).toMatch(/Unlocking/);
  });
});

describe('TokenList', () => {
  it('is one list named "Tokens"; items carry label, owner, scopes, "n of 5" and a "Use <label>" button', () => {
    const a = item({ active: true });
    const b = item({ id: 'dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB', label: 'Second', scopes: [] });
    const c = item({ id: 'dt0c01.CCCCCCCCCCCCCCCCCCCCCCCC', label: 'Tenant', owner: 'me@x', host: 'abc.live.dynatrace.com' });
    const w = mount(TokenList, { props: { groups: [group([a, b], { personalCount: 2 }), group([c])], now: NOW, busy: false } });
    const list = w.get('ul[aria-label="Tokens"]');
    const items = list.findAll('li');
    expect(items).toHaveLength(3);
    expect(items[0]!.attributes('aria-current')).toBe('true');
    expect(items[1]!.attributes('aria-current')).toBeUndefined();
    expect(items[0]!.text()).toContain('2 of 5 personal tokens');
    // The owner is printed once per group; every row still carries it (for screen readers).
    expect(items[0]!.get('h3').text()).toBe('admin@example.com on 127.0.0.1:8787');
    expect(items[1]!.find('h3').exists()).toBe(false);
    expect(items[1]!.text()).toContain('admin@example.com on 127.0.0.1:8787');
    expect(items[2]!.get('h3').text()).toBe('me@x on abc.live.dynatrace.com');
    expect(items[0]!.text()).toContain('metrics.read, apiTokens.write');
    expect(items[1]!.text()).toContain('no scopes');
    expect(items[0]!.get('button[aria-label="Use Admin"]').attributes('disabled')).toBeDefined();
    expect(items[0]!.text()).toContain('Active');
    expect(items[1]!.get('button[aria-label="Use Second"]').attributes('disabled')).toBeUndefined();
  });

  it('emits use with the token id; the secondary actions come from the row\'s menu "Actions for <label>"', async () => {
    const b = item({ id: 'dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB', label: 'Second' });
    const w = mount(TokenList, { props: { groups: [group([b])], now: NOW, busy: false }, attachTo: document.body });
    await w.get('button[aria-label="Use Second"]').trigger('click');
    expect(w.emitted('use')).toEqual([[b.id]]);
    expect(w.find('[role="menu"]').exists()).toBe(false);
    const trigger = w.get('button[aria-label="Actions for Second"]');
    expect(trigger.attributes('aria-haspopup')).toBe('menu');
    expect(trigger.attributes('aria-expanded')).toBe('false');
    for (const [name, text, action] of [
      ['Edit Second', 'Edit', 'edit'], ['Check Second again', 'Check again', 'recheck'], ['Revoke Second', 'Revoke…', 'revoke'], ['Remove Second', 'Remove…', 'remove'],
    ] as const) {
      await trigger.trigger('click');
      expect(trigger.attributes('aria-expanded')).toBe('true');
      const entry = w.get(`[role="menu"] [role="menuitem"][aria-label="${name}"]`);
      expect(entry.text()).toBe(text);
      await entry.trigger('click');
      expect(w.find('[role="menu"]').exists()).toBe(false);
      expect(w.emitted('action')!.at(-1)).toEqual([action, b.id]);
    }
    await w.setProps({ busy: true });
    expect(trigger.attributes('disabled')).toBeDefined();
    w.unmount();
  });

  it('the menu works by keyboard: ArrowDown opens on the first item, arrows move, Escape closes and returns focus', async () => {
    const b = item({ id: 'dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB', label: 'Second' });
    const w = mount(TokenList, { props: { groups: [group([b])], now: NOW, busy: false }, attachTo: document.body });
    const trigger = w.get('button[aria-label="Actions for Second"]');
    await trigger.trigger('keydown', { key: 'ArrowDown' });
    await nextTick();
    const focused = (): string | null => (document.activeElement as HTMLElement | null)?.getAttribute('aria-label') ?? null;
    expect(focused()).toBe('Edit Second');
    await w.get('[role="menu"]').trigger('keydown', { key: 'ArrowDown' });
    expect(focused()).toBe('Check Second again');
    await w.get('[role="menu"]').trigger('keydown', { key: 'End' });
    expect(focused()).toBe('Remove Second');
    await w.get('[role="menu"]').trigger('keydown', { key: 'ArrowDown' });
    expect(focused()).toBe('Edit Second');
    await w.get('[role="menu"]').trigger('keydown', { key: 'Escape' });
    expect(w.find('[role="menu"]').exists()).toBe(false);
    expect(focused()).toBe('Actions for Second');
    w.unmount();
  });

  it('shows the outcome of "Check again": progress and success as text, a failure as an alert naming the cause', () => {
    const checking = item({ label: 'A', check: { state: 'checking', message: 'Checking with 127.0.0.1:8787…' } });
    const ok = item({ id: 'dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB', label: 'B', check: { state: 'ok', message: 'Checked: "B" works. Scopes changed: added problems.read.' } });
    const bad = item({ id: 'dt0c01.CCCCCCCCCCCCCCCCCCCCCCCC', label: 'C', check: { state: 'error', failure: failure({ message: 'This token has expired (401). Create a new one.' }) } });
    const none = item({ id: 'dt0c01.DDDDDDDDDDDDDDDDDDDDDDDD', label: 'D' });
    const w = mount(TokenList, { props: { groups: [group([checking, ok, bad, none])], now: NOW, busy: false } });
    const [a, b, c, d] = w.findAll('li');
    expect(a!.get('.check').text()).toBe('Checking with 127.0.0.1:8787…');
    expect(a!.find('[role="alert"]').exists()).toBe(false);
    expect(b!.get('.check').text()).toContain('added problems.read');
    expect(b!.find('[role="alert"]').exists()).toBe(false);
    expect(c!.get('[role="alert"]').text()).toContain('Token expired');
    expect(c!.get('[role="alert"]').text()).toContain('expired (401)');
    expect(d!.find('.check').exists()).toBe(false);
    expect(d!.find('[role="alert"]').exists()).toBe(false);
  });

  it('marks expired tokens (cannot be used) and warns about tokens expiring within a week', () => {
    const gone = item({ label: 'Old', expired: true, expiresAt: NOW - DAY });
    const soon = item({ id: 'dt0c01.SSSSSSSSSSSSSSSSSSSSSSSS', label: 'Soon', expiresSoon: true, expiresAt: NOW + 3 * DAY });
    const later = item({ id: 'dt0c01.LLLLLLLLLLLLLLLLLLLLLLLL', label: 'Later', expiresAt: Date.parse('2026-12-31T00:00:00Z') });
    const used = item({ id: 'dt0c01.UUUUUUUUUUUUUUUUUUUUUUUU', label: 'Used', lastUsedAt: Date.parse('2026-05-01T00:00:00Z') });
    const w = mount(TokenList, { props: { groups: [group([gone, soon, later, used])], now: NOW, busy: false } });
    const [g, s, l, u] = w.findAll('li');
    // Relative times, with the absolute time beside them (shown on hover and focus).
    expect(u!.get('time').text()).toBe('Used 32 days agoMay 1, 2026, 12:00 AM');
    expect(u!.get('time').attributes('datetime')).toBe('2026-05-01T00:00:00.000Z');
    expect(g!.text()).toContain('Expired 1 day ago');
    expect(g!.get('button[aria-label="Use Old"]').attributes('disabled')).toBeDefined();
    expect(g!.get('button[aria-label="Use Old"]').attributes('aria-describedby')).toBeTruthy();
    expect(g!.text()).toContain('cannot be used');
    expect(s!.get('.expiry').text()).toBe('Expires in 3 days');
    expect(s!.get('.expiry').classes()).toContain('warn');
    expect(l!.get('.expiry').text()).toBe('Expires in 7 months');
    expect(l!.get('.expiry').attributes('title')).toMatch(/Dec 31, 2026/);
    expect(l!.text()).toContain('Not used yet');
  });

  it('says when host access was revoked and offers to grant it again', async () => {
    const t = item({ accessMissing: true, origin: 'https://abc.live.dynatrace.com', host: 'abc.live.dynatrace.com' });
    const w = mount(TokenList, { props: { groups: [group([t])], now: NOW, busy: false } });
    expect(w.text()).toContain('No access to https://abc.live.dynatrace.com');
    await w.get('button:not([aria-label])').trigger('click');
    expect(w.emitted('grant')).toEqual([['https://abc.live.dynatrace.com']]);
  });

  it('tags production tokens and renders labels as text, never as HTML', () => {
    const t = item({ label: '<img src=x onerror=alert(1)>', production: true });
    const w = mount(TokenList, { props: { groups: [group([t])], now: NOW, busy: false } });
    expect(w.find('img').exists()).toBe(false);
    expect(w.text()).toContain('<img src=x onerror=alert(1)>');
    expect(w.text()).toContain('Production');
  });
});

describe('TokenAddForm', () => {
  const props = { busy: false, error: null, colors: ['#1456c7', '#0f7b3f'], defaultColor: '#0f7b3f' };

  it('has the labelled fields and emits what was typed', async () => {
    const w = mount(TokenAddForm, { props });
    expect(w.findAll('label').map((l) => l.text())).toEqual(['Environment URL', 'Token', 'Label', 'Colour', 'Production (ask before switching to it)']);
    expect(w.get('#add-token').attributes('type')).toBe('password');
    await w.get('#add-url').setValue('http://127.0.0.1:8787');
    await w.get('#add-token').setValue('dt0c01.X');
    await w.get('#add-label').setValue('Mine');
    await w.get('#add-production').setValue(true);
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')).toEqual([[{ environmentUrl: 'http://127.0.0.1:8787', token: 'dt0c01.X', label: 'Mine', color: '#0f7b3f', production: true }]]);
    expect(w.get('button[type="submit"]').text()).toBe('Save token');
  });

  it('shows the decoded error as an alert and offers the suggested URL', async () => {
    const w = mount(TokenAddForm, { props: { ...props, error: failure({ kind: 'invalid-url', title: 'Not an environment URL', message: 'Use https://abc.live.dynatrace.com instead.', actions: [{ kind: 'use-suggestion', value: 'https://abc.live.dynatrace.com', label: 'Use https://abc.live.dynatrace.com' }] }) } });
    expect(w.get('[role="alert"]').text()).toContain('Use https://abc.live.dynatrace.com instead.');
    await w.get('[role="alert"] button').trigger('click');
    expect((w.get('#add-url').element as HTMLInputElement).value).toBe('https://abc.live.dynatrace.com');
  });

  it('cancel clears the token it was given', async () => {
    const w = mount(TokenAddForm, { props });
    await w.get('#add-token').setValue('dt0c01.SECRET');
    await w.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    expect((w.get('#add-token').element as HTMLInputElement).value).toBe('');
    expect(w.emitted('cancel')).toHaveLength(1);
  });

  it('says it is checking while busy and does not submit twice', async () => {
    const w = mount(TokenAddForm, { props: { ...props, busy: true } });
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')).toBeUndefined();
    expect(w.get('[role="status"]').text()).toMatch(/Checking/);
  });
});

describe('TokenEditForm', () => {
  const props = {
    currentLabel: 'Admin', value: { label: 'Admin', color: '#1456c7', production: false }, description: 'admin@example.com on 127.0.0.1:8787',
    busy: false, error: null, colors: ['#1456c7', '#0f7b3f'],
  };

  it('is named after the token, starts from its values, has labelled fields and emits the edited values', async () => {
    const w = mount(TokenEditForm, { props, attachTo: document.body });
    expect(w.get('form').attributes('aria-labelledby')).toBe('edit-heading');
    expect(w.get('#edit-heading').text()).toBe('Edit Admin');
    expect(w.text()).toContain('admin@example.com on 127.0.0.1:8787');
    for (const [id, name] of [['edit-label', 'Label'], ['edit-color', 'Colour'], ['edit-production', 'Production']]) {
      expect(w.get(`label[for="${id}"]`).text()).toBe(name);
    }
    const label = w.get('#edit-label');
    expect(document.activeElement).toBe(label.element);
    expect((label.element as HTMLInputElement).value).toBe('Admin');
    expect(w.get('#edit-production').attributes('type')).toBe('checkbox');
    expect(w.get('#edit-production').attributes('aria-describedby')).toBe('edit-production-hint');
    await label.setValue('Admin EU');
    await w.get('#edit-color').setValue('#0f7b3f');
    await w.get('#edit-production').setValue(true);
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')).toEqual([[{ label: 'Admin EU', color: '#0f7b3f', production: true }]]);
    // The heading keeps the current name until the change is saved.
    expect(w.get('#edit-heading').text()).toBe('Edit Admin');
    w.unmount();
  });

  it('shows the error as an alert tied to the label field; Cancel and Escape emit cancel; no double submit while busy', async () => {
    const w = mount(TokenEditForm, { props: { ...props, error: failure({ kind: 'invalid-input', title: 'Check this value', message: 'Give the token a label.' }) } });
    expect(w.get('[role="alert"]').text()).toContain('Give the token a label.');
    expect(w.get('[role="alert"]').attributes('id')).toBe('edit-error');
    expect(w.get('#edit-label').attributes('aria-describedby')).toBe('edit-error');
    expect(w.get('#edit-label').attributes('aria-invalid')).toBe('true');
    await w.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    await w.get('#edit-label').trigger('keydown', { key: 'Escape' });
    expect(w.emitted('cancel')).toHaveLength(2);
    await w.setProps({ busy: true, error: null });
    expect(w.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')).toBeUndefined();
    expect(w.find('[role="alert"]').exists()).toBe(false);
  });
});

describe('TokenCreateForm', () => {
  const creators: CreatorView[] = [
    { id: 'dt0c01.RRRRRRRRRRRRRRRRRRRRRRRR', label: 'Reader', owner: 'a@x', host: 'h', personalCount: 1, limit: 5, canWrite: false },
    { id: 'dt0c01.WWWWWWWWWWWWWWWWWWWWWWWW', label: 'Writer', owner: 'a@x', host: 'h', personalCount: 3, limit: 5, canWrite: true },
  ];
  const props = { creators, busy: false, error: null, colors: ['#1456c7'], defaultColor: '#1456c7' };

  it('preselects a creator with apiTokens.write, shows the owner\'s count, and emits the analyst preset by default', async () => {
    const w = mount(TokenCreateForm, { props });
    expect((w.get('select#create-with').element as HTMLSelectElement).value).toBe(creators[1]!.id);
    expect(w.text()).toContain('3 of 5 personal tokens');
    expect(w.get('select#create-with').text()).toContain('(no apiTokens.write)');
    await w.get('#create-name').setValue('new one');
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')?.[0]?.[0]).toEqual({
      creatorId: creators[1]!.id, name: 'new one', scopes: ['metrics.read', 'entities.read', 'problems.read'], expiresInDays: 30,
      label: '', color: '#1456c7', production: false,
    });
  });

  it('support preset, custom scopes and a token that never expires', async () => {
    const w = mount(TokenCreateForm, { props });
    await w.get('#preset-support').setValue(true);
    await w.get('#create-expiry').setValue('never');
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({ scopes: ['metrics.read', 'entities.read', 'problems.read', 'settings.read', 'apiTokens.read'], expiresInDays: null });
    await w.get('#preset-custom').setValue(true);
    await w.get('#scope-slo\\.read').setValue(true);
    await w.get('#create-expiry').setValue('7');
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')?.[1]?.[0]).toMatchObject({ scopes: ['slo.read'], expiresInDays: 7 });
  });

  it('explains what is needed when no token can create one, and shows errors as alerts', () => {
    const empty = mount(TokenCreateForm, { props: { ...props, creators: [] } });
    expect(empty.text()).toContain('needs a stored token of the same user with the scope apiTokens.write');
    expect(empty.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    const failed = mount(TokenCreateForm, { props: { ...props, error: failure({ kind: 'token-limit', title: 'Five personal access tokens already', message: 'a@x already has 5 of 5 personal access tokens.' }) } });
    expect(failed.get('[role="alert"]').text()).toContain('5 of 5');
  });
});

describe('TokenSecretReveal', () => {
  it('shows the secret once, selected; "Copy secret" writes it to the clipboard and says so; done', async () => {
    const written: string[] = [];
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: async (t: string) => { written.push(t); } } });
    const w = mount(TokenSecretReveal, { props: { label: 'New', secret: 'dt0c01.X.Y', stored: true }, attachTo: document.body });
    const input = w.get('input');
    expect(input.attributes('readonly')).toBeDefined();
    expect((input.element as HTMLInputElement).value).toBe('dt0c01.X.Y');
    expect(document.activeElement).toBe(input.element);
    await w.findAll('button')[0]!.trigger('click');
    await flushPromises();
    expect(written).toEqual(['dt0c01.X.Y']);
    expect(w.get('[role="status"]').text()).toBe('Copied to the clipboard.');
    await w.findAll('button')[1]!.trigger('click');
    expect(w.emitted('done')).toHaveLength(1);
    w.unmount();
    vi.unstubAllGlobals();
  });

  it('says how to copy by hand when the browser blocks the clipboard', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: async () => { throw new Error('blocked'); } } });
    const w = mount(TokenSecretReveal, { props: { label: 'New', secret: 's', stored: true } });
    await w.findAll('button')[0]!.trigger('click');
    await flushPromises();
    expect(w.get('[role="status"]').text()).toMatch(/Ctrl\+C/);
    vi.unstubAllGlobals();
  });

  it('warns that it is the only copy when it could not be stored', () => {
    const w = mount(TokenSecretReveal, { props: { label: 'New', secret: 's', stored: false } });
    expect(w.text()).toContain('could not be stored');
  });
});

describe('ConfirmDialog', () => {
  it('opens as a modal dialog with the safe choice focused, and reports the answer', async () => {
    const w = mount(ConfirmDialog, { props: { open: false, title: 'Switch?', message: 'It is production.', confirmLabel: 'Switch' }, attachTo: document.body });
    const dialog = w.get('dialog').element as HTMLDialogElement;
    expect(dialog.open).toBe(false);
    await w.setProps({ open: true });
    await nextTick();
    expect(dialog.open).toBe(true);
    expect(document.activeElement?.textContent).toBe('Cancel');
    expect(w.get('dialog').attributes('aria-labelledby')).toBe('confirm-title');
    await w.findAll('button')[0]!.trigger('click');
    expect(w.emitted('confirm')).toHaveLength(1);
    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(w.emitted('cancel')).toHaveLength(1);
    await w.setProps({ open: false });
    await nextTick();
    expect(dialog.open).toBe(false);
    w.unmount();
  });
});

describe('VaultSettings', () => {
  it('turns expiry notifications on and off from a labelled checkbox', async () => {
    const w = mount(VaultSettings, { props: { autoLockMinutes: 30, notifyExpiry: false, choices: [30], busy: false, error: null, changed: false } });
    expect(w.get('label[for="notify-expiry"]').text()).toBe('Notify me when a token expires within a week');
    await w.get('#notify-expiry').setValue(true);
    expect(w.emitted('update:notifyExpiry')).toEqual([[true]]);
  });

  it('emits the idle period, a passphrase change (fields cleared) and forget', async () => {
    const w = mount(VaultSettings, { props: { autoLockMinutes: 30, notifyExpiry: false, choices: [5, 30, 60], busy: false, error: null, changed: false } });
    expect(w.get('select').text()).toContain('30 minutes');
    expect(w.get('select').text()).toContain('1 hour');
    await w.get('select').setValue('5');
    expect(w.emitted('update:autoLockMinutes')).toEqual([[5]]);
    await w.get('#current-passphrase').setValue('old passphrase');
    await w.get('#new-passphrase').setValue('new passphrase');
    await w.get('form').trigger('submit');
    expect(w.emitted('changePassphrase')).toEqual([['old passphrase', 'new passphrase']]);
    expect((w.get('#new-passphrase').element as HTMLInputElement).value).toBe('');
    await w.findAll('button').find((b) => b.text() === 'Forget all')!.trigger('click');
    expect(w.emitted('forget')).toHaveLength(1);
    await w.setProps({ error: failure({ kind: 'wrong-passphrase', title: 'Wrong passphrase', message: 'The current passphrase is not correct.' }) });
    expect(w.get('[role="alert"]').text()).toContain('not correct');
  });
});

describe('TokenAddForm warnings', () => {
  it('shows a warning about the URL typed, tied to the field, and says what was typed', async () => {
    const w = mount(TokenAddForm, { props: { busy: false, error: null, colors: ['#1456c7'], defaultColor: '#1456c7', warning: 'abc.live.dynatrace.com.evil.io is not a Dynatrace address.' } });
    expect(w.get('[role="status"]').text()).toContain('not a Dynatrace address');
    expect(w.get('#add-url').attributes('aria-describedby')).toBe('add-url-warning');
    await w.get('#add-url').setValue('https://x');
    expect(w.emitted('url')?.at(-1)).toEqual(['https://x']);
  });
});
