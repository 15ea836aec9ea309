/**
 * The requests half of the tokens store: every token action that talks to an environment (checking a token before
 * it is stored, creating, revoking, checking again), as pure async functions that take what they need and return a
 * {@link Result}. They never touch the store's state: `stores/tokens.ts` loads this module with `import()` when such
 * an action starts (so the popup's first load carries neither the API client nor the error texts) and applies the
 * result itself.
 *
 * Over 250 lines on purpose: every request a token action sends lives here, together, so the popup's first load
 * carries none of them (`eslint.first-load.js`).
 */
import { checkTokenFormat } from '../lib/dynatrace/token-format';
import type { EnvironmentUrl } from '../lib/dynatrace/environment-url';
import { checkEnvironmentUrl } from '../lib/dynatrace/look-alike-host';
import { ApiError } from '../lib/dynatrace/errors';
import type { DynatraceClient } from '../lib/dynatrace/client';
import type { ApiToken } from '../lib/dynatrace/types';
import { describeFailure } from '../lib/failure/describe';
import { Failure, type FailureOperation, type FailureView } from '../lib/failure/failure';
import { addressSeen } from '../lib/tokens/address';
import { hostOf, isExpired, plainCopy, MAX_PATS_PER_OWNER, nextColor, originOf, personalTokenCount, sameOwner, WRITE_SCOPE } from '../lib/tokens/rules';
import { continueRotation, rotate, rotatedName, type RotationJournal, type RotationOutcome, type RotationPorts } from '../lib/tokens/rotation';
import { ownerKey, ownerSelector, type ServerToken, type ServerTokenList } from '../lib/tokens/slots';
import { clientForSecret, clientForToken, lookupStoredToken, type ClientOptions } from '../platform/api';
import { getServerTokens, runExclusive, writeRotation } from '../platform/hygiene';
import { getActiveTokenId, getTokens, setActiveTokenId, type StoredToken } from '../platform/tokens';
import { removeToken, saveToken, updateToken, type TokenPatch } from '../platform/token-writes';

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
  const env = checkEnvironmentUrl(input.environmentUrl);
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
    lastUsedIp: info.lastUsedIpAddress ?? null,
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
  // The server may hold more than is stored here: its list (kept for a minute, see stores/hygiene.ts) decides.
  const server = (await getServerTokens())[ownerKey(creator.environmentUrl, creator.owner)];
  if (server !== undefined && server.tokens.length >= MAX_PATS_PER_OWNER) {
    return refused('create', 'token-limit', `${creator.owner} holds all ${MAX_PATS_PER_OWNER} personal access tokens on the server: ${server.tokens.map((t) => t.name || t.id).join(', ')}. Revoke one before creating another.`);
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
    const lastUsedAt = parseDate(info.lastUsedDate);
    return ok(await updateToken(id, {
      scopes: [...(info.scopes ?? token.scopes)],
      expiresAt: info.expirationDate === undefined ? null : parseDate(info.expirationDate),
      lastUsedAt,
      lastCheckedAt: ctx.now,
      ...addressSeen(token, info.lastUsedIpAddress, lastUsedAt, ctx.now),
    }));
  } catch (e) {
    return failed('recheck', e, { where, tokenId: id });
  }
}

// ---- token hygiene: the server's slots, rotation ----------------------------------------------------------------

/** A stored token of the owner that may list the owner's tokens (`apiTokens.read`). */
export function readerFor(ctx: RequestContext, target: Pick<StoredToken, 'environmentUrl' | 'owner'>, hasSecret: (id: string) => boolean): StoredToken | undefined {
  return ctx.tokens.find((t) => t.personal && sameOwner(t, target) && hasSecret(t.id) && !isExpired(t, ctx.now)
    && (t.scopes.includes('apiTokens.read') || t.scopes.includes(WRITE_SCOPE)));
}

/**
 * The owner's personal access tokens as the server lists them (`GET /apiTokens`, `apiTokenSelector` by owner and
 * `personalAccessToken(true)`), read with `reader`.
 */
export async function listServerTokens(ctx: RequestContext, reader: StoredToken): Promise<Result<ServerTokenList>> {
  try {
    const tokens: ServerToken[] = [];
    for await (const t of clientForToken(reader, ctx.client).tokens.listAll({
      apiTokenSelector: ownerSelector(reader.owner), fields: '+expirationDate,+lastUsedDate,+personalAccessToken', pageSize: 100,
    })) {
      if (t.id !== undefined && t.personalAccessToken !== false) {
        tokens.push({ id: t.id, name: t.name ?? '', expiresAt: parseDate(t.expirationDate ?? undefined), lastUsedAt: parseDate(t.lastUsedDate ?? undefined) });
      }
    }
    return ok({ checkedAt: ctx.now, tokens });
  } catch (e) {
    return failed('load', e, { where: originOf(reader.environmentUrl), tokenId: reader.id });
  }
}

/** Revokes a token that is on the server but not stored here, with a stored token of the owner that has `apiTokens.write`. */
export async function revokeServerToken(ctx: RequestContext, owner: Pick<StoredToken, 'environmentUrl' | 'owner'>, id: string, hasSecret: (id: string) => boolean): Promise<Result<string>> {
  const writer = ctx.tokens.find((t) => t.personal && sameOwner(t, owner) && t.scopes.includes(WRITE_SCOPE) && hasSecret(t.id) && !isExpired(t, ctx.now));
  if (writer === undefined) return refused('revoke', 'missing-write-scope', `Revoking it needs a stored token of ${owner.owner} with ${WRITE_SCOPE}.`);
  try {
    await clientForToken(writer, ctx.client).tokens.delete(id);
  } catch (e) {
    if (!(e instanceof ApiError && e.kind === 'not-found')) return failed('revoke', e, { where: originOf(writer.environmentUrl) });
  }
  return ok(id);
}

/** The ports of a rotation of `old`: the API through stored tokens of its owner, storage through `platform/`. */
function rotationPorts(ctx: RequestContext, old: StoredToken, hasSecret: (id: string) => boolean): RotationPorts {
  const creator = old.scopes.includes(WRITE_SCOPE) && hasSecret(old.id) ? old : writersFor(ctx, old, hasSecret)[0];
  return {
    async create(request) {
      if (creator === undefined) throw new Failure('missing-write-scope', `Rotating "${old.label}" needs a stored token of ${old.owner} with ${WRITE_SCOPE} (this one or another).`, { tokenId: old.id });
      const created = await clientForToken(creator, ctx.client).tokens.create({
        name: request.name,
        scopes: request.scopes as NonNullable<Parameters<DynatraceClient['tokens']['create']>[0]['scopes']>,
        personalAccessToken: true,
        ...(request.expiresInDays === null ? {} : { expirationDate: `now+${request.expiresInDays}d` }),
      });
      const format = checkTokenFormat(created.token ?? '');
      if (!format.ok) throw new Failure('unexpected', 'The environment created a token but sent it in an unexpected format.');
      return { id: format.value.id, secret: format.value.token, expiresAt: parseDate(created.expirationDate) };
    },
    async store(created) {
      // A plain copy: `old` comes from the store's reactive state, and extension storage turns a proxy's arrays
      // into objects (the guard would then drop the record).
      const record: StoredToken = {
        ...plainCopy(old), id: created.id, name: rotatedNameOf(old), expiresAt: created.expiresAt ?? null,
        createdAt: ctx.now, lastCheckedAt: ctx.now, lastUsedAt: null,
      };
      await saveToken(record, created.secret, { makeActive: false });
    },
    activate: (id) => setActiveTokenId(id, ctx.now),
    async revoke(oldId) {
      // The new token (same scopes) can revoke the old one when it has apiTokens.write; otherwise another writer.
      const stored = await getTokens();
      const writer = stored.find((t) => t.id !== oldId && t.personal && sameOwner(t, old) && t.scopes.includes(WRITE_SCOPE) && !isExpired(t, ctx.now));
      if (writer === undefined) throw new Failure('missing-write-scope', `Revoking the old "${old.label}" needs another stored token of ${old.owner} with ${WRITE_SCOPE}.`, { tokenId: oldId });
      try {
        await clientForToken(writer, ctx.client).tokens.delete(oldId);
      } catch (e) {
        if (!(e instanceof ApiError && e.kind === 'not-found')) throw e;
      }
      await removeToken(oldId);
    },
    journal: (entry) => writeRotation(old.id, entry),
  };
  function rotatedNameOf(t: StoredToken): string {
    return rotatedName(t.name || t.label, ctx.now);
  }
}

/** How a rotation ended, with the failure of its failed step as people read it. */
export interface RotationResult {
  outcome: RotationOutcome;
  failure: FailureView | null;
}

function withFailure(outcome: RotationOutcome, tokenId: string, where: string): RotationResult {
  return { outcome, failure: outcome.state === 'rotated' ? null : describeFailure(outcome.error, { operation: 'create', where, tokenId }) };
}

/**
 * Rotates a stored token (see `lib/tokens/rotation.ts`). Exactly one page rotates a token at a time: another page
 * asking meanwhile is told so. Refused before anything is sent when no slot is free on the server.
 */
export async function rotateToken(ctx: RequestContext, id: string, hasSecret: (id: string) => boolean, server?: ServerTokenList): Promise<Result<RotationResult>> {
  const old = ctx.tokens.find((t) => t.id === id);
  if (old === undefined) return refused('create', 'not-found', 'This token is no longer stored.', { tokenId: id });
  if (isExpired(old, ctx.now)) return refused('create', 'expired', `"${old.label}" has expired: create a new token instead.`, { tokenId: id });
  const used = server?.tokens.length ?? personalTokenCount(ctx.tokens, old.environmentUrl, old.owner);
  if (used >= MAX_PATS_PER_OWNER) {
    const names = server?.tokens.map((t) => t.name || t.id).join(', ');
    return refused('create', 'token-limit', `${old.owner} holds all ${MAX_PATS_PER_OWNER} personal access tokens${names ? ` (${names})` : ''}: a rotation needs a free slot for a moment. Revoke one first.`, { tokenId: id });
  }
  const where = originOf(old.environmentUrl);
  const run = await runExclusive(`tokenscope:rotate:${id}`, async () => {
    const active = (await getActiveTokenId()) === id;
    return rotate(old, { makeActive: active, now: ctx.now }, rotationPorts(ctx, old, hasSecret));
  });
  if (run === null) return refused('create', 'vault-state', `"${old.label}" is being rotated in another Tokenscope window.`, { tokenId: id });
  return ok(withFailure(run, id, where));
}

/** Finishes the rotation journalled for `oldId` (its revoke failed, or a crash came after storing). */
export async function finishRotation(ctx: RequestContext, entry: RotationJournal, hasSecret: (id: string) => boolean): Promise<Result<RotationResult>> {
  const old = ctx.tokens.find((t) => t.id === entry.oldId);
  if (old === undefined) {
    await writeRotation(entry.oldId, null);
    return ok({ outcome: { state: 'rotated', newId: entry.newId ?? '' }, failure: null });
  }
  const run = await runExclusive(`tokenscope:rotate:${entry.oldId}`, () => continueRotation(entry, rotationPorts(ctx, old, hasSecret)));
  if (run === null) return refused('revoke', 'vault-state', `"${old.label}" is being rotated in another Tokenscope window.`, { tokenId: old.id });
  return ok(withFailure(run, old.id, originOf(old.environmentUrl)));
}

/** Edits label, colour or the production tag (local only): a label that is not empty, a colour like `#1456c7`. */
export async function editToken(id: string, patch: Pick<TokenPatch, 'label' | 'color' | 'production'>): Promise<Result<StoredToken>> {
  const label = patch.label?.trim();
  if (label === '') return refused('edit', 'invalid-input', 'Give the token a label.', { tokenId: id });
  if (patch.color !== undefined && !/^#[0-9a-f]{6}$/i.test(patch.color)) return refused('edit', 'invalid-input', 'Choose a colour like #1456c7.', { tokenId: id });
  try {
    return ok(await updateToken(id, { ...patch, ...(label === undefined ? {} : { label }) }));
  } catch (e) {
    return failed('edit', e, { tokenId: id });
  }
}

/** The user has seen the note about a new address: it goes until a check finds another one. */
export async function acknowledgeAddress(id: string): Promise<Result<StoredToken>> {
  try {
    return ok(await updateToken(id, { newAddress: null }));
  } catch (e) {
    return failed('edit', e, { tokenId: id });
  }
}

/** Forgets a token in this browser only (it keeps working in Dynatrace). */
export async function removeStoredToken(id: string): Promise<Result<boolean>> {
  try {
    return ok(await removeToken(id));
  } catch (e) {
    return failed('remove', e, { tokenId: id });
  }
}
