/** The last-used address of a token, check after check. */

/**
 * What a fresh lookup's last-used address means: a change from the address seen at the previous check (not the
 * first sighting, not an unchanged one) is a new address to show until acknowledged; an earlier unacknowledged one
 * stays. Returns the fields to store.
 */
export function addressSeen(
  before: { lastUsedIp?: string | null; newAddress?: { ip: string; at: number } | null },
  ip: string | null | undefined,
  usedAt: number | null,
  now: number,
): { lastUsedIp: string | null; newAddress: { ip: string; at: number } | null } {
  const seen = ip ?? null;
  const previous = before.lastUsedIp ?? null;
  const changed = seen !== null && previous !== null && seen !== previous;
  return { lastUsedIp: seen ?? previous, newAddress: changed ? { ip: seen, at: usedAt ?? now } : before.newAddress ?? null };
}
