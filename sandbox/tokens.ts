import type { Db } from './db/database';
import { immediate, prep } from './db/database';
import { badParameter, errors, SandboxError } from './errors';
import { digestMatches, newTokenSecret, splitToken } from './auth/secrets';
import { getSettings } from './settings';
import { isScope, PAT_SCOPES, type Scope } from '../lib/scopes';

export const MAX_PATS_PER_USER = 5;

export interface TokenRow {
  id: string;
  name: string;
  owner: string;
  userId: number | null;
  personal: boolean;
  enabled: boolean;
  scopes: Scope[];
  createdAt: number;
  modifiedAt: number | null;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
}

interface RawRow {
  id: string; digest: Buffer; name: string; owner: string; user_id: number | null; personal: number; enabled: number;
  scopes: string; created_at: number; modified_at: number | null; expires_at: number | null; last_used_at: number | null; last_used_ip: string | null;
}

function fromRaw(r: RawRow): TokenRow {
  return {
    id: r.id, name: r.name, owner: r.owner, userId: r.user_id, personal: r.personal === 1, enabled: r.enabled === 1,
    scopes: JSON.parse(r.scopes) as Scope[], createdAt: r.created_at, modifiedAt: r.modified_at,
    expiresAt: r.expires_at, lastUsedAt: r.last_used_at, lastUsedIp: r.last_used_ip,
  };
}

const COLUMNS = 'id, name, owner, user_id, personal, enabled, scopes, created_at, modified_at, expires_at, last_used_at, last_used_ip';

export function getToken(db: Db, id: string): TokenRow | undefined {
  const r = prep(db, `SELECT ${COLUMNS}, digest FROM tokens WHERE id = ?`).get(id) as RawRow | undefined;
  return r && fromRaw(r);
}

export function listTokens(db: Db, userId?: number): TokenRow[] {
  const rows = userId === undefined
    ? prep(db, `SELECT ${COLUMNS}, digest FROM tokens`).all()
    : prep(db, `SELECT ${COLUMNS}, digest FROM tokens WHERE user_id = ?`).all(userId);
  return (rows as RawRow[]).map(fromRaw);
}

export interface MintRequest {
  name: string;
  scopes: Scope[];
  personal: boolean;
  /** The owning user (required for PATs). */
  userId: number | null;
  owner: string;
  expiresAt: number | null;
}

/** Validates a token name and scope list (shared by the token API and the admin API). */
export function validateNameAndScopes(body: Record<string, unknown>, personal: boolean, required: boolean): { name?: string; scopes?: Scope[] } {
  const out: { name?: string; scopes?: Scope[] } = {};
  if (body.name !== undefined || required) {
    if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 100) {
      throw badParameter('name', 'name must be a non-empty string of at most 100 characters', 'PAYLOAD_BODY');
    }
    out.name = body.name;
  }
  if (body.scopes !== undefined || required) {
    if (!Array.isArray(body.scopes) || body.scopes.length === 0) throw badParameter('scopes', 'scopes must be a non-empty list', 'PAYLOAD_BODY');
    for (const s of body.scopes) {
      if (!isScope(s)) throw badParameter('scopes', `unknown scope ${JSON.stringify(s)}`, 'PAYLOAD_BODY');
      if (personal && !PAT_SCOPES.includes(s)) throw badParameter('scopes', `The scope ${s} cannot be granted to a personal access token`, 'PAYLOAD_BODY');
    }
    out.scopes = [...new Set(body.scopes as Scope[])];
  }
  return out;
}

/**
 * Mints a token. For PATs the five-per-user limit and the `patEnabled` rule are checked inside
 * the same `BEGIN IMMEDIATE` transaction as the insert, so concurrent creations cannot overshoot.
 */
export function mintToken(db: Db, now: number, req: MintRequest): { id: string; token: string; expiresAt: number | null } {
  const secret = newTokenSecret();
  immediate(db, () => {
    if (req.personal) {
      if (!getSettings(db).patEnabled) throw new SandboxError(400, 'Personal access tokens are disabled in this environment');
      const { n } = prep(db, 'SELECT count(*) AS n FROM tokens WHERE personal = 1 AND user_id = ?').get(req.userId) as { n: number };
      if (n >= MAX_PATS_PER_USER) {
        throw new SandboxError(400, `The maximum of five personal access tokens for user '${req.owner}' is reached`);
      }
    }
    prep(db, `INSERT INTO tokens (id, digest, name, owner, user_id, personal, enabled, scopes, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`).run(
      secret.id, secret.digest, req.name, req.owner, req.userId, req.personal ? 1 : 0, JSON.stringify(req.scopes), now, req.expiresAt,
    );
  });
  return { id: secret.id, token: secret.token, expiresAt: req.expiresAt };
}

/** A token's row with the digest of its secret, as verification needs it. */
export interface TokenRecord { row: TokenRow; digest: Buffer }

/** The stored token with a public id, if any. */
export function tokenRecord(db: Db, id: string): TokenRecord | undefined {
  const raw = prep(db, `SELECT ${COLUMNS}, digest FROM tokens WHERE id = ?`).get(id) as RawRow | undefined;
  return raw && { row: fromRaw(raw), digest: raw.digest };
}

/**
 * Resolves a presented secret. Malformed, unknown and wrong-secret tokens all fail the same way;
 * only a holder of the real secret learns that it is expired or disabled. `lookup` finds the stored
 * token by its public id (the request path passes one that remembers rows while the database is unchanged).
 */
export function verifyToken(db: Db, presented: string, now: number, lookup: (id: string) => TokenRecord | undefined = (id) => tokenRecord(db, id)): TokenRow {
  const parts = splitToken(presented);
  if (!parts) throw errors.invalidToken();
  const rec = lookup(parts.id);
  if (!rec || !digestMatches(presented, rec.digest)) throw errors.invalidToken();
  const row = rec.row;
  if (row.expiresAt !== null && row.expiresAt <= now) throw errors.expired();
  if (!row.enabled) throw errors.disabled();
  return { ...row };
}

/** Finds a token by its full secret without authenticating with it (lookup, delete-by-secret). */
export function findBySecret(db: Db, presented: string): TokenRow | undefined {
  const parts = splitToken(presented);
  if (!parts) return undefined;
  const raw = prep(db, `SELECT ${COLUMNS}, digest FROM tokens WHERE id = ?`).get(parts.id) as RawRow | undefined;
  return raw && digestMatches(presented, raw.digest) ? fromRaw(raw) : undefined;
}

/** Records use at most once a minute, so hot tokens do not turn every read into a write. */
export function touchToken(db: Db, row: TokenRow, now: number, ip: string): void {
  if (row.lastUsedAt !== null && now - row.lastUsedAt < 60_000 && row.lastUsedIp === ip) return;
  immediate(db, () => {
    prep(db, 'UPDATE tokens SET last_used_at = ?, last_used_ip = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ? OR last_used_ip IS NOT ?)')
      .run(now, ip, row.id, now - 60_000, ip);
  });
}

export function updateToken(db: Db, id: string, now: number, patch: { name?: string; scopes?: Scope[]; enabled?: boolean }): void {
  immediate(db, () => {
    if (patch.name !== undefined || patch.scopes !== undefined) {
      // modifiedDate follows name and scope changes, not enabling/disabling (docs/dynatrace-api-notes.md §3.2).
      prep(db, 'UPDATE tokens SET name = coalesce(?, name), scopes = coalesce(?, scopes), modified_at = ? WHERE id = ?')
        .run(patch.name ?? null, patch.scopes ? JSON.stringify(patch.scopes) : null, now, id);
    }
    if (patch.enabled !== undefined) prep(db, 'UPDATE tokens SET enabled = ? WHERE id = ?').run(patch.enabled ? 1 : 0, id);
  });
}

export function deleteToken(db: Db, id: string): boolean {
  return immediate(db, () => prep(db, 'DELETE FROM tokens WHERE id = ?').run(id).changes > 0);
}

export function iso(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString();
}

/** The `ApiToken` representation (full record; never the secret or its digest). */
export function toApiToken(t: TokenRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id, name: t.name, enabled: t.enabled, personalAccessToken: t.personal, owner: t.owner,
    creationDate: iso(t.createdAt), scopes: t.scopes,
  };
  if (t.expiresAt !== null) out.expirationDate = iso(t.expiresAt);
  if (t.lastUsedAt !== null) out.lastUsedDate = iso(t.lastUsedAt);
  if (t.lastUsedIp !== null) out.lastUsedIpAddress = t.lastUsedIp;
  if (t.modifiedAt !== null) out.modifiedDate = iso(t.modifiedAt);
  return out;
}
