/**
 * The shapes of a failure, without the texts: {@link Failure} for Tokenscope's own refusals, {@link CodedError} for
 * the platform's errors, {@link FailureView} for what surfaces show. The texts are in `./describe.ts`, which pages
 * load when a failure happens; this file is small enough for every first load.
 */
import type { ApiErrorKind } from '../dynatrace/errors';

/** What went wrong in Tokenscope's own terms (the API's terms are `ApiErrorKind`). */
export const FAILURE_CODES = [
  /** The vault is locked: nothing can be decrypted or stored. */
  'locked',
  /** The environment URL is not usable (`detail.suggestion` may hold the right one, e.g. the `live` host). */
  'invalid-url',
  /** The pasted value is not a `dt0c01` token. */
  'invalid-token',
  /** A classic API token where a personal access token is required. */
  'not-personal',
  'duplicate',
  /** Five PATs per owner and environment. */
  'token-limit',
  /** No usable stored token of this owner has `apiTokens.write`. */
  'missing-write-scope',
  'expired',
  /** Host access not granted or revoked; `detail.origin` says which. */
  'host-permission',
  /** The host is not a Dynatrace environment or cannot be reached. */
  'unreachable',
  'not-found',
  /** A form value is not acceptable (an empty label, a malformed colour, no scope chosen). */
  'invalid-input',
  /** Stored data could not be read or upgraded. */
  'storage',
  'wrong-passphrase',
  /** A vault operation found the vault in another state (no vault to unlock, one already created). */
  'vault-state',
  /** A part of the extension could not be loaded (an update replaced its files). */
  'load-failed',
  'unexpected',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** What a failure knows beyond its message, for the actions that fix it. */
export interface FailureDetail {
  /** The origin to grant access to (`host-permission`). */
  origin?: string;
  /** A corrected value to offer (the `live` URL for an `apps` URL). */
  suggestion?: string;
  /** The stored token the failure is about. */
  tokenId?: string;
}

/** An error that says which {@link FailureCode} it is: {@link Failure} and the platform's error classes. */
export interface CodedError {
  readonly code: FailureCode;
  readonly message: string;
  readonly detail?: FailureDetail;
}

/** A failure of Tokenscope's own rules (checked before anything is sent): its message is written for people. */
export class Failure extends Error implements CodedError {
  override readonly name = 'Failure';
  constructor(readonly code: FailureCode, message: string, readonly detail: FailureDetail = {}) {
    super(message);
  }
}


/** Something a person can do about a failure; the surface that shows it carries it out. */
export type FailureAction =
  | { kind: 'grant-access'; origin: string; label: string }
  | { kind: 'use-suggestion'; value: string; label: string }
  | { kind: 'rerun-with'; tokenId: string; label: string };

/** A failure as people read it. Plain data: safe for Pinia state, reports and tests. */
export interface FailureView {
  /** The API's kind or Tokenscope's code: lets surfaces and tests tell failures apart without parsing text. */
  kind: ApiErrorKind | FailureCode;
  /** For a failure the API reported: its kind, also where `kind` names it in Tokenscope's terms (`token-limit`). */
  apiKind?: ApiErrorKind;
  /** A few words: "Missing token scope". */
  title: string;
  /** One or two sentences naming the cause: the scope, the zone, the user, the wait. */
  message: string;
  /** The technical cause (method, path, status, the server's words), redacted; for support, not the headline. */
  cause?: string;
  /** Further items of the same failure (every rejected field of a 400). */
  details?: string[];
  actions: FailureAction[];
  /** The stored token the failure is about, if any. */
  tokenId?: string;
}

/** What was being done: a few kinds of API failure read differently for token actions. */
export type FailureOperation =
  | 'load' | 'add' | 'create' | 'revoke' | 'remove' | 'activate' | 'edit' | 'grant' | 'recheck'
  | 'query' | 'inspect' | 'vault';

export interface FailureContext {
  operation?: FailureOperation;
  /** Stored tokens known to succeed where this one failed: offered as "Re-run with <label>". */
  alternatives?: readonly { id: string; label: string }[];
  /** The environment's origin, named in messages about an unreachable host. */
  where?: string;
  tokenId?: string;
}

