import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDynatraceClient, type DynatraceClientOptions } from '../../lib/dynatrace';
import { clientForToken } from '../../platform/api';
import { HostPermissionError, originPattern, needsHostPermission, hasHostPermission } from '../../platform/permissions';
import { saveToken } from '../../platform/token-writes';
import { lockVault, unlockVault, VaultLockedError, setVaultClock } from '../../platform/vault';
import { createVault } from '../../platform/vault-admin';
import type { StoredToken } from '../../platform/storage';

const SECRET_PART = 'K'.repeat(64);
const TENANT = 'https://abc12345.live.dynatrace.com';

function stored(environmentUrl: string): { token: StoredToken; secret: string } {
  const id = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX';
  return {
    secret: `${id}.${SECRET_PART}`,
    token: {
      id, label: 'T', color: '#1456c7', environmentUrl, owner: 'o@example.com', name: 'n', personal: true, scopes: [],
      expiresAt: null, createdAt: 1, production: false, lastCheckedAt: 1, lastUsedAt: null,
    },
  };
}

interface Sent { url: string; headers: Record<string, string> }

function recordingFactory(sent: Sent[]) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    sent.push({ url: String(input), headers: { authorization: headers.get('authorization') ?? '' } });
    return new Response(JSON.stringify({ totalCount: 0, pageSize: 0, nextPageKey: null, apiTokens: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return { fetch, factory: (o: DynatraceClientOptions) => createDynatraceClient({ ...o, fetch, retry: false }) };
}

describe('clientForToken', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    setVaultClock(() => Date.now());
    await createVault('correct horse battery');
  });

  it('decrypts the secret at request time and sends it only in the Authorization header, to the token\'s origin', async () => {
    const { token, secret } = stored('http://127.0.0.1:8787');
    await saveToken(token, secret);
    const sent: Sent[] = [];
    const { factory } = recordingFactory(sent);
    await clientForToken(token, { createClient: factory }).tokens.list();
    expect(sent).toHaveLength(1);
    expect(new URL(sent[0]!.url).origin).toBe('http://127.0.0.1:8787');
    expect(sent[0]!.url).not.toContain(SECRET_PART);
    expect(sent[0]!.headers.authorization).toBe(`Api-Token ${secret}`);
  });

  it('sends nothing while the vault is locked, and works again after unlocking', async () => {
    const { token, secret } = stored('http://127.0.0.1:8787');
    await saveToken(token, secret);
    await lockVault();
    const sent: Sent[] = [];
    const { factory, fetch } = recordingFactory(sent);
    const client = clientForToken(token, { createClient: factory });
    await expect(client.tokens.list()).rejects.toBeInstanceOf(VaultLockedError);
    expect(fetch).not.toHaveBeenCalled();
    await unlockVault('correct horse battery');
    await client.tokens.list();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('checks host access for a tenant origin first and asks to grant it again when revoked', async () => {
    const { token, secret } = stored(TENANT);
    await saveToken(token, secret);
    const contains = vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false);
    const sent: Sent[] = [];
    const { factory, fetch } = recordingFactory(sent);
    const error = await clientForToken(token, { createClient: factory }).tokens.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostPermissionError);
    expect((error as HostPermissionError).origin).toBe(TENANT);
    expect((error as Error).message).toMatch(/grant access/);
    expect(contains).toHaveBeenCalledWith({ origins: ['https://abc12345.live.dynatrace.com/*'] });
    expect(fetch).not.toHaveBeenCalled();
    contains.mockResolvedValue(true);
    await clientForToken(token, { createClient: factory }).tokens.list();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('never asks for loopback origins (granted in the manifest)', async () => {
    const contains = vi.spyOn(fakeBrowser.permissions, 'contains');
    expect(needsHostPermission('http://127.0.0.1:8787')).toBe(false);
    expect(needsHostPermission('http://localhost:3000')).toBe(false);
    expect(needsHostPermission(TENANT)).toBe(true);
    expect(await hasHostPermission('http://localhost:8787')).toBe(true);
    expect(contains).not.toHaveBeenCalled();
    expect(originPattern('https://dt.example.com:9999')).toBe('https://dt.example.com/*');
  });
});
