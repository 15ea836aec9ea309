import type { Context } from 'hono';
import type { Db } from './db/database';
import type { Role, UserAccess } from './identity';
import type { TokenRow } from './tokens';
import type { Scope } from '../lib/scopes';
import type { World } from './world/world';
import type { RateLimiter } from './rate-limit';

export interface Faults { latencyMs: number; errorRate: number; rateLimitPerMinute: number | null }

export interface SandboxDeps {
  db: Db;
  /** Epoch ms; fixed in tests. */
  clock: () => number;
  /** For fault injection; seeded in tests. */
  random: () => number;
  world: World;
  faults: Faults;
  /** Windows of the injected rate limit (`faults.rateLimitPerMinute`). */
  rateLimiter: RateLimiter;
  /** Server-side log sink (never given a secret). */
  log: (line: string) => void;
}

/** Who is calling: the token, and for a PAT its owner's access, read fresh for this request. */
export interface Caller {
  token: TokenRow;
  /** null for classic API tokens, which are not bound to a user's zones. */
  access: UserAccess | null;
}

export type Env = { Variables: { caller: Caller } };
export type Ctx = Context<Env>;

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A route of the v2 API with its authorisation rule; the authorisation matrix test enumerates these. */
export interface RouteSpec {
  method: Method;
  /** Hono path under the app root, e.g. `/api/v2/entities/:entityId`. */
  path: string;
  /** Required token scope; null = any valid token (token lookup). */
  scope: Scope | null;
  /** Permission the PAT owner needs; null = none beyond a valid token. */
  permission: Role | null;
  /** How the route relates to management zones (for the matrix). */
  zones: 'list' | 'by-id' | 'none';
  handler: (c: Ctx, deps: SandboxDeps, caller: Caller) => Response | Promise<Response>;
}

/** Zone ids the caller may see, or null when unrestricted (classic tokens, environment-wide users). */
export function visibleZoneIds(caller: Caller): Set<string> | null {
  if (!caller.access || caller.access.environmentWide) return null;
  return caller.access.zoneIds;
}
