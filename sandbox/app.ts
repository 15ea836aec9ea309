import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Caller, Ctx, Env, Faults, RouteSpec, SandboxDeps } from './context';
import type { Db } from './db/database';
import { errors, SandboxError, writeError, envelope } from './errors';
import { hasRole } from './identity';
import { AuthReads } from './auth/reads';
import { touchToken, verifyToken } from './tokens';
import type { World } from './world/world';
import { tokenRoutes } from './routes/api-tokens';
import { settingsRoutes } from './routes/settings';
import { entityRoutes } from './routes/entities';
import { entityTypeRoutes } from './routes/entity-types';
import { problemRoutes } from './routes/problems';
import { metricRoutes } from './routes/metrics';
import { adminRouter } from './routes/admin';
import { scopeWithTitle } from '../lib/scopes';
import { redactSecrets } from '../lib/log/redact';
import { escapeLogLine } from './log';
import { RateLimiter } from './rate-limit';
import { corsAllows, isLoopbackAuthority } from './origins';

export interface AppOptions {
  db: Db;
  world: World;
  clock?: () => number;
  random?: () => number;
  adminKey: string;
  /** Answer CORS for extension pages (and `corsOrigins`); off by default, like a real tenant. */
  cors?: boolean;
  /** Further origins CORS answers, exactly as browsers send them (`http://localhost:3000`); they turn CORS on. */
  corsOrigins?: readonly string[];
  log?: (line: string) => void;
  /** Rebuilds the world and demo users (admin reset); given by the server, which owns seeding. */
  reset?: () => World;
}

/** Every v2 route with its authorisation rule. The authorisation matrix test enumerates this list. */
export function routeTable(): RouteSpec[] {
  return [...tokenRoutes, ...settingsRoutes, ...entityRoutes, ...entityTypeRoutes, ...problemRoutes, ...metricRoutes];
}

const MAX_BODY = 1024 * 1024;

function presentedToken(c: { req: { header(n: string): string | undefined; query(n: string): string | undefined } }): string | null {
  const auth = c.req.header('authorization');
  if (auth !== undefined) {
    const m = /^Api-Token\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : '';
  }
  // Documented alternative (discouraged: URLs get logged); accepted for fidelity.
  return c.req.query('api-token') ?? null;
}

function clientIp(c: { env: unknown }): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
}

/**
 * The sandbox app. Tests call `createApp({ db: openDatabase(':memory:'), ... }).app.request(...)`;
 * the server wraps the same app with @hono/node-server.
 */
export function createApp(opts: AppOptions) {
  const sink = opts.log;
  const deps: SandboxDeps = {
    db: opts.db,
    world: opts.world,
    clock: opts.clock ?? Date.now,
    random: opts.random ?? Math.random,
    faults: { latencyMs: 0, errorRate: 0, rateLimitPerMinute: null, errorMethods: null },
    rateLimiter: new RateLimiter(),
    // Every line is escaped on its way out: paths and messages may carry what a caller sent.
    log: sink ? (line) => sink(escapeLogLine(line)) : () => {},
  };
  const app = new Hono<Env>();
  const reads = new AuthReads(deps.db);

  // One line per request: method, path (secrets in a path, as in DELETE by secret, redacted) and
  // status; never the query string or a header. Without a sink there is nothing to format.
  if (sink) {
    app.use('*', async (c, next) => {
      await next();
      deps.log(`${c.req.method} ${redactSecrets(c.req.path)} ${c.res.status}`);
    });
  }

  app.onError((err, c) => {
    if (err instanceof SandboxError) return writeError(c, err);
    // Never a stack trace in a body; the message goes to the server log only.
    deps.log(`internal error on ${c.req.method} ${c.req.path}: ${err.message}`);
    return c.json(envelope(500, 'Internal server error'), 500);
  });
  app.notFound((c) => c.json(envelope(404, 'HTTP 404 Not Found'), 404));

  // DNS rebinding: a page of another site reaches 127.0.0.1 under its own host name, which arrives
  // as Host. In-process requests (app.request) carry no Host header; their URL host is localhost.
  app.use('*', async (c, next) => {
    const host = c.req.header('host') || new URL(c.req.url).host;
    if (!isLoopbackAuthority(host)) {
      throw new SandboxError(421, `Host '${host.slice(0, 100)}' is not served here: the sandbox answers only loopback host names (127.0.0.0/8, localhost, [::1])`);
    }
    await next();
  });

  const corsOrigins = opts.corsOrigins ?? [];
  if (opts.cors || corsOrigins.length) {
    app.use('/api/*', cors({
      origin: (o) => (corsAllows(o, corsOrigins) ? o : null),
      allowHeaders: ['Authorization', 'Content-Type', 'Accept'], allowMethods: ['GET', 'POST', 'PUT', 'DELETE'], maxAge: 600,
    }));
  }
  // Only requests that carry a body pay for the limit: reading `req.raw.body` on a GET makes
  // @hono/node-server build a full Request object, which costs a tenth of a small read.
  const limit = bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json(envelope(413, 'Request body too large: the limit is 1 MB'), 413) });
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' ? next() : limit(c, next)));

  // Fault injection (admin-controlled): latency and random 503s. The rate limit needs to know who is
  // calling, so authentication applies it.
  app.use('/api/*', async (c, next) => {
    const f: Faults = deps.faults;
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    const hit = f.errorMethods === null || f.errorMethods.includes(c.req.method);
    if (f.errorRate > 0 && hit && deps.random() < f.errorRate) throw new SandboxError(503, 'Service temporarily unavailable (injected fault)');
    await next();
  });

  /** Counts a request against the injected rate limit, if one is set. */
  function rateLimit(key: string, now: number): void {
    const perMinute = deps.faults.rateLimitPerMinute;
    if (perMinute === null) return;
    const wait = deps.rateLimiter.hit(key, now, perMinute);
    if (wait !== null) throw errors.rateLimited(wait);
  }

  /**
   * Verifies the presented token. The rate limit counts a verified token by its id and a failure by
   * the peer address: a presented id is whatever the caller makes up, so a window per presented id
   * would never limit failures and would grow with every new id.
   */
  function verified(c: Ctx, now: number) {
    let token;
    try {
      const presented = presentedToken(c);
      if (presented === null) throw errors.missingAuth();
      token = verifyToken(deps.db, presented, now, (id) => reads.token(id));
    } catch (e) {
      rateLimit(`peer ${clientIp(c)}`, now);
      throw e;
    }
    rateLimit(`token ${token.id}`, now);
    return token;
  }

  /** Authentication (and the rate limit), then PAT rules, scope and owner permission, in that order. */
  function authenticate(c: Ctx, spec: Pick<RouteSpec, 'scope' | 'permission'> | null, v1: boolean): Caller {
    const now = deps.clock();
    // Everything below reads what the database holds now: remembered reads are dropped on any change.
    reads.begin(deps.world.zones);
    const token = verified(c, now);
    let access = null;
    if (token.personal) {
      if (!reads.settings().patEnabled) throw errors.patDisabled();
      access = token.userId === null ? null : reads.userAccess(token.userId);
      if (!access) throw errors.invalidToken();
      if (v1) throw errors.patV1();
    }
    if (spec?.scope && !token.scopes.includes(spec.scope)) {
      throw new SandboxError(403, `Token is missing required scope. Use one of: ${scopeWithTitle(spec.scope)}`);
    }
    if (access && spec?.permission && !hasRole(access, spec.permission)) throw errors.ownerLacks(access.user.email, spec.permission);
    touchToken(deps.db, token, now, clientIp(c));
    return { token, access };
  }

  for (const spec of routeTable()) {
    app.on(spec.method, spec.path, async (c) => {
      const caller = authenticate(c, spec, false);
      c.set('caller', caller);
      return spec.handler(c, deps, caller);
    });
  }

  // API v1 and Configuration API v1 are not emulated; PATs are refused there as on a real tenant.
  for (const prefix of ['/api/v1/*', '/api/config/v1/*']) {
    app.all(prefix, (c) => {
      authenticate(c, null, true);
      return c.json(envelope(501, 'Not implemented in the Tokenscope sandbox: only a subset of API v2 is emulated'), 501);
    });
  }
  app.all('/api/v2/*', (c) => {
    authenticate(c, null, false);
    return c.json(envelope(404, 'HTTP 404 Not Found'), 404);
  });

  app.route('/sandbox/admin', adminRouter({ deps, adminKey: opts.adminKey, reset: opts.reset }));

  return { app, deps };
}
