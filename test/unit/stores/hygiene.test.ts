import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ApiToken } from '../../../lib/dynatrace';
import { useHygieneStore } from '../../../stores/hygiene';
import { useTokensStore } from '../../../stores/tokens';
import { useVaultStore } from '../../../stores/vault';
import { setVaultClock } from '../../../platform/vault';
import { getRotations } from '../../../platform/hygiene';
import { apiError, fakeClients, grantAll, idOf, lookupOf, mintToken, SANDBOX, setupPinia, type FakeServer } from './helpers';

const PASS = 'correct horse battery';
let now = Date.parse('2026-06-01T12:00:00Z');
const OWNER = 'admin@example.com';

/** A fake Dynatrace for one owner: its PATs on the server, with create/delete/list as the API does them. */
function fakeServer(initial: string[]) {
  const onServer = new Map<string, ApiToken>(initial.map((t) => [idOf(t), lookupOf(t, { name: `server ${idOf(t).slice(-4)}` })]));
  let failDelete = false;
  const server: FakeServer = {
    lookup: (t) => lookupOf(t, { scopes: ['apiTokens.read', 'apiTokens.write', 'metrics.read'] as ApiToken['scopes'], expirationDate: '2026-06-11T12:00:00.000Z', creationDate: '2026-05-12T12:00:00.000Z' }),
    list: (params) => {
      expect(params.apiTokenSelector).toBe(`owner("${OWNER}"),personalAccessToken(true)`);
      return [...onServer.values()];
    },
    create: (body) => {
      const secret = mintToken();
      onServer.set(idOf(secret), lookupOf(secret, { name: body.name }));
      return { id: idOf(secret), token: secret, expirationDate: '2026-07-01T12:00:00.000Z' };
    },
    delete: (id) => {
      if (failDelete) throw apiError({ kind: 'server', status: 503, method: 'DELETE' });
      if (!onServer.delete(id)) throw apiError({ kind: 'not-found', status: 404, method: 'DELETE' });
    },
  };
  return { server, onServer, setFailDelete: (v: boolean) => { failDelete = v; } };
}

async function setup(initial: string[], storedIndexes: number[]) {
  const fake = fakeServer(initial);
  const clients = fakeClients(fake.server);
  setupPinia({ ...grantAll(), createClient: clients.factory, now: () => now });
  const tokens = useTokensStore();
  await tokens.load();
  await useVaultStore().create(PASS);
  for (const i of storedIndexes) await tokens.addToken({ environmentUrl: SANDBOX, token: initial[i]!, label: `T${i}` });
  const hygiene = useHygieneStore();
  await hygiene.load();
  return { tokens, hygiene, clients, ...fake };
}

describe('token hygiene', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    now = Date.parse('2026-06-01T12:00:00Z');
    setVaultClock(() => now);
  });
  afterEach(() => {
    useHygieneStore().dispose();
    useTokensStore().dispose();
    useVaultStore().dispose();
  });

  it('counts the five slots as the server does: 3 of 5 used on the server, 1 stored here, 2 not stored here', async () => {
    const secrets = [mintToken(), mintToken(), mintToken()];
    const { tokens, hygiene } = await setup(secrets, [0]);
    const group = tokens.groups[0]!;
    expect(hygiene.groupLine(group)).toEqual({ server: '3 of 5 used on the server · 1 stored here' });
    const slot = Object.values(hygiene.slots)[0]!;
    expect(slot.state === 'server' && slot.comparison.notStored.map((t) => t.id).sort()).toEqual([idOf(secrets[1]!), idOf(secrets[2]!)].sort());
  });

  it('asks the server at most once a minute per owner; a forced refresh asks again', async () => {
    const { hygiene, clients } = await setup([mintToken()], [0]);
    const lists = () => clients.calls.filter((c) => c.method === 'list').length;
    expect(lists()).toBe(1);
    now += 30_000;
    await hygiene.load();
    expect(lists()).toBe(1);
    now += 31_000;
    await hygiene.refresh();
    expect(lists()).toBe(2);
    await hygiene.refresh({ force: true });
    expect(lists()).toBe(3);
  });

  it('marks a stored token the server no longer has, and removes nothing by itself', async () => {
    const secrets = [mintToken(), mintToken()];
    const { tokens, hygiene, onServer } = await setup(secrets, [0, 1]);
    onServer.delete(idOf(secrets[1]!));
    await hygiene.refresh({ force: true });
    expect(hygiene.flags(tokens.tokens[1]!)).toEqual({ rotationPending: false, goneFromServer: true });
    expect(tokens.tokens).toHaveLength(2);
  });

  it('revokes a token that is on the server but not stored here', async () => {
    const secrets = [mintToken(), mintToken()];
    const { tokens, hygiene, onServer } = await setup(secrets, [0]);
    expect(await hygiene.revokeServerToken(tokens.groups[0]!, idOf(secrets[1]!))).toBe(true);
    expect([...onServer.keys()]).toEqual([idOf(secrets[0]!)]);
    expect(hygiene.groupLine(tokens.groups[0]!)).toEqual({ server: '1 of 5 used on the server · 1 stored here' });
  });

  it('rotates: same label and scopes, same validity length, active again, the old one revoked on the server', async () => {
    const secrets = [mintToken()];
    const { tokens, hygiene, onServer, clients } = await setup(secrets, [0]);
    const outcome = await hygiene.rotate(idOf(secrets[0]!));
    expect(outcome?.state).toBe('rotated');
    expect(tokens.tokens.map((t) => t.label)).toEqual(['T0']);
    expect(tokens.tokens[0]!.id).not.toBe(idOf(secrets[0]!));
    expect(tokens.activeId).toBe(tokens.tokens[0]!.id);
    expect(onServer.has(idOf(secrets[0]!))).toBe(false);
    expect(clients.calls.find((c) => c.method === 'create')?.arg).toMatchObject({ scopes: ['apiTokens.read', 'apiTokens.write', 'metrics.read'], expirationDate: 'now+30d', personalAccessToken: true });
    expect(await getRotations()).toEqual({});
  });

  it('a failed revoke keeps both, marks the old one "rotated, not yet revoked"; Revoke finishes it once the fault is gone', async () => {
    const secrets = [mintToken()];
    const { tokens, hygiene, setFailDelete, onServer } = await setup(secrets, [0]);
    setFailDelete(true);
    const outcome = await hygiene.rotate(idOf(secrets[0]!));
    expect(outcome?.state).toBe('revoke-failed');
    expect(hygiene.error?.kind).toBe('server');
    expect(tokens.tokens).toHaveLength(2);
    const old = tokens.tokens.find((t) => t.id === idOf(secrets[0]!))!;
    expect(hygiene.flags(old).rotationPending).toBe(true);
    setFailDelete(false);
    expect((await hygiene.finish(old.id))?.state).toBe('rotated');
    expect(tokens.tokens.map((t) => t.id)).not.toContain(old.id);
    expect(onServer.has(old.id)).toBe(false);
    expect(await getRotations()).toEqual({});
  });

  it('refuses to rotate or create while the server holds five, naming the tokens that hold the slots', async () => {
    const secrets = [mintToken(), mintToken(), mintToken(), mintToken(), mintToken()];
    const { tokens, hygiene, clients } = await setup(secrets, [0]);
    expect(await hygiene.rotate(idOf(secrets[0]!))).toBeNull();
    expect(hygiene.error).toMatchObject({ kind: 'token-limit' });
    expect(hygiene.error?.message).toMatch(/holds all 5 personal access tokens \(.*server .*\)/);
    expect(await tokens.createToken({ creatorId: idOf(secrets[0]!), name: 'sixth', scopes: ['metrics.read'], expiresInDays: 7 })).toBeNull();
    expect(tokens.error?.message).toMatch(/holds all 5 personal access tokens on the server/);
    expect(clients.calls.filter((c) => c.method === 'create')).toEqual([]);
  });

  it('exactly one of two simultaneous rotations of a token runs; the other is told', async () => {
    // Web Locks as two pages share them: `ifAvailable` gets no lock while another holder has it.
    const held = new Set<string>();
    vi.stubGlobal('navigator', { ...navigator, locks: {
      request: async (name: string, options: { ifAvailable?: boolean; mode?: string } | (() => Promise<unknown>), cb?: (lock: unknown) => Promise<unknown>) => {
        const fn = typeof options === 'function' ? options : cb!;
        if (typeof options === 'object' && options.ifAvailable && held.has(name)) return fn(null);
        if (typeof options === 'object' && options.ifAvailable) held.add(name);
        try { return await fn({ name }); } finally { held.delete(name); }
      },
    } });
    const secrets = [mintToken()];
    const { hygiene, onServer } = await setup(secrets, [0]);
    const api = await import('../../../stores/token-requests');
    const tokens = useTokensStore();
    const [a, b] = await Promise.all([
      api.rotateToken(tokens.requestContext(), idOf(secrets[0]!), tokens.hasSecret),
      api.rotateToken(tokens.requestContext(), idOf(secrets[0]!), tokens.hasSecret),
    ]);
    const results = [a, b].map((r) => (r.ok ? r.value.outcome.state : r.error.message));
    expect(results.filter((r) => r === 'rotated')).toHaveLength(1);
    expect(results.find((r) => r !== 'rotated')).toMatch(/being rotated in another Tokenscope window/);
    // One new token on the server, the old one gone.
    expect(onServer.size).toBe(1);
    void hygiene;
    vi.unstubAllGlobals();
  });

  it('without a token that may list tokens, falls back to the count stored here and says why', async () => {
    const secret = mintToken();
    const fake = fakeServer([secret]);
    fake.server.lookup = (t) => lookupOf(t, { scopes: ['metrics.read'] as ApiToken['scopes'] });
    setupPinia({ ...grantAll(), createClient: fakeClients(fake.server).factory, now: () => now });
    const tokens = useTokensStore();
    await tokens.load();
    await useVaultStore().create(PASS);
    await tokens.addToken({ environmentUrl: SANDBOX, token: secret, label: 'Reader-less' });
    const hygiene = useHygieneStore();
    await hygiene.load();
    expect(hygiene.groupLine(tokens.groups[0]!)).toEqual({ server: "1 of 5 stored here (the server's count needs apiTokens.read)" });
  });
});
