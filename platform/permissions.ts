/**
 * Host access. Loopback origins (the sandbox) are granted in the manifest; a tenant origin is an optional host
 * permission, requested at run time for exactly the origin the user entered, when its first token is added.
 * The user can revoke it at any time in the browser's extension settings, so every API call checks first.
 *
 * Firefox MV3 treats every host permission as the user's to withdraw, the manifest's own included (about:addons →
 * Permissions; `permissions.remove` works on them too), and then fails the requests with a bare network error. So
 * in that build loopback origins are checked and requested like tenant origins. Firefox MV2 keeps manifest hosts
 * granted (`permissions.remove` is a no-op there), and so does Chrome (docs/firefox.md).
 */
import type { CodedError, FailureDetail } from '../lib/failure/failure';
import { isLoopbackHost } from '../lib/dynatrace/loopback';
import { browser } from 'wxt/browser';

/** An API call needs access to an origin the user has not granted (or has revoked). */
export class HostPermissionError extends Error implements CodedError {
  override readonly name = 'HostPermissionError';
  readonly code = 'host-permission';
  readonly detail: FailureDetail;
  constructor(readonly origin: string) {
    super(`Tokenscope has no access to ${origin}: grant access to use tokens of this environment.`);
    this.detail = { origin };
  }
}

/** The match pattern for one origin (`https://abc.live.dynatrace.com/*`); ports are ignored by match patterns. */
export function originPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Whether the user can withdraw access to the manifest's own (loopback) hosts: Firefox MV3 (docs/firefox.md). */
const LOOPBACK_REVOCABLE = import.meta.env.FIREFOX && import.meta.env.MANIFEST_VERSION === 3;

/**
 * Whether access to `origin` can be missing, so it must be checked before a call and requested with the first
 * token: tenant origins always, loopback origins where the browser lets the user withdraw them.
 */
export function needsHostPermission(origin: string): boolean {
  return LOOPBACK_REVOCABLE || !isLoopbackHost(new URL(origin).hostname);
}

/** Whether requests to `origin` are allowed right now. */
export async function hasHostPermission(origin: string): Promise<boolean> {
  if (!needsHostPermission(origin)) return true;
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}

/**
 * Asks the user for access to `origin`. Must be called synchronously from a click or submit handler (before any
 * `await`): browsers only show the prompt during a user gesture. Resolves `true` at once if already granted.
 */
export function requestHostPermission(origin: string): Promise<boolean> {
  if (!needsHostPermission(origin)) return Promise.resolve(true);
  return browser.permissions.request({ origins: [originPattern(origin)] });
}

/** Calls `cb` when host permissions are granted or revoked (in the browser's settings too). */
export function watchHostPermissions(cb: () => void): () => void {
  const events = [browser.permissions?.onAdded, browser.permissions?.onRemoved];
  const listener = (): void => cb();
  const added: typeof events = [];
  for (const event of events) {
    try {
      event?.addListener(listener);
      added.push(event);
    } catch {
      // Not available in this context (the fake browser of the tests has no permission events).
    }
  }
  return () => added.forEach((event) => event?.removeListener(listener));
}
