/**
 * Rotating a token: a new PAT with the same scopes and validity length, stored with the same label, colour and
 * production flag, made active if the old one was, then the old one revoked. Pure: the steps are ports (create,
 * store, activate, revoke, journal), so every failure can be injected and every outcome is a state the UI can
 * explain and act on. Nothing is lost: the new secret is either stored or handed back to be shown once.
 *
 * The journal (no secret in it) is written before each step and cleared when the rotation is complete, so a
 * rotation interrupted by a closed popup or a stopped service worker is recovered on the next start
 * ({@link recoverRotation}).
 */

/** Where a rotation stands; persisted per old token id. */
export type RotationStep = 'creating' | 'storing' | 'activating' | 'revoking';

/** What is persisted while a rotation runs or waits for its last step. Never a secret. */
export interface RotationJournal {
  oldId: string;
  oldLabel: string;
  /** The new token's name on the server ("<old name> (rotated 2026-12-02)"). */
  newName: string;
  /** Known once the server created it. */
  newId: string | null;
  step: RotationStep;
  /** Make the new token active once stored (the old one was active when the rotation started). */
  makeActive: boolean;
  startedAt: number;
}

/** The token to rotate, as far as the rotation needs it. */
export interface RotationSource {
  id: string;
  label: string;
  name: string;
  scopes: readonly string[];
  expiresAt: number | null;
  createdAt: number;
}

export interface CreatedSecret {
  id: string;
  /** The new token's secret: stored, or handed back to be shown once. Never journalled. */
  secret: string;
  /** The expiry the server gave it (epoch ms), `null` for none. */
  expiresAt?: number | null;
}

/** The steps, injected: the real ones talk to the API and to storage; tests inject faults. */
export interface RotationPorts {
  create(request: { name: string; scopes: readonly string[]; expiresInDays: number | null }): Promise<CreatedSecret>;
  store(created: CreatedSecret): Promise<void>;
  activate(newId: string): Promise<void>;
  revoke(oldId: string): Promise<void>;
  journal(entry: RotationJournal | null): Promise<void>;
}

/** How a rotation ended; each names what the user has now and can do. */
export type RotationOutcome =
  /** The new token is stored (and active if the old one was); the old one is revoked. */
  | { state: 'rotated'; newId: string }
  /** Nothing changed: the old token still works and is still stored. */
  | { state: 'create-failed'; error: unknown }
  /** The new token exists on the server but is not stored: show `secret` once; it can be pasted with "Add token". */
  | { state: 'store-failed'; error: unknown; newId: string; secret: string }
  /** Both are stored and work; the new one could not be made active. The old one is not revoked. */
  | { state: 'activate-failed'; error: unknown; newId: string }
  /** Both are stored and work; the old one is marked "rotated, not yet revoked" (its journal stays) with "Revoke". */
  | { state: 'revoke-failed'; error: unknown; newId: string };

const DAY = 86_400_000;

/** The validity length of the new token: the old one's, in whole days (at least one); `null` for no expiry. */
export function validityDays(source: Pick<RotationSource, 'expiresAt' | 'createdAt'>): number | null {
  if (source.expiresAt === null) return null;
  return Math.max(1, Math.round((source.expiresAt - source.createdAt) / DAY));
}

/** The new token's name: the old name with the date of the rotation. */
export function rotatedName(name: string, now: number): string {
  const base = name.replace(/ \(rotated \d{4}-\d{2}-\d{2}\)$/, '');
  return `${base} (rotated ${new Date(now).toISOString().slice(0, 10)})`;
}

/**
 * Runs a rotation from the start. `makeActive`: the old token is the active one. The journal is written before
 * each step, so whatever step a crash interrupts, {@link recoverRotation} knows where it was.
 */
export async function rotate(source: RotationSource, options: { makeActive: boolean; now: number }, ports: RotationPorts): Promise<RotationOutcome> {
  const entry: RotationJournal = {
    oldId: source.id, oldLabel: source.label, newName: rotatedName(source.name || source.label, options.now), newId: null,
    step: 'creating', makeActive: options.makeActive, startedAt: options.now,
  };
  let created: CreatedSecret;
  try {
    await ports.journal(entry);
    created = await ports.create({ name: entry.newName, scopes: source.scopes, expiresInDays: validityDays(source) });
  } catch (error) {
    await ports.journal(null).catch(() => undefined);
    return { state: 'create-failed', error };
  }
  return continueRotation({ ...entry, newId: created.id, step: 'storing' }, ports, created);
}

/**
 * Runs the remaining steps of a journalled rotation. `created` carries the new secret only when this page created
 * the token just now; after a crash the secret is gone and a rotation that had not stored it cannot go on.
 */
export async function continueRotation(entry: RotationJournal, ports: RotationPorts, created?: CreatedSecret): Promise<RotationOutcome> {
  const newId = entry.newId;
  if (newId === null) throw new Error('continueRotation needs a journal entry with the new token id');
  let step = entry.step;
  if (step === 'storing') {
    if (created === undefined) throw new Error('a rotation cannot store a token whose secret it no longer has');
    try {
      await ports.journal({ ...entry, step });
      await ports.store(created);
    } catch (error) {
      // Not stored: the old one stays as it was; the journal goes (the secret is shown now or never).
      await ports.journal(null).catch(() => undefined);
      return { state: 'store-failed', error, newId, secret: created.secret };
    }
    step = 'activating';
  }
  if (step === 'activating') {
    try {
      await ports.journal({ ...entry, step });
      if (entry.makeActive) await ports.activate(newId);
    } catch (error) {
      await ports.journal({ ...entry, step: 'revoking' }).catch(() => undefined);
      return { state: 'activate-failed', error, newId };
    }
  }
  try {
    await ports.journal({ ...entry, step: 'revoking' });
    await ports.revoke(entry.oldId);
  } catch (error) {
    // The journal stays at `revoking`: the old token is shown "rotated, not yet revoked" with "Revoke".
    return { state: 'revoke-failed', error, newId };
  }
  await ports.journal(null).catch(() => undefined);
  return { state: 'rotated', newId };
}

/** What a journal found at start-up means, and what to do with it. */
export type Recovery =
  /** Interrupted while creating: a token named `newName` may exist on the server without a stored secret. */
  | { state: 'create-unknown'; entry: RotationJournal }
  /** Created but its secret was never stored (it is lost): revoke `newId` on the server; the old token still works. */
  | { state: 'secret-lost'; entry: RotationJournal }
  /** The new token is stored: finish (activate if due, then revoke the old one). */
  | { state: 'resume'; entry: RotationJournal }
  /** The old token is gone already: the rotation is complete, the journal can go. */
  | { state: 'complete'; entry: RotationJournal };

/** Reads a journal left by an interrupted rotation, given which token ids are stored now. */
export function recoverRotation(entry: RotationJournal, storedIds: ReadonlySet<string>): Recovery {
  if (entry.step === 'creating' || entry.newId === null) return { state: 'create-unknown', entry };
  if (!storedIds.has(entry.newId)) return { state: 'secret-lost', entry };
  if (!storedIds.has(entry.oldId)) return { state: 'complete', entry };
  // Stored: the steps left are activating (if due) and revoking.
  return { state: 'resume', entry: entry.step === 'storing' ? { ...entry, step: 'activating' } : entry };
}
