/**
 * Writing several `local` items at once, and the token list's read-modify-write. Apart from `./storage.ts` (the
 * declarations every page needs) because only writers use them, and writers load on use.
 */
import { browser } from 'wxt/browser';
import { hasCrossPageLocks } from './locks';
import {
  areaKey, readTokenList, secretsItem, settingsItem, StorageMigrationError, tokenInsightsItem, tokensItem, tokensRevisionItem,
  TOKENS_VERSION, vaultHeaderItem, type LocalItem, type StoredToken,
} from './storage';

/** Refuses to write over a token list whose migration failed (WXT keeps the old value and version then). */
export async function assertTokensMigrated(): Promise<void> {
  const value = await tokensItem.getValue();
  const meta: { v?: unknown } = await tokensItem.getMeta();
  const version = typeof meta.v === 'number' ? meta.v : undefined;
  // No value yet: the first write sets the version.
  const empty = value === null || (Array.isArray(value) && value.length === 0 && version === undefined);
  if (!empty && version !== TOKENS_VERSION) throw new StorageMigrationError(tokensItem.key, version);
}

/** Versions written alongside values, so the next start does not run migrations over current data. */
const ITEM_VERSIONS = new Map<string, number>([
  [tokensItem.key, TOKENS_VERSION],
  [secretsItem.key, 1],
  [vaultHeaderItem.key, 1],
  [settingsItem.key, 1],
  [tokenInsightsItem.key, 1],
]);

/**
 * Writes several `local:` items in one `storage.local.set` call: all of them land or none do. Versioned items get
 * their version metadata in the same call (WXT's own `setValue` would do that in a second write).
 */
export async function writeLocal(entries: ReadonlyArray<readonly [LocalItem, unknown]>): Promise<void> {
  const batch: Record<string, unknown> = {};
  for (const [item, value] of entries) {
    if (!item.key.startsWith('local:')) throw new TypeError(`writeLocal only writes local items, not ${item.key}.`);
    batch[areaKey(item)] = value;
    const version = ITEM_VERSIONS.get(item.key);
    if (version !== undefined) batch[`${areaKey(item)}$`] = { v: version };
  }
  await browser.storage.local.set(batch);
}

/**
 * Read-modify-write of the token list (and, in the same write, anything else `change` returns). Call inside
 * `withStorageLock`. Without Web Locks, the revision is checked again just before writing and the whole cycle is
 * retried if another page wrote in between.
 */
export async function updateTokenList(
  change: (tokens: StoredToken[]) => Promise<{ tokens: StoredToken[]; also?: ReadonlyArray<readonly [LocalItem, unknown]> }>,
  attempts = 8,
): Promise<StoredToken[]> {
  await assertTokensMigrated();
  for (let attempt = 1; ; attempt += 1) {
    const revision = await tokensRevisionItem.getValue();
    const current = await readTokenList();
    const next = await change(current);
    if (!hasCrossPageLocks() && (await tokensRevisionItem.getValue()) !== revision) {
      if (attempt >= attempts) throw new Error('The token list kept changing while saving; try again.');
      continue;
    }
    await writeLocal([[tokensItem, next.tokens], [tokensRevisionItem, revision + 1], ...(next.also ?? [])]);
    return next.tokens;
  }
}

