import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A well-formed `dt0c01.<24>.<64>` token made up at run time, for servers that do not check tokens (the replay). */
export function runtimeToken(): string {
  const part = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `dt0c01.${part(24)}.${part(64)}`;
}
