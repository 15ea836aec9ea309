import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { FailureView } from '../lib/failure/failure';
import { recoverRotation, type RotationJournal, type RotationOutcome } from '../lib/tokens/rotation';
import { compareSlots, ownerKey, type SlotComparison, type ServerTokenList } from '../lib/tokens/slots';
import { getRotations, getServerTokens, putServerTokens, watchRotations, watchServerTokens } from '../platform/hygiene';
import type * as Requests from './token-requests';
import { MAX_PATS_PER_OWNER, useTokensStore, type StoredToken, type TokenGroup } from './tokens';

/** The server's list is asked for again after this long (per owner; popup opens in between use the kept list). */
export const SERVER_LIST_MAX_AGE_MS = 60_000;

/** What the popup knows of one owner's slots on the server. */
export type SlotState =
  | { state: 'server'; comparison: SlotComparison; checkedAt: number; refreshing: boolean }
  /** No stored token of this owner may list tokens (`apiTokens.read`): only the count stored here is known. */
  | { state: 'local'; reason: 'no-reader' }
  /** The server could not be asked (offline, refused): the count stored here, and why. */
  | { state: 'local'; reason: 'failed'; failure: FailureView }
  | { state: 'loading' };

/** A rotation that needs the user: its revoke failed (both kept), or a crash left it half done. */
export interface PendingRotation {
  entry: RotationJournal;
  state: 'revoke-pending' | 'secret-lost' | 'create-unknown';
}

/**
 * Token hygiene for the popup: the server's view of each owner's five slots, and rotations (running, waiting for
 * their revoke, or interrupted). Loaded after the list is painted (the popup's first load does not carry it); the
 * requests come from `./token-requests`, loaded on demand as well. Holds no secret: a rotation whose new token
 * could not be stored hands its secret to the caller for the one-time reveal, it is not kept here.
 */
export const useHygieneStore = defineStore('hygiene', () => {
  const tokens = useTokensStore();
  const lists = ref<Record<string, ServerTokenList>>({});
  const rotations = ref<Record<string, RotationJournal>>({});
  const failures = shallowRef<Record<string, FailureView>>({});
  const loading = ref<string[]>([]);
  /** The failure of the last rotation or revoke started here, for the list's alert. */
  const error = shallowRef<FailureView | null>(null);
  const busy = ref<string | null>(null);
  let stops: (() => void)[] = [];

  const requests = (): Promise<typeof Requests> => import('./token-requests');

  /** Reads what is kept and follows other pages; then asks the server where the kept list is older than a minute. */
  async function load(): Promise<void> {
    if (stops.length === 0) {
      stops = [watchServerTokens((v) => { lists.value = v; }), watchRotations((v) => { rotations.value = v; })];
    }
    [lists.value, rotations.value] = await Promise.all([getServerTokens(), getRotations()]);
    await Promise.all([refresh(), recover()]);
  }

  // A token added, created, revoked or removed (here or in another page) changes an owner's slots: ask again.
  watch(() => tokens.tokens.map((t) => t.id).join(','), (now, before) => {
    if (stops.length > 0 && before !== undefined && now !== before) void refresh({ force: true });
  });

  /** Owners (groups) and the stored token that may list their tokens, if any. */
  async function readers(): Promise<{ group: TokenGroup; key: string; reader: StoredToken | undefined }[]> {
    const api = await requests();
    const ctx = tokens.requestContext();
    return tokens.groups.map((group) => ({ group, key: ownerKey(group.environmentUrl, group.owner), reader: api.readerFor(ctx, group, tokens.hasSecret) }));
  }

  /** Asks the server for each owner's tokens, at most once a minute per owner unless `force`. */
  async function refresh(options: { force?: boolean } = {}): Promise<void> {
    const api = await requests();
    const now = tokens.requestContext().now;
    await Promise.all((await readers()).map(async ({ key, reader }) => {
      if (reader === undefined) return;
      const kept = lists.value[key];
      if (!options.force && kept !== undefined && now - kept.checkedAt < SERVER_LIST_MAX_AGE_MS) return;
      loading.value = [...loading.value, key];
      try {
        const r = await api.listServerTokens(tokens.requestContext(), reader);
        // A store disposed meanwhile (its page closed) neither shows nor keeps the answer.
        if (stops.length === 0) return;
        if (r.ok) {
          // Kept in session storage for the popup's next paint.
          await putServerTokens(key, r.value);
          lists.value = { ...lists.value, [key]: r.value };
          const { [key]: _gone, ...rest } = failures.value;
          failures.value = rest;
        } else {
          failures.value = { ...failures.value, [key]: r.error };
        }
      } finally {
        loading.value = loading.value.filter((k) => k !== key);
      }
    }));
  }

  /** Each owner's slots as far as they are known (see {@link SlotState}). */
  const slots = computed<Record<string, SlotState>>(() => {
    const out: Record<string, SlotState> = {};
    for (const group of tokens.groups) {
      const key = ownerKey(group.environmentUrl, group.owner);
      const list = lists.value[key];
      const failure = failures.value[key];
      const hasReader = group.tokens.some((t) => t.personal && tokens.usable(t) && (t.scopes.includes('apiTokens.read') || t.scopes.includes('apiTokens.write')));
      if (list !== undefined && failure === undefined) {
        out[key] = { state: 'server', comparison: compareSlots(list.tokens, group.tokens.filter((t) => t.personal).map((t) => t.id)), checkedAt: list.checkedAt, refreshing: loading.value.includes(key) };
      } else if (failure !== undefined) out[key] = { state: 'local', reason: 'failed', failure };
      else if (!hasReader) out[key] = { state: 'local', reason: 'no-reader' };
      else out[key] = { state: 'loading' };
    }
    return out;
  });

  /** Rotations that need the user, by old token id. */
  const pending = computed<Record<string, PendingRotation>>(() => {
    const stored = new Set(tokens.tokens.map((t) => t.id));
    const out: Record<string, PendingRotation> = {};
    for (const entry of Object.values(rotations.value)) {
      const r = recoverRotation(entry, stored);
      if (r.state === 'resume' && entry.step === 'revoking') out[entry.oldId] = { entry, state: 'revoke-pending' };
      else if (r.state === 'secret-lost' || r.state === 'create-unknown') out[entry.oldId] = { entry, state: r.state };
    }
    return out;
  });

  /** Recovers rotations a closed popup or a stopped worker interrupted: resumes what can go on, clears what is done. */
  async function recover(): Promise<void> {
    const stored = new Set(tokens.tokens.map((t) => t.id));
    for (const entry of Object.values(rotations.value)) {
      const r = recoverRotation(entry, stored);
      if (r.state === 'complete') await (await import('../platform/hygiene')).writeRotation(entry.oldId, null);
      else if (r.state === 'resume' && entry.step !== 'revoking') await finish(entry.oldId);
    }
  }

  /**
   * Rotates a stored token. Resolves the outcome (the UI says what each means) and, for `store-failed`, the new
   * secret to show once; `null` when it was refused before anything was sent (then `error` says why).
   */
  async function rotate(id: string): Promise<RotationOutcome | null> {
    busy.value = id;
    error.value = null;
    try {
      const api = await requests();
      const old = tokens.tokens.find((t) => t.id === id);
      const list = old === undefined ? undefined : lists.value[ownerKey(old.environmentUrl, old.owner)];
      const r = await api.rotateToken(tokens.requestContext(), id, tokens.hasSecret, list);
      if (!r.ok) {
        error.value = r.error;
        return null;
      }
      error.value = r.value.failure;
      await tokens.load();
      void refresh({ force: true });
      return r.value.outcome;
    } finally {
      busy.value = null;
    }
  }

  /** Finishes a rotation waiting for its revoke ("Revoke" on a token marked "rotated, not yet revoked"). */
  async function finish(oldId: string): Promise<RotationOutcome | null> {
    const entry = rotations.value[oldId];
    if (entry === undefined) return null;
    busy.value = oldId;
    error.value = null;
    try {
      const api = await requests();
      const r = await api.finishRotation(tokens.requestContext(), entry, tokens.hasSecret);
      if (!r.ok) {
        error.value = r.error;
        return null;
      }
      error.value = r.value.failure;
      await tokens.load();
      return r.value.outcome;
    } finally {
      busy.value = null;
    }
  }

  /** The group heading's count: the server's slots when known, else the count stored here and why. */
  function groupLine(g: TokenGroup): { server?: string } {
    const slot = slots.value[ownerKey(g.environmentUrl, g.owner)];
    const here = `${g.personalCount} of ${MAX_PATS_PER_OWNER} stored here`;
    if (slot === undefined) return {};
    if (slot.state === 'server') return { server: `${slot.comparison.used} of ${slot.comparison.limit} used on the server · ${slot.comparison.storedHere} stored here` };
    if (slot.state === 'loading') return { server: `${here} · asking the server…` };
    if (slot.reason === 'no-reader') return { server: `${here} (the server's count needs apiTokens.read)` };
    return { server: `${here} (the server's count is unavailable: ${slot.failure.title.toLowerCase()})` };
  }

  /** What a row shows of hygiene: a rotation waiting for its revoke, a token the server no longer has. */
  function flags(t: StoredToken): { rotationPending: boolean; goneFromServer: boolean } {
    const slot = slots.value[ownerKey(t.environmentUrl, t.owner)];
    return {
      rotationPending: pending.value[t.id]?.state === 'revoke-pending',
      goneFromServer: slot?.state === 'server' && slot.comparison.goneFromServer.includes(t.id),
    };
  }

  /** Forgets an interrupted rotation the user has read about. */
  async function dismiss(oldId: string): Promise<void> {
    await (await import('../platform/hygiene')).writeRotation(oldId, null);
  }

  /** Revokes a token that is on the server but not stored here. */
  async function revokeServerToken(group: Pick<TokenGroup, 'environmentUrl' | 'owner'>, id: string): Promise<boolean> {
    busy.value = id;
    error.value = null;
    try {
      const api = await requests();
      const r = await api.revokeServerToken(tokens.requestContext(), group, id, tokens.hasSecret);
      if (!r.ok) {
        error.value = r.error;
        return false;
      }
      await refresh({ force: true });
      return true;
    } finally {
      busy.value = null;
    }
  }

  function dispose(): void {
    stops.forEach((stop) => stop());
    stops = [];
  }

  return { lists, rotations, slots, pending, error, busy, load, refresh, rotate, finish, dismiss, revokeServerToken, groupLine, flags, dispose };
});
