import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiToken } from '../../../lib/dynatrace';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { useTokensStore } from '../../../stores/tokens';
import { useVaultStore } from '../../../stores/vault';
import { getSecret, setVaultClock } from '../../../platform/vault';
import { setActiveTokenId } from '../../../platform/tokens';
import { removeToken, saveToken } from '../../../platform/token-writes';
import type { TokensStoreDeps } from '../../../stores/deps';
import {
  apiError, eventually, fakeClients, grantAll, idOf, lookupOf, mintToken, SANDBOX, setupPinia, storedToken, TENANT,
  type FakeServer,
} from './helpers';

const PASS = 'correct horse battery';
const NOW = Date.parse('2026-06-01T12:00:00Z');

async function freshStore(server: FakeServer, deps: Partial<TokensStoreDeps> = {}) {
  const clients = fakeClients(server);
  setupPinia({ ...grantAll(), createClient: clients.factory, now: () => NOW, ...deps });
  const store = useTokensStore();
  await store.load();
  return { store, clients, vault: useVaultStore() };
}

async function unlockedStore(server: FakeServer = {}, deps: Partial<TokensStoreDeps> = {}) {
  const ctx = await freshStore(server, deps);
  expect(await ctx.vault.create(PASS)).toBe(true);
  return ctx;
}

async function localSnapshot(): Promise<string> {
  return JSON.stringify(await fakeBrowser.storage.local.get(null));
}

describe('tokens store', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    setVaultClock(() => NOW);
  });
  afterEach(() => {
    useTokensStore().dispose();
    useVaultStore().dispose();
  });

  describe('load', () => {
    it('is empty and locked-state aware before a vault exists', async () => {
      const { store } = await freshStore({});
      expect(store.status).toBe('success');
      expect(store.tokens).toEqual([]);
      expect(store.locked).toBe(true);
      expect(store.active).toBeNull();
    });
  });

  describe('addToken', () => {
    it('checks the token with lookup, stores metadata and the sealed secret, and makes the first token active', async () => {
      const secret = mintToken();
      const { store, clients } = await unlockedStore({ lookup: (t, auth) => { expect(auth).toBe(t); return lookupOf(t, { expirationDate: '2026-12-31T00:00:00.000Z', lastUsedDate: '2026-05-01T00:00:00.000Z' }); } });
      const saved = await store.addToken({ environmentUrl: `${SANDBOX}/`, token: ` ${secret} `, label: 'Admin', color: '#0f7b3f' });
      expect(saved).toMatchObject({
        id: idOf(secret), label: 'Admin', color: '#0f7b3f', environmentUrl: SANDBOX, owner: 'admin@example.com', name: 'my token',
        personal: true, expiresAt: Date.parse('2026-12-31T00:00:00.000Z'), lastCheckedAt: NOW, production: false,
        lastUsedAt: Date.parse('2026-05-01T00:00:00.000Z'),
      });
      expect(store.status).toBe('success');
      expect(store.error).toBeNull();
      expect(store.tokens.map((t) => t.id)).toEqual([idOf(secret)]);
      expect(store.activeId).toBe(idOf(secret));
      expect(store.hasSecret(idOf(secret))).toBe(true);
      expect(clients.built[0]?.environmentUrl).toBe(SANDBOX);
      expect(await getSecret(idOf(secret))).toBe(secret);
      // The secret is nowhere in plain text: not in local storage, not in Pinia.
      expect(await localSnapshot()).not.toContain(secret.slice(-64));
      expect(JSON.stringify(store.$state)).not.toContain(secret.slice(-64));
    });

    it('uses the server name as label when none is given', async () => {
      const secret = mintToken();
      const { store } = await unlockedStore({ lookup: (t) => lookupOf(t, { name: 'from server' }) });
      expect((await store.addToken({ environmentUrl: SANDBOX, token: secret }))?.label).toBe('from server');
    });

    it.each([
      ['abc123.apps.dynatrace.com', 'invalid-url', /apps.*https:\/\/abc123\.live\.dynatrace\.com/],
      ['http://tenant.example.com', 'invalid-url', /https/],
      ['', 'invalid-url', /Enter the URL/],
    ])('refuses the environment URL %j (%s) before sending anything', async (url, kind, message) => {
      const { store, clients } = await unlockedStore({});
      const before = await localSnapshot();
      expect(await store.addToken({ environmentUrl: url, token: mintToken() })).toBeNull();
      expect(store.error).toMatchObject({ operation: 'add', kind });
      expect(store.error?.message).toMatch(message);
      expect(clients.calls).toEqual([]);
      expect(await localSnapshot()).toBe(before);
    });

    it('offers the live host for an apps URL', async () => {
      const { store } = await unlockedStore({});
      await store.addToken({ environmentUrl: 'https://abc123.apps.dynatrace.com', token: mintToken() });
      expect(store.error?.actions).toEqual([{ kind: 'use-suggestion', value: 'https://abc123.live.dynatrace.com', label: 'Use https://abc123.live.dynatrace.com' }]);
    });

    it.each([
      ['dt0c01.SHORT.SECRET', /public part/],
      ['dt0s16.ABCDEFGHIJKLMNOPQRSTUVWX.ABC', /starts with "dt0c01\."/],
      ['', /Enter a token/],
    ])('refuses the malformed token %j without sending it', async (token, message) => {
      const { store, clients } = await unlockedStore({});
      expect(await store.addToken({ environmentUrl: SANDBOX, token })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'invalid-token' });
      expect(store.error?.message).toMatch(message);
      expect(clients.calls).toEqual([]);
    });

    it.each([
      ['an unreachable host', apiError({ kind: 'network' }), 'unreachable', /could not be reached/],
      ['a wrong host (not JSON)', apiError({ kind: 'bad-response', reason: 'not-json', status: 200 }), 'unreachable', /did not answer like a Dynatrace environment/],
      ['a 404 host', apiError({ kind: 'not-found', status: 404 }), 'unreachable', /404/],
      ['a 401', apiError({ kind: 'token-invalid', status: 401 }), 'token-invalid', /rejected this token \(401\)/],
      ['an expired token', apiError({ kind: 'token-expired', status: 401 }), 'expired', /expired/],
      ['PATs disabled', apiError({ kind: 'pat-disabled', status: 401 }), 'pat-disabled', /disabled in this environment/],
      ['a disabled token', apiError({ kind: 'token-invalid', reason: 'token-disabled', status: 401 }), 'token-invalid', /disabled/],
    ])('explains %s and stores nothing', async (_what, error, kind, message) => {
      const { store } = await unlockedStore({ lookup: () => { throw error; } });
      const before = await localSnapshot();
      expect(await store.addToken({ environmentUrl: SANDBOX, token: mintToken(), label: 'X' })).toBeNull();
      expect(store.error).toMatchObject({ operation: 'add', kind });
      expect(store.error?.message).toMatch(message);
      expect(store.status).toBe('error');
      expect(store.tokens).toEqual([]);
      expect(await localSnapshot()).toBe(before);
    });

    it('refuses a classic API token (not a PAT)', async () => {
      const { store } = await unlockedStore({ lookup: (t) => lookupOf(t, { personalAccessToken: false }) });
      expect(await store.addToken({ environmentUrl: SANDBOX, token: mintToken() })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'not-personal' });
      expect(store.error?.message).toMatch(/not a personal access token/);
      expect(store.tokens).toEqual([]);
    });

    it('refuses a token whose metadata says it has expired', async () => {
      const { store } = await unlockedStore({ lookup: (t) => lookupOf(t, { expirationDate: '2026-01-01T00:00:00.000Z' }) });
      expect(await store.addToken({ environmentUrl: SANDBOX, token: mintToken() })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'expired' });
    });

    it('refuses a token that is already stored', async () => {
      const secret = mintToken();
      const { store } = await unlockedStore({ lookup: (t) => lookupOf(t) });
      await store.addToken({ environmentUrl: SANDBOX, token: secret, label: 'First' });
      expect(await store.addToken({ environmentUrl: SANDBOX, token: secret, label: 'Again' })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'duplicate' });
      expect(store.error?.message).toContain('"First"');
      expect(store.tokens).toHaveLength(1);
    });

    it('refuses while the vault is locked, before sending', async () => {
      const { store, clients, vault } = await unlockedStore({ lookup: (t) => lookupOf(t) });
      await vault.lock();
      expect(await store.addToken({ environmentUrl: SANDBOX, token: mintToken() })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'locked' });
      expect(clients.calls).toEqual([]);
    });

    it('asks for host access to a tenant origin first, and stores nothing when refused', async () => {
      const request = vi.fn(async () => false);
      const { store, clients } = await unlockedStore({ lookup: (t) => lookupOf(t) }, { requestHostPermission: request });
      expect(await store.addToken({ environmentUrl: TENANT, token: mintToken() })).toBeNull();
      expect(request).toHaveBeenCalledWith(TENANT);
      expect(store.error).toMatchObject({ kind: 'host-permission', actions: [{ kind: 'grant-access', origin: TENANT }] });
      expect(clients.calls).toEqual([]);
    });

    it('requests host access synchronously, in the same task as the click', async () => {
      const request = vi.fn(async () => true);
      const { store } = await unlockedStore({ lookup: (t) => lookupOf(t) }, { requestHostPermission: request });
      const pending = store.addToken({ environmentUrl: TENANT, token: mintToken() });
      expect(request).toHaveBeenCalledTimes(1);
      expect(await pending).not.toBeNull();
    });
  });

  describe('createToken', () => {
    async function withCreator(server: FakeServer, scopes = ['apiTokens.write', 'metrics.read']) {
      const creatorSecret = mintToken();
      const ctx = await unlockedStore({ lookup: (t) => lookupOf(t, { scopes: scopes as ApiToken['scopes'] }), ...server });
      await ctx.store.addToken({ environmentUrl: SANDBOX, token: creatorSecret, label: 'Creator' });
      return { ...ctx, creatorSecret, creatorId: idOf(creatorSecret) };
    }

    it('creates a PAT as the creator, stores it and returns the secret once (not in state)', async () => {
      const newSecret = mintToken();
      const { store, clients, creatorSecret, creatorId } = await withCreator({
        create: (body, auth) => {
          expect(auth).toBe(creatorSecret);
          return { id: idOf(newSecret), token: newSecret, expirationDate: '2026-07-01T12:00:00.000Z' };
        },
      });
      const created = await store.createToken({ creatorId, name: 'analyst view', scopes: ['metrics.read', 'entities.read', 'problems.read'], expiresInDays: 30, label: 'Analyst' });
      expect(created).toMatchObject({ secret: newSecret, storeError: null, token: { id: idOf(newSecret), label: 'Analyst', owner: 'admin@example.com', personal: true, expiresAt: Date.parse('2026-07-01T12:00:00.000Z') } });
      expect(clients.calls.at(-1)).toMatchObject({ method: 'create', arg: { name: 'analyst view', personalAccessToken: true, expirationDate: 'now+30d', scopes: ['metrics.read', 'entities.read', 'problems.read'] } });
      expect(store.tokens.map((t) => t.label)).toEqual(['Creator', 'Analyst']);
      expect(store.activeId).toBe(creatorId);
      expect(JSON.stringify(store.$state)).not.toContain(newSecret.slice(-64));
      expect(await getSecret(idOf(newSecret))).toBe(newSecret);
    });

    it('sends no expirationDate for a token that never expires', async () => {
      const newSecret = mintToken();
      const { store, clients, creatorId } = await withCreator({ create: () => ({ id: idOf(newSecret), token: newSecret }) });
      await store.createToken({ creatorId, name: 'n', scopes: ['metrics.read'], expiresInDays: null });
      expect(clients.calls.at(-1)?.arg).not.toHaveProperty('expirationDate');
      expect(store.tokens.at(-1)?.expiresAt).toBeNull();
    });

    it('refuses locally when the creator lacks apiTokens.write', async () => {
      const { store, clients, creatorId } = await withCreator({}, ['metrics.read']);
      const callsBefore = clients.calls.length;
      expect(await store.createToken({ creatorId, name: 'n', scopes: ['metrics.read'], expiresInDays: 7 })).toBeNull();
      expect(store.error).toMatchObject({ operation: 'create', kind: 'missing-write-scope' });
      expect(store.error?.message).toContain('apiTokens.write');
      expect(clients.calls.length).toBe(callsBefore);
    });

    it('decodes the server\'s 403 for a missing apiTokens.write', async () => {
      const { store, creatorId } = await withCreator({ create: () => { throw apiError({ kind: 'missing-scope', status: 403, scopes: [{ name: 'apiTokens.write' }] }); } });
      expect(await store.createToken({ creatorId, name: 'n', scopes: ['metrics.read'], expiresInDays: 7 })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'missing-write-scope' });
    });

    it('refuses the sixth PAT of an owner locally, before sending', async () => {
      const { store, clients, creatorId } = await withCreator({});
      for (let i = 0; i < 4; i += 1) await saveToken(storedToken({ owner: 'admin@example.com', environmentUrl: SANDBOX }), mintToken());
      await eventually(() => expect(store.personalCount(SANDBOX, 'admin@example.com')).toBe(5));
      const callsBefore = clients.calls.length;
      expect(await store.createToken({ creatorId, name: 'sixth', scopes: ['metrics.read'], expiresInDays: 7 })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'token-limit' });
      expect(store.error?.message).toMatch(/5 of 5/);
      expect(clients.calls.length).toBe(callsBefore);
    });

    it('decodes the server\'s 400 for the sixth PAT the same way', async () => {
      const { store, creatorId } = await withCreator({
        create: () => { throw apiError({ kind: 'validation', reason: 'token-limit', status: 400, user: 'admin@example.com' }); },
      });
      const before = await localSnapshot();
      expect(await store.createToken({ creatorId, name: 'n', scopes: ['metrics.read'], expiresInDays: 7 })).toBeNull();
      expect(store.error).toMatchObject({ kind: 'token-limit', apiKind: 'validation' });
      expect(store.error?.message).toMatch(/maximum of five/);
      expect(await localSnapshot()).toBe(before);
    });

    it('reveals the secret even when storing fails after creation, and says so', async () => {
      const newSecret = mintToken();
      const { store, vault, creatorId } = await withCreator({
        create: async () => {
          await vault.lock();
          return { id: idOf(newSecret), token: newSecret };
        },
      });
      const created = await store.createToken({ creatorId, name: 'n', scopes: ['metrics.read'], expiresInDays: 7 });
      expect(created).toMatchObject({ storeError: { kind: 'locked' }, secret: newSecret });
      expect(store.error).toMatchObject({ kind: 'locked' });
      expect(store.tokens).toHaveLength(1);
    });

    it('requires a name and a scope', async () => {
      const { store, creatorId } = await withCreator({});
      expect(await store.createToken({ creatorId, name: ' ', scopes: ['metrics.read'], expiresInDays: 7 })).toBeNull();
      expect(store.error?.message).toMatch(/name/);
      expect(await store.createToken({ creatorId, name: 'n', scopes: [], expiresInDays: 7 })).toBeNull();
      expect(store.error?.message).toMatch(/scope/);
    });
  });

  describe('revoke and remove', () => {
    async function twoTokens(server: FakeServer = {}) {
      const writer = mintToken();
      const target = mintToken();
      const ctx = await unlockedStore({ lookup: (t) => lookupOf(t, { scopes: t === writer ? ['apiTokens.write'] : ['metrics.read'] }), ...server });
      await ctx.store.addToken({ environmentUrl: SANDBOX, token: writer, label: 'Writer' });
      await ctx.store.addToken({ environmentUrl: SANDBOX, token: target, label: 'Target' });
      return { ...ctx, writer, target };
    }

    it('revokes on the server with another token of the owner, then removes it here', async () => {
      const deleted: string[] = [];
      const { store, writer, target, clients } = await twoTokens({ delete: (id, auth) => { expect(auth).toBe(writer); deleted.push(id); } });
      expect(await store.revokeToken(idOf(target))).toBe(true);
      expect(deleted).toEqual([idOf(target)]);
      expect(clients.calls.filter((c) => c.method === 'delete').map((c) => c.arg)).toEqual([idOf(target)]);
      expect(store.tokens.map((t) => t.label)).toEqual(['Writer']);
      expect(await localSnapshot()).not.toContain(idOf(target));
    });

    it('keeps the token when the server refuses, and explains', async () => {
      const { store, target } = await twoTokens({ delete: () => { throw apiError({ kind: 'server', status: 503, method: 'DELETE' }); } });
      expect(await store.revokeToken(idOf(target))).toBe(false);
      expect(store.error).toMatchObject({ operation: 'revoke', kind: 'server', apiKind: 'server' });
      expect(store.tokens).toHaveLength(2);
    });

    it('treats a 404 as already revoked', async () => {
      const { store, target } = await twoTokens({ delete: () => { throw apiError({ kind: 'not-found', status: 404, method: 'DELETE' }); } });
      expect(await store.revokeToken(idOf(target))).toBe(true);
      expect(store.tokens).toHaveLength(1);
    });

    it('explains that a token cannot revoke itself when no other writer is stored', async () => {
      const { store, writer, clients } = await twoTokens();
      expect(await store.revokeToken(idOf(writer))).toBe(false);
      expect(store.error).toMatchObject({ kind: 'missing-write-scope' });
      expect(store.error?.message).toMatch(/Remove/);
      expect(clients.calls.filter((c) => c.method === 'delete')).toEqual([]);
    });

    it('removes locally only, clearing the active id', async () => {
      const { store, writer } = await twoTokens();
      expect(store.activeId).toBe(idOf(writer));
      expect(await store.removeToken(idOf(writer))).toBe(true);
      expect(store.activeId).toBeNull();
      expect(store.hasSecret(idOf(writer))).toBe(false);
    });
  });

  describe('recheckToken', () => {
    it('looks the token up with its own secret and stores the fresh metadata', async () => {
      const secret = mintToken();
      let scopes = ['metrics.read'];
      const { store } = await unlockedStore({ lookup: (t, auth) => { expect(auth).toBe(secret); expect(t).toBe(secret); return lookupOf(t, { scopes: scopes as ApiToken['scopes'], lastUsedDate: '2026-05-30T00:00:00.000Z' }); } });
      await store.addToken({ environmentUrl: SANDBOX, token: secret, label: 'Mine' });
      scopes = ['metrics.read', 'problems.read'];
      const updated = await store.recheckToken(idOf(secret));
      expect(updated).toMatchObject({ scopes: ['metrics.read', 'problems.read'], lastUsedAt: Date.parse('2026-05-30T00:00:00.000Z'), lastCheckedAt: NOW });
      expect(store.tokens[0]?.scopes).toEqual(['metrics.read', 'problems.read']);
    });

    it('explains a token that stopped working', async () => {
      const secret = mintToken();
      let fail = false;
      const { store } = await unlockedStore({ lookup: (t) => { if (fail) throw apiError({ kind: 'token-expired', status: 401 }); return lookupOf(t); } });
      await store.addToken({ environmentUrl: SANDBOX, token: secret });
      fail = true;
      expect(await store.recheckToken(idOf(secret))).toBeNull();
      expect(store.error).toMatchObject({ operation: 'recheck', kind: 'expired' });
    });
  });

  describe('editToken', () => {
    it('stores a trimmed label, a colour and the production tag (local only: nothing is sent)', async () => {
      const { store, clients } = await unlockedStore({});
      const t = storedToken({ label: 'Before' });
      await saveToken(t, mintToken());
      await store.load();
      expect(await store.editToken(t.id, { label: '  After  ', color: '#0f7b3f', production: true })).toBe(true);
      expect(store.tokens[0]).toMatchObject({ label: 'After', color: '#0f7b3f', production: true, scopes: t.scopes });
      expect(store.error).toBeNull();
      expect(clients.calls).toEqual([]);
    });

    it('refuses an empty label and a malformed colour, and explains a token removed meanwhile', async () => {
      const { store } = await unlockedStore({});
      const t = storedToken({ label: 'Same' });
      await saveToken(t, mintToken());
      await store.load();
      expect(await store.editToken(t.id, { label: '   ' })).toBe(false);
      expect(store.error).toMatchObject({ operation: 'edit', kind: 'invalid-input', message: 'Give the token a label.' });
      expect(await store.editToken(t.id, { color: 'red' })).toBe(false);
      expect(store.error).toMatchObject({ operation: 'edit', kind: 'invalid-input' });
      expect(store.tokens[0]).toEqual(t);
      await removeToken(t.id);
      expect(await store.editToken(t.id, { label: 'Gone' })).toBe(false);
      expect(store.error).toMatchObject({ operation: 'edit', kind: 'not-found' });
      expect(store.busy).toBeNull();
    });
  });

  describe('setActive', () => {
    it('switches in one call; refuses expired tokens; asks before a production token', async () => {
      const { store } = await unlockedStore({});
      const a = storedToken({ label: 'A' });
      const expired = storedToken({ label: 'Old', expiresAt: NOW - 1 });
      const prod = storedToken({ label: 'Prod', production: true });
      for (const t of [a, expired, prod]) await saveToken(t, mintToken());
      await store.load();
      expect(store.activeId).toBe(a.id);
      expect(await store.setActive(expired.id)).toBe('refused');
      expect(store.error).toMatchObject({ operation: 'activate', kind: 'expired' });
      expect(store.activeId).toBe(a.id);
      expect(await store.setActive(prod.id)).toBe('needs-confirmation');
      expect(store.activeId).toBe(a.id);
      expect(await store.setActive(prod.id, { confirmed: true })).toBe('activated');
      expect(store.activeId).toBe(prod.id);
      expect(store.active?.label).toBe('Prod');
      expect(store.error).toBeNull();
    });

    it('marks expiring and expired tokens', async () => {
      const { store } = await unlockedStore({});
      const soon = storedToken({ expiresAt: NOW + 2 * 86_400_000 });
      const later = storedToken({ expiresAt: NOW + 30 * 86_400_000 });
      const gone = storedToken({ expiresAt: NOW - 1 });
      for (const t of [soon, later, gone]) await saveToken(t, mintToken());
      await store.load();
      expect([soon, later, gone].map((t) => [store.expiringSoon(t), store.expired(t)])).toEqual([[true, false], [false, false], [false, true]]);
      expect(store.usable(gone)).toBe(false);
    });
  });

  describe('following other pages', () => {
    it('sees tokens, the active id and the lock state change in storage within a second', async () => {
      const { store, vault } = await unlockedStore({});
      const t = storedToken({ label: 'From the dashboard' });
      await saveToken(t, mintToken());
      await eventually(() => expect(store.tokens.map((x) => x.label)).toEqual(['From the dashboard']));
      await eventually(() => expect(store.hasSecret(t.id)).toBe(true));
      const u = storedToken({ label: 'Second' });
      await saveToken(u, mintToken());
      await setActiveTokenId(u.id, NOW);
      await eventually(() => expect(store.active?.label).toBe('Second'));
      await removeToken(u.id);
      await eventually(() => expect(store.activeId).toBeNull());
      await fakeBrowser.storage.session.remove(['vaultKey', 'vaultActivity']);
      await eventually(() => expect(vault.state).toBe('locked'));
      expect(store.locked).toBe(true);
    });

    it('groups by environment and owner with the PAT count', async () => {
      const { store } = await unlockedStore({});
      await saveToken(storedToken({ label: 'a1', owner: 'a@x' }), mintToken());
      await saveToken(storedToken({ label: 't1', owner: 'a@x', environmentUrl: TENANT }), mintToken());
      await saveToken(storedToken({ label: 'b1', owner: 'b@x' }), mintToken());
      await saveToken(storedToken({ label: 'a2', owner: 'A@x' }), mintToken());
      await store.load();
      expect(store.groups.map((g) => [g.environmentUrl, g.owner, g.personalCount, g.tokens.map((t) => t.label)])).toEqual([
        [SANDBOX, 'a@x', 2, ['a1', 'a2']],
        [SANDBOX, 'b@x', 1, ['b1']],
        [TENANT, 'a@x', 1, ['t1']],
      ]);
    });

    it('reports tenant origins whose host access was revoked, and grants again from a click', async () => {
      let granted = false;
      const request = vi.fn(async () => { granted = true; return true; });
      const { store } = await unlockedStore({}, { hasHostPermission: async () => granted, requestHostPermission: request });
      await saveToken(storedToken({ environmentUrl: TENANT }), mintToken());
      await store.load();
      expect(store.missingAccess).toEqual([TENANT]);
      expect(await store.grantHostAccess(TENANT)).toBe(true);
      expect(store.missingAccess).toEqual([]);
    });
  });
});
