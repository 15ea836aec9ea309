import type { Db } from './db/database';
import { createUser, findUser, type GrantInput } from './identity';
import { SandboxError } from './errors';
import type { Scope } from '../lib/scopes';
import { deleteToken, listTokens, mintToken } from './tokens';

export interface DemoUser {
  email: string;
  name: string;
  grants: GrantInput[];
  /** Scopes of the PAT minted for this user at start-up. */
  scopes: Scope[];
}

const READ: Scope[] = ['entities.read', 'metrics.read', 'problems.read', 'apiTokens.read', 'apiTokens.write'];

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'admin@example.com', name: 'Ada Admin', grants: [{ role: 'admin', zones: '*' }], scopes: [...READ, 'settings.read', 'settings.write', 'entities.write', 'problems.write'] },
  { email: 'analyst@example.com', name: 'Anna Analyst', grants: [{ role: 'viewer', zones: ['Production EU'] }], scopes: READ },
  { email: 'support@example.com', name: 'Sam Support', grants: [{ role: 'viewer', zones: ['Production EU', 'Production US', 'Staging', 'Shared Services'] }], scopes: [...READ, 'settings.read'] },
  { email: 'operator@example.com', name: 'Otto Operator', grants: [{ role: 'operator', zones: ['Staging'] }], scopes: [...READ, 'problems.write', 'settings.read'] },
  { email: 'nogrants@example.com', name: 'Nora Nogrants', grants: [], scopes: ['entities.read', 'metrics.read', 'apiTokens.read'] },
];

/** The name of the PAT `npm start` mints per demo user; the previous one is revoked first, keeping slots free. */
export const STARTUP_TOKEN_NAME = 'tokenscope demo (npm start)';

export function seedDemoUsers(db: Db, now: number): void {
  for (const u of DEMO_USERS) {
    if (findUser(db, u.email)) continue;
    try {
      createUser(db, now, u);
    } catch (e) {
      // Two processes starting on one database both try: the loser finds the user already there.
      if (!(e instanceof SandboxError && e.status === 409)) throw e;
    }
  }
}

/** Mints one fresh PAT per demo user (replacing the one minted at the previous start). */
export function mintStartupTokens(db: Db, now: number): { email: string; name: string; id: string; token: string; scopes: Scope[] }[] {
  const out = [];
  for (const u of DEMO_USERS) {
    const user = findUser(db, u.email);
    if (!user) continue;
    for (const t of listTokens(db, user.id)) if (t.name === STARTUP_TOKEN_NAME) deleteToken(db, t.id);
    const minted = mintToken(db, now, { name: STARTUP_TOKEN_NAME, scopes: u.scopes, personal: true, userId: user.id, owner: u.email, expiresAt: null });
    out.push({ email: u.email, name: u.name, id: minted.id, token: minted.token, scopes: u.scopes });
  }
  return out;
}
