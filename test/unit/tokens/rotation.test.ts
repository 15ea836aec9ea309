import { describe, expect, it } from 'vitest';
import { continueRotation, recoverRotation, rotate, rotatedName, validityDays, type RotationJournal, type RotationPorts } from '../../../lib/tokens/rotation';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2, 12);
const OLD = { id: 'dt0c01.OLD', label: 'Staging', name: 'staging reader', scopes: ['metrics.read', 'entities.read'], expiresAt: NOW + 10 * DAY, createdAt: NOW - 80 * DAY };
const SECRET = 'the-new-secret';

type Step = 'journal' | 'create' | 'store' | 'activate' | 'revoke';

/** A fake world: what is stored, active, on the server, and what the journal holds; `fail` breaks one step. */
function world(fail?: { step: Step; nth?: number }) {
  const state = {
    stored: new Set([OLD.id]),
    server: new Set([OLD.id]),
    secrets: new Map<string, string>(),
    active: OLD.id as string | null,
    journal: null as RotationJournal | null,
    journalWrites: [] as (RotationJournal | null)[],
    calls: [] as string[],
  };
  let journalCalls = 0;
  const maybeFail = (step: Step) => {
    if (fail?.step !== step) return;
    if (step === 'journal' && (fail.nth ?? 1) !== journalCalls) return;
    throw new Error(`${step} failed`);
  };
  const ports: RotationPorts = {
    async create(req) {
      state.calls.push(`create ${req.name} ${req.scopes.join('+')} ${req.expiresInDays}`);
      maybeFail('create');
      state.server.add('dt0c01.NEW');
      return { id: 'dt0c01.NEW', secret: SECRET };
    },
    async store(created) {
      state.calls.push('store');
      maybeFail('store');
      state.stored.add(created.id);
      state.secrets.set(created.id, created.secret);
    },
    async activate(id) {
      state.calls.push('activate');
      maybeFail('activate');
      state.active = id;
    },
    async revoke(id) {
      state.calls.push('revoke');
      maybeFail('revoke');
      state.server.delete(id);
      state.stored.delete(id);
      if (state.active === id) state.active = null;
    },
    async journal(entry) {
      journalCalls += 1;
      maybeFail('journal');
      state.journal = entry;
      state.journalWrites.push(entry);
    },
  };
  return { state, ports };
}

/** Nothing is lost: every token on the server either is stored here or its secret was handed back. */
function nothingLost(state: ReturnType<typeof world>['state'], outcome: { state: string; secret?: string; newId?: string }) {
  for (const id of state.server) {
    const handedBack = outcome.state === 'store-failed' && outcome.newId === id && outcome.secret === SECRET;
    expect(state.stored.has(id) || handedBack, `${id} is neither stored nor shown`).toBe(true);
  }
  expect(JSON.stringify(state.journalWrites)).not.toContain(SECRET);
}

describe('rotate', () => {
  it('creates with the same scopes and validity length, stores, activates, revokes the old one, and clears the journal', async () => {
    const { state, ports } = world();
    const outcome = await rotate(OLD, { makeActive: true, now: NOW }, ports);
    expect(outcome).toEqual({ state: 'rotated', newId: 'dt0c01.NEW' });
    expect(state.calls).toEqual(['create staging reader (rotated 2026-12-02) metrics.read+entities.read 90', 'store', 'activate', 'revoke']);
    expect(state.stored).toEqual(new Set(['dt0c01.NEW']));
    expect(state.server).toEqual(new Set(['dt0c01.NEW']));
    expect(state.active).toBe('dt0c01.NEW');
    expect(state.journal).toBeNull();
    expect(state.journalWrites.map((j) => j?.step ?? null)).toEqual(['creating', 'storing', 'activating', 'revoking', null]);
    nothingLost(state, outcome);
  });

  it('does not make the new token active when the old one was not', async () => {
    const { state, ports } = world();
    state.active = 'dt0c01.OTHER';
    await rotate(OLD, { makeActive: false, now: NOW }, ports);
    expect(state.calls).not.toContain('activate');
    expect(state.active).toBe('dt0c01.OTHER');
  });

  it.each<[Step, number | undefined, string]>([
    ['journal', 1, 'create-failed'],
    ['create', undefined, 'create-failed'],
    ['journal', 2, 'store-failed'],
    ['store', undefined, 'store-failed'],
    ['journal', 3, 'activate-failed'],
    ['activate', undefined, 'activate-failed'],
    ['journal', 4, 'revoke-failed'],
    ['revoke', undefined, 'revoke-failed'],
  ])('a fault at %s (journal write %s) ends in %s, a state the UI can explain, with nothing lost', async (step, nth, expected) => {
    const { state, ports } = world({ step, ...(nth === undefined ? {} : { nth }) });
    const outcome = await rotate(OLD, { makeActive: true, now: NOW }, ports);
    expect(outcome.state).toBe(expected);
    nothingLost(state, outcome);
    // The old token keeps working in every failed outcome: stored here and on the server.
    expect(state.stored.has(OLD.id)).toBe(true);
    expect(state.server.has(OLD.id)).toBe(true);
    if (expected === 'create-failed') {
      expect(state.server).toEqual(new Set([OLD.id]));
      expect(state.active).toBe(OLD.id);
      expect(state.journal).toBeNull();
    }
    if (expected === 'store-failed') {
      expect(outcome).toMatchObject({ newId: 'dt0c01.NEW', secret: SECRET });
      expect(state.active).toBe(OLD.id);
    }
    if (expected === 'activate-failed' || expected === 'revoke-failed') {
      // Both stored; the journal marks the old one "rotated, not yet revoked" so "Revoke" can finish it.
      expect(state.stored).toEqual(new Set([OLD.id, 'dt0c01.NEW']));
      if (step !== 'journal') expect(state.journal).toMatchObject({ oldId: OLD.id, newId: 'dt0c01.NEW', step: 'revoking' });
    }
  });

  it('finishes a rotation whose revoke failed once the fault is cleared ("Revoke")', async () => {
    const broken = world({ step: 'revoke' });
    await rotate(OLD, { makeActive: true, now: NOW }, broken.ports);
    const pending = broken.state.journal!;
    const fixed = world();
    fixed.state.stored = broken.state.stored;
    fixed.state.server = broken.state.server;
    const outcome = await continueRotation(pending, fixed.ports);
    expect(outcome).toEqual({ state: 'rotated', newId: 'dt0c01.NEW' });
    expect(fixed.state.stored).toEqual(new Set(['dt0c01.NEW']));
    expect(fixed.state.journal).toBeNull();
  });
});

describe('recoverRotation (a crash between steps)', () => {
  const entry = (step: RotationJournal['step'], newId: string | null = 'dt0c01.NEW'): RotationJournal => ({
    oldId: OLD.id, oldLabel: OLD.label, newName: 'x (rotated 2026-12-02)', newId, step, makeActive: true, startedAt: NOW,
  });
  it.each<[RotationJournal, string[], string]>([
    [entry('creating', null), [OLD.id], 'create-unknown'],
    [entry('storing'), [OLD.id], 'secret-lost'],
    [entry('storing'), [OLD.id, 'dt0c01.NEW'], 'resume'],
    [entry('activating'), [OLD.id, 'dt0c01.NEW'], 'resume'],
    [entry('revoking'), [OLD.id, 'dt0c01.NEW'], 'resume'],
    [entry('revoking'), ['dt0c01.NEW'], 'complete'],
  ])('journal %o with stored %j: %s', (journal, stored, state) => {
    expect(recoverRotation(journal, new Set(stored)).state).toBe(state);
  });

  it('resumes a stored-but-not-activated rotation at the activation', async () => {
    const { state, ports } = world();
    state.stored.add('dt0c01.NEW');
    const recovery = recoverRotation(entry('storing'), state.stored);
    expect(recovery.state).toBe('resume');
    expect(await continueRotation(recovery.entry, ports)).toEqual({ state: 'rotated', newId: 'dt0c01.NEW' });
    expect(state.calls).toEqual(['activate', 'revoke']);
  });
});

describe('names and lengths', () => {
  it('keeps the validity length in days, at least one, and no expiry for a token that never expires', () => {
    expect(validityDays({ expiresAt: null, createdAt: NOW })).toBeNull();
    expect(validityDays({ expiresAt: NOW + 30 * DAY, createdAt: NOW })).toBe(30);
    expect(validityDays({ expiresAt: NOW + 1000, createdAt: NOW })).toBe(1);
  });
  it('names the new token with the date, without stacking dates on a second rotation', () => {
    expect(rotatedName('reader', NOW)).toBe('reader (rotated 2026-12-02)');
    expect(rotatedName('reader (rotated 2026-01-05)', NOW)).toBe('reader (rotated 2026-12-02)');
  });
});

describe('compareSlots', () => {
  it('counts the server\'s slots, what is stored here, what is not, and what is gone from the server', async () => {
    const { compareSlots, ownerSelector } = await import('../../../lib/tokens/slots');
    const t = (id: string) => ({ id, name: id, expiresAt: null, lastUsedAt: null });
    const c = compareSlots([t('a'), t('b'), t('c')], ['a', 'z']);
    expect(c).toMatchObject({ used: 3, limit: 5, storedHere: 1, goneFromServer: ['z'] });
    expect(c.notStored.map((x) => x.id)).toEqual(['b', 'c']);
    expect(ownerSelector('a"b~c@x')).toBe('owner("a~"b~~c@x"),personalAccessToken(true)');
  });
});
