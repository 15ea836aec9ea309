/**
 * The five slots as the server counts them. Dynatrace allows five personal access tokens per user; the popup knows
 * only the tokens stored here, the server knows all of them (`GET /apiTokens` with `apiTokenSelector` by owner and
 * `personalAccessToken(true)`, given a token with `apiTokens.read`). This compares the two lists.
 */
import { MAX_PATS_PER_OWNER } from './rules';

/** A personal access token as the server lists it (metadata only). */
export interface ServerToken {
  id: string;
  name: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/** The server's list for one owner, and when it was read. */
export interface ServerTokenList {
  checkedAt: number;
  tokens: ServerToken[];
}

/** Key of an owner's list: environment and owner (owners compare case-insensitively). */
export function ownerKey(environmentUrl: string, owner: string): string {
  return `${environmentUrl}|${owner.toLowerCase()}`;
}

/** The `apiTokenSelector` for an owner's personal access tokens; `"` and `~` are escaped with `~`. */
export function ownerSelector(owner: string): string {
  return `owner("${owner.replace(/[~"]/g, (c) => `~${c}`)}"),personalAccessToken(true)`;
}

export interface SlotComparison {
  /** Slots taken on the server. */
  used: number;
  limit: number;
  /** Stored here (and on the server). */
  storedHere: number;
  /** On the server, not stored here. */
  notStored: ServerToken[];
  /** Stored here, no longer on the server (revoked elsewhere, or expired and deleted): offer "Remove". */
  goneFromServer: string[];
}

/** Compares the server's list with the ids stored here for the same owner. */
export function compareSlots(server: readonly ServerToken[], storedIds: readonly string[]): SlotComparison {
  const onServer = new Set(server.map((t) => t.id));
  return {
    used: server.length,
    limit: MAX_PATS_PER_OWNER,
    storedHere: storedIds.filter((id) => onServer.has(id)).length,
    notStored: server.filter((t) => !storedIds.includes(t.id)),
    goneFromServer: storedIds.filter((id) => !onServer.has(id)),
  };
}
