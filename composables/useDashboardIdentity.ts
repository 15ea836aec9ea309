import { computed, ref, type ComputedRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useTokensStore } from '../stores/tokens';
import { clientForToken } from '../platform/api';
import type { StoredToken } from '../platform/storage';
import type { DynatraceClient } from '../lib/dynatrace';
import type { ClientIdentity } from './useApiQuery';

/**
 * Which identity this dashboard tab queries as. A tab follows the active token live, unless its URL
 * pins a token (`#/...?token=<token id>`: the id, never the secret), so two tabs can show two
 * identities side by side. No identity while the vault is locked: then nothing is sent.
 */
export function useDashboardIdentity() {
  const store = useTokensStore();
  const route = useRoute();
  const router = useRouter();
  const clients = new Map<string, DynatraceClient>();

  const pinnedId = computed(() => (typeof route.query.token === 'string' && route.query.token ? route.query.token : null));
  const token: ComputedRef<StoredToken | null> = computed(() => {
    const id = pinnedId.value ?? store.activeId;
    return store.tokens.find((t) => t.id === id) ?? null;
  });
  const expired = computed(() => token.value?.expiresAt != null && token.value.expiresAt <= Date.now());

  const identity = computed<ClientIdentity | null>(() => {
    const t = token.value;
    if (!t || store.locked) return null;
    const key = `${t.id}@${t.environmentUrl}`;
    let client = clients.get(key);
    if (!client) {
      client = clientForToken(t);
      clients.set(key, client);
    }
    return { tokenId: t.id, client };
  });

  /** Pins this tab to a token, or unpins it (`null`) so it follows the active token again. */
  async function pin(id: string | null) {
    const query = { ...route.query };
    if (id) query.token = id; else delete query.token;
    await router.replace({ path: route.path, query });
  }

  /** A production token waiting for the user's confirmation before it becomes active. */
  const pendingProduction = ref<StoredToken | null>(null);

  /** Switches what this tab shows: the pin when pinned, else the active token of every page. */
  async function choose(id: string) {
    if (pinnedId.value) { await pin(id); return; }
    const outcome = await store.setActive(id);
    if (outcome === 'needs-confirmation') pendingProduction.value = store.tokens.find((t) => t.id === id) ?? null;
  }

  async function confirmProduction(yes: boolean) {
    const t = pendingProduction.value;
    pendingProduction.value = null;
    if (yes && t) await store.setActive(t.id, { confirmed: true });
  }

  return { store, token, identity, pinnedId, expired, pin, choose, pendingProduction, confirmProduction };
}
