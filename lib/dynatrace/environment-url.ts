/**
 * Parsing of the "Environment URL" a user types or pastes (the base URLs are listed in
 * docs/dynatrace-api-notes.md, "Base URLs").
 *
 * Accepted forms:
 * - SaaS: `https://<id>.live.dynatrace.com`
 * - Managed / Dynatrace for Government: `https://<host>/e/<id>`
 * - Environment ActiveGate: `https://<host>:9999/e/<id>`
 * - loopback over http or https (`127.0.0.0/8`, `localhost`, `[::1]`), optionally with `/e/<id>`: the sandbox
 * - any other https host at its root (a proxy or an unusual deployment), reported as `custom`
 *
 * The API token travels to this origin in a header, so the rules are strict: https everywhere but loopback, no
 * credentials, query or fragment in the URL. What users commonly paste after the environment (`/api/v2/...`,
 * trailing slashes, the trailing dot of a fully qualified host) is stripped. A host that imitates a Dynatrace
 * address is valid here; `checkEnvironmentUrl` (look-alike-host.ts) adds a `warning` for it.
 */
import { isLoopbackHost } from './loopback';

/** Which deployment the URL points at. */
export type EnvironmentKind = 'saas' | 'managed' | 'activegate' | 'loopback' | 'custom';

/** A validated environment. */
export interface EnvironmentUrl {
  /** `https://abc12345.live.dynatrace.com`, `https://dt.example.com/e/<id>`: no trailing slash. */
  readonly baseUrl: string;
  /** `<baseUrl>/api/v2`: every client request goes below this. */
  readonly apiBase: string;
  /** Scheme, host and port: the only origin the token is ever sent to. */
  readonly origin: string;
  readonly kind: EnvironmentKind;
  /** The environment id when the URL names one (SaaS host label or `/e/<id>`). */
  readonly environmentId?: string;
  /**
   * Set by `checkEnvironmentUrl` when the host imitates a Dynatrace address without being one
   * (look-alike letters such as a Cyrillic `а`, `abc.live.dynatrace.com.evil.io`, `dynatrace-live.com`):
   * a sentence for the user naming the host and what it imitates. The URL is still valid; the user
   * decides. `parseEnvironmentUrl` never sets it.
   */
  readonly warning?: string;
}

/** Stable codes for the UI; `message` is the sentence to show. */
export type EnvironmentUrlErrorCode =
  | 'empty'
  | 'invalid'
  | 'scheme'
  | 'insecure'
  | 'credentials'
  | 'query'
  | 'fragment'
  | 'platform-host'
  | 'path';

export interface EnvironmentUrlError {
  readonly code: EnvironmentUrlErrorCode;
  readonly message: string;
  /** A corrected URL to offer, when there is an obvious one (the `live` host for an `apps` URL). */
  readonly suggestion?: string;
}

export type EnvironmentUrlResult =
  | { ok: true; value: EnvironmentUrl }
  | { ok: false; error: EnvironmentUrlError };

const fail = (code: EnvironmentUrlErrorCode, message: string, suggestion?: string): EnvironmentUrlResult => ({
  ok: false,
  error: suggestion === undefined ? { code, message } : { code, message, suggestion },
});

/** `URL.hostname` is already normalised: IPv4 shorthand expanded, IPv6 in brackets, lower case. */
export { isLoopbackHost };

const SAAS_HOST = /^([a-z0-9]+)\.live\.dynatrace\.com$/;
const PLATFORM_HOST = /^([a-z0-9]+)\.apps\.dynatrace\.com$/;
/** Environment ids: SaaS ids are short lowercase words, Managed ids are UUIDs. */
const ENV_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A scan rather than `/\/+$/`, which restarts at every slash of a long run (quadratic on pasted junk). */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

/**
 * Parses an environment URL. Never throws; the error message is written for the user and never repeats a
 * password or query string the input may contain.
 */
export function parseEnvironmentUrl(input: string): EnvironmentUrlResult {
  const trimmed = input.trim();
  if (trimmed === '') return fail('empty', 'Enter the URL of your Dynatrace environment.');
  if (/\s/.test(trimmed)) return fail('invalid', 'The environment URL must not contain spaces.');
  // Users often paste the bare host from the address bar; https is the only sensible default.
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^/]+:\d+(\/|$)/.test(trimmed)
    ? trimmed
    : `https://${trimmed}`;

  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail('invalid', 'This is not a valid URL. Example: https://abc12345.live.dynatrace.com');
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail('scheme', 'The environment URL must start with https://.');
  }
  if (url.username !== '' || url.password !== '') {
    return fail('credentials', 'Remove the user name and password from the URL; the token is entered separately.');
  }
  // `URL.search`/`hash` are empty for a bare "?" or "#", so look at the raw text too.
  if (url.search !== '' || withScheme.includes('?')) {
    return fail('query', 'Remove the query string (the part from "?") from the environment URL.');
  }
  if (url.hash !== '' || withScheme.includes('#')) {
    return fail('fragment', 'Remove the part from "#" from the environment URL.');
  }

  // `abc.live.dynatrace.com.` (a fully qualified name) is the same host: drop the root's dot, so the
  // SaaS, platform and loopback rules see it and the origin the token goes to has one spelling.
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  const host = url.hostname;
  if (host === '' || host.startsWith('.') || host.endsWith('.') || host.includes('..')) {
    return fail('invalid', 'The host name has an empty part (two dots in a row). Example: https://abc12345.live.dynatrace.com');
  }
  const loopback = isLoopbackHost(host);
  const platform = PLATFORM_HOST.exec(host);
  if (platform?.[1] !== undefined) {
    const live = `https://${platform[1]}.live.dynatrace.com`;
    return fail(
      'platform-host',
      `${url.origin} is the Dynatrace platform (apps) address, which does not accept access tokens. Use ${live} instead.`,
      live,
    );
  }
  if (url.protocol === 'http:' && !loopback) {
    return fail('insecure', 'Use https://. Plain http is only allowed for a local sandbox (localhost, 127.0.0.1, [::1]).');
  }

  // Strip what users paste after the environment root: trailing slashes and anything from /api on.
  let path = withoutTrailingSlashes(url.pathname);
  const apiAt = path.search(/\/api(\/|$)/i);
  if (apiAt >= 0) path = withoutTrailingSlashes(path.slice(0, apiAt));

  let environmentId: string | undefined;
  if (path !== '') {
    const managed = /^\/e\/([^/]+)$/.exec(path);
    if (managed?.[1] === undefined || !ENV_ID.test(managed[1])) {
      return fail('path', 'The URL path must be empty or /e/<environment id>, e.g. https://dynatrace.example.com/e/<id>.');
    }
    environmentId = managed[1];
  }

  let kind: EnvironmentKind;
  const saas = SAAS_HOST.exec(host);
  if (loopback) kind = 'loopback';
  else if (saas?.[1] !== undefined) {
    if (path !== '') return fail('path', `A SaaS environment has no path: use https://${host}.`);
    kind = 'saas';
    environmentId = saas[1];
  } else if (path !== '') kind = url.port === '9999' ? 'activegate' : 'managed';
  else kind = 'custom';

  const baseUrl = `${url.origin}${path}`;
  const value: EnvironmentUrl = {
    baseUrl,
    apiBase: `${baseUrl}/api/v2`,
    origin: url.origin,
    kind,
    ...(environmentId === undefined ? {} : { environmentId }),
  };
  return { ok: true, value };
}
