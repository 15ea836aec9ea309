/**
 * API clients bound to stored tokens. The secret is fetched from the vault for every attempt (never cached here),
 * host access is checked first, and the client pins every request to the token's own origin.
 */
import { createDynatraceClient, type ApiToken, type CallOptions, type DynatraceClient, type DynatraceClientOptions } from '../lib/dynatrace';
import { createLogger } from '../lib/log/logger';
import { hasHostPermission, HostPermissionError } from './permissions';
import type { StoredToken } from './storage';
import { getSecret } from './vault';

/** How clients are built; tests inject a fake here (stores pass their own factory through). */
export type ClientFactory = (options: DynatraceClientOptions) => DynatraceClient;

export interface ClientOptions {
  /** Default: the real {@link createDynatraceClient}. */
  createClient?: ClientFactory;
  /** Default: `browser.permissions.contains` for non-loopback origins. */
  hasHostPermission?: (origin: string) => Promise<boolean>;
  /** Per-attempt deadline, default the client's 10 s. */
  timeoutMs?: number;
}

const log = createLogger('api');

/**
 * A client for a stored token. Each attempt first checks host access (throws {@link HostPermissionError} asking
 * the user to grant it again if it was revoked), then reads the secret from the vault (throws `VaultLockedError`
 * while locked: nothing is sent). Those errors reach the caller unchanged, not as `ApiError`.
 */
export function clientForToken(token: StoredToken, options: ClientOptions = {}): DynatraceClient {
  const check = options.hasHostPermission ?? hasHostPermission;
  const factory = options.createClient ?? createDynatraceClient;
  const client = factory({
    environmentUrl: token.environmentUrl,
    logger: log,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    getToken: async () => {
      const origin = new URL(token.environmentUrl).origin;
      if (!(await check(origin))) throw new HostPermissionError(origin);
      return getSecret(token.id);
    },
  });
  return client;
}

/**
 * A client for a token that is not stored yet (checking it before saving): the secret is given directly and
 * is used as both the credential and, for `tokens.lookup`, the token looked up.
 */
export function clientForSecret(environmentUrl: string, secret: string, options: ClientOptions = {}): DynatraceClient {
  const factory = options.createClient ?? createDynatraceClient;
  const check = options.hasHostPermission ?? hasHostPermission;
  return factory({
    environmentUrl,
    logger: log,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    getToken: async () => {
      const origin = new URL(environmentUrl).origin;
      if (!(await check(origin))) throw new HostPermissionError(origin);
      return secret;
    },
  });
}

/**
 * `POST /apiTokens/lookup` for a stored token, authenticated by itself: its current metadata (scopes, expiry, last
 * use). The secret goes from the vault into the request body and nowhere else.
 */
export async function lookupStoredToken(token: StoredToken, options: ClientOptions = {}, call?: CallOptions): Promise<ApiToken> {
  const client = clientForToken(token, options);
  return client.tokens.lookup(await getSecret(token.id), call);
}
