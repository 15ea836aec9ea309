/**
 * Who may talk to the sandbox from a browser. It binds 127.0.0.1, but a web page can still reach it:
 * through DNS rebinding (a host name of the attacker's that resolves to 127.0.0.1, so the browser
 * sends that name as Host), or through CORS when it is turned on. So the Host must be a loopback
 * name, and CORS answers only extension pages and origins named on the command line.
 */

const OCTET = /^\d{1,3}$/;
const PORT = /^:\d{1,5}$/;

/** `127.0.0.0/8`, `localhost` or `[::1]`, each with or without a port (a Host header value). */
export function isLoopbackAuthority(authority: string): boolean {
  const a = authority.toLowerCase();
  let host = a;
  let port = '';
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    if (end < 0) return false;
    host = a.slice(0, end + 1);
    port = a.slice(end + 1);
  } else {
    const colon = a.indexOf(':');
    if (colon >= 0) { host = a.slice(0, colon); port = a.slice(colon); }
  }
  if (port !== '' && !PORT.test(port)) return false;
  if (host === 'localhost' || host === '[::1]') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => OCTET.test(o) && Number(o) <= 255);
}

/** Chrome (and Edge) extension ids are 32 letters a-p; Firefox gives each installation a UUID. */
const EXTENSION_ORIGIN = /^(?:chrome-extension:\/\/[a-p]{32}|moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Whether CORS answers `origin`: an extension page, or one of the configured origins (exactly). */
export function corsAllows(origin: string, configured: readonly string[]): boolean {
  return EXTENSION_ORIGIN.test(origin) || configured.includes(origin);
}

/**
 * Reads a `--cors-origin` value: an http(s) origin (`http://localhost:3000`), nothing after it but
 * an optional `/`. Returns the origin as browsers send it in the Origin header, or an error.
 */
export function parseCorsOrigin(input: string): { ok: true; origin: string } | { ok: false; error: string } {
  let url: URL;
  try { url = new URL(input); } catch { return { ok: false, error: `--cors-origin must be an origin such as http://localhost:3000, got "${input}"` }; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `--cors-origin takes an http or https origin, got "${input}" (extension origins are always allowed with --cors)` };
  if (url.pathname !== '/' || input.includes('?') || input.includes('#') || url.username !== '' || url.password !== '') {
    return { ok: false, error: `--cors-origin must be scheme, host and port only, such as http://localhost:3000, got "${input}"` };
  }
  return { ok: true, origin: url.origin };
}
