/**
 * WebCrypto primitives of the vault. Nothing here touches storage: `vault.ts` decides where the results live.
 *
 * - Key derivation: PBKDF2-HMAC-SHA-256, at least {@link MIN_KDF_ITERATIONS} iterations, 16-byte random salt
 *   (OWASP Password Storage Cheat Sheet; Bitwarden's default).
 * - Encryption: AES-256-GCM with a fresh random 12-byte IV for every write and associated data naming what the
 *   plaintext is, so a ciphertext copied to another record fails authentication instead of decrypting.
 * - The derived key is extractable only so that its raw bytes can be parked in `storage.session` (see vault.ts);
 *   keys imported from there for use are not extractable.
 */

/** The iteration count used for new vaults and the lowest one an existing vault header may name. */
export const MIN_KDF_ITERATIONS = 600_000;
/**
 * The most iterations an unlock agrees to run. Tokenscope writes {@link MIN_KDF_ITERATIONS}; the cap leaves room
 * for a later increase while a crafted vault header cannot make unlocking run for minutes.
 */
export const MAX_KDF_ITERATIONS = 5_000_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;

/** AES-GCM output: IV and ciphertext (with its 16-byte tag), both base64. JSON-safe for extension storage. */
export interface SealedBox {
  iv: string;
  data: string;
}

export function isSealedBox(value: unknown): value is SealedBox {
  if (value === null || typeof value !== 'object') return false;
  const box = value as Record<string, unknown>;
  return typeof box.iv === 'string' && typeof box.data === 'string';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Standard base64 of bytes (no line breaks). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes of a base64 string; throws a `TypeError` on anything else. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError('Not base64.');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/**
 * Derives the AES-256-GCM vault key from a passphrase. The passphrase is NFC-normalised so the same characters
 * typed on another keyboard layout or OS give the same key.
 */
export async function deriveVaultKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  if (!Number.isInteger(iterations) || iterations < MIN_KDF_ITERATIONS) {
    throw new RangeError(`PBKDF2 needs at least ${MIN_KDF_ITERATIONS} iterations.`);
  }
  if (salt.length !== SALT_BYTES) throw new RangeError(`The salt must be ${SALT_BYTES} bytes.`);
  const material = await crypto.subtle.importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    true,
    ['encrypt', 'decrypt'],
  );
}

/** Raw key bytes as base64 (what `storage.session` holds while the vault is unlocked). */
export async function exportRawKey(key: CryptoKey): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('raw', key)));
}

/** A non-extractable AES-GCM key from base64 raw bytes; throws on anything but 32 bytes. */
export async function importRawKey(raw: string): Promise<CryptoKey> {
  const bytes = fromBase64(raw);
  if (bytes.length !== 32) throw new RangeError('A vault key is 32 bytes.');
  return crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** Encrypts `plaintext` with a fresh IV; `context` is authenticated but not stored. */
export async function seal(key: CryptoKey, plaintext: string, context: string): Promise<SealedBox> {
  const iv = randomBytes(IV_BYTES);
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context), tagLength: 128 },
    key,
    encoder.encode(plaintext),
  );
  return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

/** Decrypts a {@link SealedBox}; rejects (DOMException `OperationError`) on a wrong key or context. */
export async function open(key: CryptoKey, box: SealedBox, context: string): Promise<string> {
  const iv = fromBase64(box.iv);
  if (iv.length !== IV_BYTES) throw new RangeError(`The IV must be ${IV_BYTES} bytes.`);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context), tagLength: 128 },
    key,
    fromBase64(box.data),
  );
  return decoder.decode(plain);
}
