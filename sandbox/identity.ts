import type { Db } from './db/database';
import { immediate, prep } from './db/database';
import { badParameter, SandboxError } from './errors';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export interface GrantInput { role: Role; zones: '*' | string[] }
export interface Zone { id: string; name: string }

export interface UserRecord { id: number; email: string; name: string }

/** What a user may do and see, read fresh on every request (no cache: a changed grant applies at once). */
export interface UserAccess {
  user: UserRecord;
  /** Highest role held anywhere. */
  maxRole: Role | null;
  /** True when some grant is environment-wide (admin always is). */
  environmentWide: boolean;
  /** Zone ids the user may see (all zones when environment-wide). */
  zoneIds: Set<string>;
  /** Zone names, matching `zoneIds`. */
  zoneNames: Set<string>;
}

export function hasRole(access: UserAccess, role: Role): boolean {
  return access.maxRole !== null && RANK[access.maxRole] >= RANK[role];
}

export function listZones(db: Db): Zone[] {
  return prep(db, 'SELECT id, name FROM zones ORDER BY name').all() as Zone[];
}

export function findUser(db: Db, email: string): UserRecord | undefined {
  return prep(db, 'SELECT id, email, name FROM users WHERE email = ?').get(email) as UserRecord | undefined;
}

/** `zones`: the environment's zones when the caller has them at hand (the loaded world), saving a query. */
export function loadAccess(db: Db, userId: number, zones?: readonly Zone[]): UserAccess | null {
  // One query: the user and each grant with its zone (LEFT JOINs keep a user without grants).
  const rows = prep(db, `SELECT u.email, u.name, g.role, g.zone_id AS zoneId, z.name AS zoneName
    FROM users u LEFT JOIN grants g ON g.user_id = u.id LEFT JOIN zones z ON z.id = g.zone_id WHERE u.id = ?`).all(userId) as
    { email: string; name: string; role: Role | null; zoneId: string | null; zoneName: string | null }[];
  const first = rows[0];
  if (!first) return null;
  let maxRole: Role | null = null;
  let environmentWide = false;
  const zoneIds = new Set<string>();
  const zoneNames = new Set<string>();
  for (const g of rows) {
    if (g.role === null) continue;
    if (maxRole === null || RANK[g.role] > RANK[maxRole]) maxRole = g.role;
    if (g.zoneId === null || g.role === 'admin') environmentWide = true;
    else { zoneIds.add(g.zoneId); zoneNames.add(g.zoneName ?? g.zoneId); }
  }
  if (environmentWide) {
    for (const z of zones ?? listZones(db)) { zoneIds.add(z.id); zoneNames.add(z.name); }
  }
  return { user: { id: userId, email: first.email, name: first.name }, maxRole, environmentWide, zoneIds, zoneNames };
}

function validateGrants(db: Db, input: unknown): { role: Role; zoneId: string | null }[] {
  if (!Array.isArray(input)) throw badParameter('grants', 'grants must be an array', 'PAYLOAD_BODY');
  const zones = new Map(listZones(db).map((z) => [z.name, z.id]));
  const out: { role: Role; zoneId: string | null }[] = [];
  input.forEach((g: unknown, i) => {
    const path = `grants[${i}]`;
    if (typeof g !== 'object' || g === null) throw badParameter(path, 'a grant must be an object', 'PAYLOAD_BODY');
    const { role, zones: zs, ...rest } = g as Record<string, unknown>;
    if (Object.keys(rest).length) throw badParameter(path, `unknown field ${Object.keys(rest)[0]}`, 'PAYLOAD_BODY');
    if (!ROLES.includes(role as Role)) throw badParameter(`${path}.role`, `role must be one of ${ROLES.join(', ')}`, 'PAYLOAD_BODY');
    if (zs === '*' || role === 'admin') {
      out.push({ role: role as Role, zoneId: null });
      return;
    }
    if (!Array.isArray(zs) || zs.length === 0) throw badParameter(`${path}.zones`, 'zones must be "*" or a non-empty list of zone names', 'PAYLOAD_BODY');
    for (const name of zs) {
      const id = typeof name === 'string' ? zones.get(name) : undefined;
      if (!id) throw badParameter(`${path}.zones`, `unknown management zone ${JSON.stringify(name)}`, 'PAYLOAD_BODY');
      out.push({ role: role as Role, zoneId: id });
    }
  });
  return out;
}

export function createUser(db: Db, now: number, body: { email: unknown; name?: unknown; grants?: unknown }): UserRecord {
  const { email, name } = body;
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email)) throw badParameter('email', 'email must be an e-mail address', 'PAYLOAD_BODY');
  if (name !== undefined && (typeof name !== 'string' || name.length > 200)) throw badParameter('name', 'name must be a string of at most 200 characters', 'PAYLOAD_BODY');
  return immediate(db, () => {
    const grants = validateGrants(db, body.grants ?? []);
    if (findUser(db, email)) throw new SandboxError(409, `User '${email}' already exists`);
    const id = Number(prep(db, 'INSERT INTO users (email, name, created_at) VALUES (?, ?, ?)').run(email, (name as string | undefined) ?? email, now).lastInsertRowid);
    insertGrants(db, id, grants);
    return { id, email, name: (name as string | undefined) ?? email };
  });
}

function insertGrants(db: Db, userId: number, grants: { role: Role; zoneId: string | null }[]): void {
  const stmt = prep(db, 'INSERT INTO grants (user_id, role, zone_id) VALUES (?, ?, ?)');
  for (const g of grants) stmt.run(userId, g.role, g.zoneId);
}

export function replaceGrants(db: Db, email: string, grants: unknown): void {
  immediate(db, () => {
    const user = findUser(db, email);
    if (!user) throw new SandboxError(404, `User '${email}' not found`);
    const valid = validateGrants(db, grants);
    prep(db, 'DELETE FROM grants WHERE user_id = ?').run(user.id);
    insertGrants(db, user.id, valid);
  });
}

/**
 * Deletes a user with its grants and tokens in one transaction. The cascade is spelled out
 * (not left to ON DELETE CASCADE alone) so a failure half-way rolls everything back visibly.
 */
export function deleteUser(db: Db, email: string, afterFirstStatement?: () => void): void {
  immediate(db, () => {
    const user = findUser(db, email);
    if (!user) throw new SandboxError(404, `User '${email}' not found`);
    prep(db, 'DELETE FROM tokens WHERE user_id = ?').run(user.id);
    afterFirstStatement?.();
    prep(db, 'DELETE FROM grants WHERE user_id = ?').run(user.id);
    prep(db, 'DELETE FROM users WHERE id = ?').run(user.id);
  });
}

export function listUsers(db: Db): { email: string; name: string; grants: GrantInput[]; personalTokens: number }[] {
  const users = prep(db, 'SELECT id, email, name FROM users ORDER BY email').all() as UserRecord[];
  const grants = prep(db, `SELECT g.user_id AS userId, g.role, z.name AS zone FROM grants g LEFT JOIN zones z ON z.id = g.zone_id ORDER BY g.id`).all() as { userId: number; role: Role; zone: string | null }[];
  const counts = new Map((prep(db, 'SELECT user_id AS userId, count(*) AS n FROM tokens WHERE personal = 1 GROUP BY user_id').all() as { userId: number; n: number }[]).map((r) => [r.userId, r.n]));
  return users.map((u) => {
    const mine = grants.filter((g) => g.userId === u.id);
    const byRole = new Map<Role, GrantInput>();
    for (const g of mine) {
      const existing = byRole.get(g.role);
      if (g.zone === null) byRole.set(g.role, { role: g.role, zones: '*' });
      else if (!existing) byRole.set(g.role, { role: g.role, zones: [g.zone] });
      else if (existing.zones !== '*') existing.zones.push(g.zone);
    }
    return { email: u.email, name: u.name, grants: [...byRole.values()], personalTokens: counts.get(u.id) ?? 0 };
  });
}
