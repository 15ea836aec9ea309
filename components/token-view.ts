/**
 * What the popup's presentational components show. Plain shapes, filled in by the popup's screens from the stores:
 * components never import stores or platform code, and never receive a secret (except `TokenSecretReveal`, which
 * shows a new PAT's secret once).
 */
import type { FailureView } from '../lib/failure/failure';

/** One stored token, as the list shows it. */
export interface TokenItemView {
  id: string;
  label: string;
  color: string;
  owner: string;
  /** Host of the environment (`abc12345.live.dynatrace.com`, `127.0.0.1:8787`). */
  host: string;
  scopes: readonly string[];
  expiresAt: number | null;
  /** Last use the server reported at the last check, `null` if never used. */
  lastUsedAt: number | null;
  production: boolean;
  active: boolean;
  expired: boolean;
  expiresSoon: boolean;
  /** A secret is stored (false only for damaged records). */
  hasSecret: boolean;
  /** Host access to this environment was revoked in the browser. */
  accessMissing: boolean;
  /** The origin to grant again when `accessMissing`. */
  origin: string;
  /** The outcome of the last "Check again" in this popup, if any. */
  check: CheckView | null;
  /** Its rotation is done but the old token could not be revoked yet: offer "Revoke" to finish it. */
  rotationPending?: boolean;
  /** The server's list of the owner's tokens does not have it any more (revoked elsewhere): offer "Remove". */
  goneFromServer?: boolean;
  /** Used from an address other than the one seen before, until acknowledged. */
  newAddress?: { ip: string; at: number } | null;
}

/** "Check again" for one token: in progress, what the environment said, or why it failed. */
export type CheckView =
  | { state: 'checking' | 'ok'; message: string }
  | { state: 'error'; failure: FailureView };

/** Tokens of one owner in one environment. */
export interface TokenGroupView {
  key: string;
  host: string;
  owner: string;
  /** "3 of 5". */
  personalCount: number;
  limit: number;
  /** The slots as the server counts them ("3 of 5 used on the server · 1 stored here"), or why only the local count is known. */
  server?: string;
  tokens: TokenItemView[];
}

/** A stored token offered to create a new PAT with. */
export interface CreatorView {
  id: string;
  label: string;
  owner: string;
  host: string;
  personalCount: number;
  limit: number;
  canWrite: boolean;
}


export interface AddTokenFormValue {
  environmentUrl: string;
  token: string;
  label: string;
  color: string;
  production: boolean;
}

/** The editable part of a stored token (edit form in and out). */
export interface EditTokenFormValue {
  label: string;
  color: string;
  production: boolean;
}

export interface CreateTokenFormValue {
  creatorId: string;
  name: string;
  scopes: string[];
  expiresInDays: number | null;
  label: string;
  color: string;
  production: boolean;
}
