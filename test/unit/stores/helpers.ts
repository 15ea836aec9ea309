import { createApp } from 'vue';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { vi } from 'vitest';
import { ApiError, type ApiErrorInit, type ApiToken, type ApiTokenCreate, type DynatraceClient, type DynatraceClientOptions } from '../../../lib/dynatrace';
import { TOKENS_STORE_DEPS, type TokensStoreDeps } from '../../../stores/deps';
import type { StoredToken } from '../../../platform/tokens';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomPart(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** A fresh, well-formed PAT minted at run time (never committed). */
export function mintToken(): string {
  return `dt0c01.${randomPart(24)}.${randomPart(64)}`;
}

export function idOf(token: string): string {
  return token.slice(0, token.lastIndexOf('.'));
}

export const SANDBOX = 'http://127.0.0.1:8787';
export const TENANT = 'https://abc12345.live.dynatrace.com';

/** What the fake server answers; each handler gets the credential the client sent. */
export interface FakeServer {
  lookup?: (token: string, auth: string) => ApiToken | Promise<ApiToken>;
  create?: (body: ApiTokenCreate, auth: string) => { id: string; token: string; expirationDate?: string } | Promise<{ id: string; token: string; expirationDate?: string }>;
  delete?: (id: string, auth: string) => void | Promise<void>;
  /** `GET /apiTokens` (all pages): the tokens the server lists for the selector. */
  list?: (params: Record<string, unknown>, auth: string) => ApiToken[] | Promise<ApiToken[]>;
}

export interface FakeClients {
  factory: NonNullable<TokensStoreDeps['createClient']>;
  /** Every client built, with the environment it was built for. */
  built: DynatraceClientOptions[];
  calls: { method: 'lookup' | 'create' | 'delete' | 'list'; environment: string; arg: unknown }[];
}

/**
 * A fake client factory: each call first asks `getToken()` (so vault and permission errors surface exactly as with
 * the real client), then answers from `server`.
 */
export function fakeClients(server: FakeServer): FakeClients {
  const built: DynatraceClientOptions[] = [];
  const calls: FakeClients['calls'] = [];
  const factory = (options: DynatraceClientOptions): DynatraceClient => {
    built.push(options);
    const environment = String(options.environmentUrl);
    const tokens = {
      lookup: async (token: string) => {
        const auth = await options.getToken();
        calls.push({ method: 'lookup', environment, arg: idOf(token) });
        if (!server.lookup) throw new Error('unexpected lookup');
        return server.lookup(token, auth);
      },
      create: async (body: ApiTokenCreate) => {
        const auth = await options.getToken();
        calls.push({ method: 'create', environment, arg: body });
        if (!server.create) throw new Error('unexpected create');
        return server.create(body, auth);
      },
      delete: async (id: string) => {
        const auth = await options.getToken();
        calls.push({ method: 'delete', environment, arg: id });
        if (!server.delete) throw new Error('unexpected delete');
        await server.delete(id, auth);
      },
      listAll: async function* (params: Record<string, unknown>) {
        const auth = await options.getToken();
        calls.push({ method: 'list', environment, arg: params });
        if (!server.list) throw new Error('unexpected list');
        yield* await server.list(params, auth);
      },
    };
    return { tokens } as unknown as DynatraceClient;
  };
  return { factory, built, calls };
}

export function apiError(init: Partial<ApiErrorInit> & Pick<ApiErrorInit, 'kind'>): ApiError {
  return new ApiError({ method: 'POST', path: '/api/v2/apiTokens/lookup', ...init });
}

/** Lookup metadata as the sandbox returns it. */
export function lookupOf(token: string, overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: idOf(token),
    name: 'my token',
    owner: 'admin@example.com',
    personalAccessToken: true,
    enabled: true,
    scopes: ['metrics.read', 'entities.read', 'apiTokens.write', 'apiTokens.read'],
    creationDate: '2026-01-01T00:00:00.000Z',
    ...overrides,
  } as ApiToken;
}

/** A fresh Pinia installed on an app that provides `deps` (setup stores read them with inject). */
export function setupPinia(deps: Partial<TokensStoreDeps>): Pinia {
  const app = createApp({ render: () => null });
  const pinia = createPinia();
  app.use(pinia);
  app.provide(TOKENS_STORE_DEPS, deps);
  setActivePinia(pinia);
  return pinia;
}

export function grantAll(): Pick<TokensStoreDeps, 'hasHostPermission' | 'requestHostPermission'> {
  return {
    hasHostPermission: vi.fn(async () => true),
    requestHostPermission: vi.fn(async () => true),
  };
}

export function storedToken(overrides: Partial<StoredToken> = {}): StoredToken {
  return {
    id: idOf(mintToken()),
    label: 'Token',
    color: '#1456c7',
    environmentUrl: SANDBOX,
    owner: 'admin@example.com',
    name: 'token',
    personal: true,
    scopes: ['metrics.read'],
    expiresAt: null,
    createdAt: 1_700_000_000_000,
    production: false,
    lastCheckedAt: 1_700_000_000_000,
    lastUsedAt: null,
    ...overrides,
  };
}

/** Waits until `check` passes (storage events of the fake browser are async). */
export async function eventually(check: () => void, timeoutMs = 1000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() - start > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
