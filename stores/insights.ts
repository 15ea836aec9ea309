import { defineStore } from 'pinia';
import { ref } from 'vue';
import { tokenInsightsItem, type TokenZones } from '../platform/storage';

/**
 * What the dashboard learned about each stored token's reach: the management zones it was seen to
 * see (entities' `managementZones`). Persisted (no secrets in it) so alternatives and zone warnings
 * survive restarts; shared between tabs through storage.
 */
export const useInsightsStore = defineStore('insights', () => {
  const zonesByToken = ref<Record<string, TokenZones>>({});
  const loaded = ref(false);
  let unwatch: (() => void) | null = null;

  async function load() {
    zonesByToken.value = (await tokenInsightsItem.getValue()) ?? {};
    loaded.value = true;
    unwatch ??= tokenInsightsItem.watch((v) => { zonesByToken.value = v ?? {}; });
  }

  function zonesOf(tokenId: string): TokenZones | undefined {
    return zonesByToken.value[tokenId];
  }

  /** Records zones seen by a token; `complete` marks a full inspection (otherwise zones only accumulate). */
  async function recordZones(tokenId: string, zones: readonly string[], opts: { complete?: boolean; allZones?: boolean } = {}) {
    const prev = zonesByToken.value[tokenId];
    const merged = opts.complete ? [...new Set(zones)] : [...new Set([...(prev?.zones ?? []), ...zones])];
    const next: TokenZones = { zones: merged.sort(), allZones: opts.allZones ?? prev?.allZones ?? false, checkedAt: Date.now() };
    // A plain copy: extension storage serialises a reactive proxy's arrays as objects.
    const plain = JSON.parse(JSON.stringify({ ...zonesByToken.value, [tokenId]: next })) as Record<string, TokenZones>;
    zonesByToken.value = plain;
    await tokenInsightsItem.setValue(plain);
  }

  /**
   * Scopes a token was seen to hold because a request needing them succeeded ("Check my other tokens"), beyond the
   * scopes of its last lookup. Kept for this page only: the persisted item (`platform/storage.ts`) holds zones.
   */
  const scopesByToken = ref<Record<string, string[]>>({});

  function scopesOf(tokenId: string): readonly string[] {
    return scopesByToken.value[tokenId] ?? [];
  }

  function recordScopes(tokenId: string, scopes: readonly string[]) {
    if (!scopes.length) return;
    scopesByToken.value = { ...scopesByToken.value, [tokenId]: [...new Set([...scopesOf(tokenId), ...scopes])].sort() };
  }

  /** Tokens inspected on this page, and whether the inspection counted every page: then their zones are complete. */
  const inspected = ref<Record<string, { complete: boolean; at: number }>>({});

  function markInspected(tokenId: string, complete: boolean) {
    inspected.value = { ...inspected.value, [tokenId]: { complete, at: Date.now() } };
  }

  return { zonesByToken, loaded, load, zonesOf, recordZones, scopesByToken, scopesOf, recordScopes, inspected, markInspected };
});
