/**
 * The requests half of the tokens store: every token action that talks to an environment (checking a token before
 * it is stored, creating, revoking, checking again), as pure async functions that take what they need and return a
 * {@link Result}. They never touch the store's state: `stores/tokens.ts` loads this module with `import()` when such
 * an action starts (so the popup's first load carries neither the API client nor the error texts) and applies the
 * result itself.
 */
import { checkTokenFormat } from '../lib/dynatrace/token-format';
import { parseEnvironmentUrl, type EnvironmentUrl } from '../lib/dynatrace/environment-url';
import { ApiError } from '../lib/dynatrace/errors';
import type { DynatraceClient } from '../lib/dynatrace/client';
import type { ApiToken } from '../lib/dynatrace/types';
import { describeFailure } from '../lib/failure/describe';
import { Failure, type FailureOperation, type FailureView } from '../lib/failure/failure';
import { hostOf, isExpired, MAX_PATS_PER_OWNER, nextColor, originOf, personalTokenCount, sameOwner, WRITE_SCOPE } from '../lib/tokens/rules';
import { clientForSecret, clientForToken, lookupStoredToken, type ClientOptions } from '../platform/api';
import { removeToken, saveToken, updateToken, type StoredToken } from '../platform/tokens';

export { describeFailure };

/** What an action gives back: its value, or the failure as people read it. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: FailureView };

/** What the actions read: a snapshot of the store's list, its clock and how clients are built. */
export interface RequestContext {
  tokens: readonly StoredToken[];
  now: number;
  client: ClientOptions;
}

/** What the add form sends. */
export interface AddTokenInput {
  environmentUrl: string;
  /** The full token. Goes to the vault and the lookup request; never kept in any state. */
  token: string;
  /** Defaults to the token's name on the server. */
  label?: string;
  color?: string;
  production?: boolean;
}

/** An add input that passed the checks made before anything is sent. */
export interface CheckedAddInput {
  environment: EnvironmentUrl;
  id: string;
  secret: string;
}

export interface CreateTokenInput {
  /** The stored token that creates the new one (same owner and environment, with `apiTokens.write`). */
  creatorId: string;
  name: string;
  scopes: string[];
  /** Days until expiry; `null` for a token that never expires. */
  expiresInDays: number | null;
  label?: string;
  color?: string;
  production?: boolean;
}

/** A new PAT: its metadata and, once, its secret, for the one-time reveal. Do not put `secret` in any store. */
export interface CreatedToken {
  token: StoredToken;
  secret: string;
  /** Why it is not stored, if it is not (created on the server, then e.g. the vault locked): show the secret anyway. */
  storeError: FailureView | null;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

function failed(operation: FailureOperation, error: unknown, context: { where?: string; tokenId?: string } = {}): { ok: false; error: FailureView } {
  return { ok: false, error: describeFailure(error, { operation, ...context }) };
}

function refused(operation: FailureOperation, code: Failure['code'], message: string, detail: Failure['detail'] = {}): { ok: false; error: FailureView } {
  return failed(operation, new Failure(code, message, detail));
}

function parseDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** The checks of the add form made before anything is sent: a usable environment URL and a well-formed token. */
export function checkAddInput(input: AddTokenInput): Result<CheckedAddInput> {
  const env = parseEnvironmentUrl(input.environmentUrl);
  if (!env.ok) {
    return refused('add', 'invalid-url', env.error.message, env.error.suggestion === undefined ? {} : { suggestion: env.error.suggestion });
  }
  const format = checkTokenFormat(input.token);
  if (!format.ok) return refused('add', 'invalid-token', format.error.message);
  return ok({ environment: env.value, id: format.value.id, secret: format.value.token });
}

/**
 * Looks the token up with itself (`POST /apiTokens/lookup`), refuses a classic or an expired token, and stores it
 * (metadata in the list, secret sealed in the vault). Host access must be granted already.
 */
export async function addCheckedToken(ctx: RequestContext, input: AddTokenInput, checked: CheckedAddInput): Promise<Result<StoredToken>> {
  const { environment, id, secret } = checked;
  const where = environment.origin;
  let info: ApiToken;
  try {
    info = await clientForSecret(environment.baseUrl, secret, ctx.client).tokens.lookup(secret);
  } catch (e) {
    return failed('add', e, { where });
  }
  if (info.personalAccessToken !== true) {
    return refused('add', 'not-personal', 'This is a classic API token, not a personal access token. Tokenscope stores personal access tokens only.');
  }
  const expiresAt = parseDate(info.expirationDate);
  if (expiresAt !== null && expiresAt <= ctx.now) return refused('add', 'expired', 'This token has expired. Create a new one.');
  const record: StoredToken = {
    id,
    label: (input.label ?? '').trim() || info.name || id,
    color: input.color ?? nextColor(ctx.tokens.length),
    environmentUrl: environment.baseUrl,
    owner: info.owner ?? '',
    name: info.name ?? '',
    personal: true,
    scopes: [...(info.scopes ?? [])],
    expiresAt,
    createdAt: parseDate(info.creationDate) ?? ctx.now,
    production: input.production === true,
    lastCheckedAt: ctx.now,
    lastUsedAt: parseDate(info.lastUsedDate),
  };
  try {
    await saveToken(record, secret);
  } catch (e) {
    return failed('add', e, { where });
  }
  return ok(record);
}

/**
 * Creates a PAT with `POST /apiTokens` (`personalAccessToken: true`) as the creator token's owner and stores it.
 * Refuses before sending when the creator lacks `apiTokens.write`, has expired, or its owner already has five PATs
 * stored; the server's own 400 for the sixth reads the same. A token created but not stored still comes back, with
 * `storeError`, so its secret is shown once and not lost.
 */
export async function createToken(ctx: RequestContext, input: CreateTokenInput): Promise<Result<CreatedToken>> {
  const creator = ctx.tokens.find((t) => t.id === input.creatorId);
  if (creator === undefined) return refused('create', 'not-found', 'Choose a stored token to create the new one with.');
  if (isExpired(creator, ctx.now)) return refused('create', 'expired', `"${creator.label}" has expired and cannot create tokens.`, { tokenId: creator.id });
  if (!creator.scopes.includes(WRITE_SCOPE)) {
    return refused('create', 'missing-write-scope', `"${creator.label}" lacks the scope ${WRITE_SCOPE}, which creating a token needs. Use a token of ${creator.owner} that has it.`, { tokenId: creator.id });
  }
  const count = personalTokenCount(ctx.tokens, creator.environmentUrl, creator.owner);
  if (count >= MAX_PATS_PER_OWNER) {
    return refused('create', 'token-limit', `${creator.owner} already has ${count} of ${MAX_PATS_PER_OWNER} personal access tokens in ${hostOf(creator.environmentUrl)}. Revoke one before creating another.`);
  }
  const name = input.name.trim();
  if (name === '') return refused('create', 'invalid-input', 'Give the new token a name.');
  if (input.scopes.length === 0) return refused('create', 'invalid-input', 'Choose at least one scope.');
  const where = originOf(creator.environmentUrl);
  let created: { token?: string; expirationDate?: string };
  try {
    created = await clientForToken(creator, ctx.client).tokens.create({
      name,
      scopes: input.scopes as NonNullable<Parameters<DynatraceClient['tokens']['create']>[0]['scopes']>,
      personalAccessToken: true,
      ...(input.expiresInDays === null ? {} : { expirationDate: `now+${input.expiresInDays}d` }),
    });
  } catch (e) {
    return failed('create', e, { where, tokenId: creator.id });
  }
  const format = checkTokenFormat(created.token ?? '');
  if (!format.ok) return refused('create', 'unexpected', 'The environment created a token but sent it in an unexpected format.');
  const record: StoredToken = {
    id: format.value.id,
    label: (input.label ?? '').trim() || name,
    color: input.color ?? nextColor(ctx.tokens.length),
    environmentUrl: creator.environmentUrl,
    // The server makes the caller's owner the owner of the new token.
    owner: creator.owner,
    name,
    personal: true,
    scopes: [...input.scopes],
    expiresAt: parseDate(created.expirationDate),
    createdAt: ctx.now,
    production: input.production === true,
    lastCheckedAt: ctx.now,
    lastUsedAt: null,
  };
  try {
    await saveToken(record, format.value.token);
  } catch (e) {
    return ok({ token: record, secret: format.value.token, storeError: describeFailure(e, { operation: 'create', where }) });
  }
  return ok({ token: record, secret: format.value.token, storeError: null });
}

/** Usable stored tokens of the same owner and environment as `target`, with `apiTokens.write` (a token cannot revoke itself). */
export function writersFor(ctx: RequestContext, target: StoredToken, hasSecret: (id: string) => boolean): StoredToken[] {
  return ctx.tokens.filter((t) => t.id !== target.id && t.personal && sameOwner(t, target)
    && t.scopes.includes(WRITE_SCOPE) && hasSecret(t.id) && !isExpired(t, ctx.now));
}

/**
 * Revokes a token on the server (`DELETE /apiTokens/{id}`, sent with another stored token of the same owner that has
 * `apiTokens.write`), then removes it here. A 404 means it is gone on the server already: it is removed here too.
 */
export async function revokeToken(ctx: RequestContext, id: string, hasSecret: (id: string) => boolean): Promise<Result<StoredToken>> {
  const target = ctx.tokens.find((t) => t.id === id);
  if (target === undefined) return refused('revoke', 'not-found', 'This token is no longer stored.', { tokenId: id });
  const writer = writersFor(ctx, target, hasSecret)[0];
  if (writer === undefined) {
    return refused('revoke', 'missing-write-scope',
      `Revoking "${target.label}" needs another stored token of ${target.owner} with ${WRITE_SCOPE} (a token cannot revoke itself). Revoke it in Dynatrace, or use "Remove" to forget it here only.`,
      { tokenId: id });
  }
  const where = originOf(target.environmentUrl);
  try {
    await clientForToken(writer, ctx.client).tokens.delete(target.id);
  } catch (e) {
    if (!(e instanceof ApiError && e.kind === 'not-found')) return failed('revoke', e, { where, tokenId: id });
  }
  try {
    await removeToken(target.id);
  } catch (e) {
    return failed('revoke', e, { where, tokenId: id });
  }
  return ok(target);
}

/** Looks a stored token up again (`POST /apiTokens/lookup`) and stores its current scopes, expiry and last use. */
export async function recheckToken(ctx: RequestContext, id: string): Promise<Result<StoredToken>> {
  const token = ctx.tokens.find((t) => t.id === id);
  if (token === undefined) return refused('recheck', 'not-found', 'This token is no longer stored.', { tokenId: id });
  const where = originOf(token.environmentUrl);
  try {
    const info = await lookupStoredToken(token, ctx.client);
    return ok(await updateToken(id, {
      scopes: [...(info.scopes ?? token.scopes)],
      expiresAt: info.expirationDate === undefined ? null : parseDate(info.expirationDate),
      lastUsedAt: parseDate(info.lastUsedDate),
      lastCheckedAt: ctx.now,
    }));
  } catch (e) {
    return failed('recheck', e, { where, tokenId: id });
  }
}
