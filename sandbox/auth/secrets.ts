import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const TOKEN_PATTERN = /^(dt0c01)\.([A-Z0-9]{24})\.([A-Z0-9]{64})$/;

/** `n` characters of [A-Z0-9] from the CSPRNG, by rejection sampling (no modulo bias). */
function randomChars(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const byte of randomBytes(n * 2)) {
      if (byte < 252) out += ALPHABET[byte % 36];
      if (out.length === n) break;
    }
  }
  return out;
}

export interface MintedSecret { id: string; token: string; digest: Buffer }

/** A new `dt0c01.<24>.<64>` token; only its id and SHA-256 digest are ever stored. */
export function newTokenSecret(): MintedSecret {
  const id = `dt0c01.${randomChars(24)}`;
  const token = `${id}.${randomChars(64)}`;
  return { id, token, digest: digestOf(token) };
}

export function digestOf(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Splits a presented token; `null` when it is not well-formed. */
export function splitToken(token: string): { id: string } | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { id: `${m[1]}.${m[2]}` } : null;
}

export function digestMatches(token: string, stored: Buffer): boolean {
  const presented = digestOf(token);
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
