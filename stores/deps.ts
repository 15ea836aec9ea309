import { hasInjectionContext, inject, type InjectionKey } from 'vue';
import type { ClientFactory } from '../platform/api';
import { hasHostPermission, requestHostPermission } from '../platform/permissions';

/**
 * What the token stores need from the outside world, injectable for tests (a fake API client, a fixed clock, a
 * permission prompt that answers by itself). Everything else (storage, vault) runs on WXT's fake browser in tests.
 */
export interface TokensStoreDeps {
  /**
   * Builds API clients. Unset (the default): the real client, loaded with `import()` when the first request is
   * made, so pages that only list tokens never load it. Tests set a synchronous fake.
   */
  createClient?: ClientFactory;
  hasHostPermission(origin: string): Promise<boolean>;
  /** Must start the browser prompt synchronously (called first thing in click handlers). */
  requestHostPermission(origin: string): Promise<boolean>;
  now(): number;
}

/**
 * Provide partial deps on the app (`app.provide(TOKENS_STORE_DEPS, {...})`); stores created on a Pinia installed on
 * that app pick them up. Missing members fall back to the real implementations.
 */
export const TOKENS_STORE_DEPS: InjectionKey<Partial<TokensStoreDeps>> = Symbol('tokens-store-deps');

export const defaultTokensStoreDeps: TokensStoreDeps = {
  hasHostPermission,
  requestHostPermission,
  now: () => Date.now(),
};

/** The deps for a store being set up now. */
export function resolveTokensStoreDeps(): TokensStoreDeps {
  const injected = hasInjectionContext() ? inject(TOKENS_STORE_DEPS, {}) : {};
  return { ...defaultTokensStoreDeps, ...injected };
}
