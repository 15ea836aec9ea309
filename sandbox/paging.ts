import { createHmac, timingSafeEqual } from 'node:crypto';
import { badParameter } from './errors';

export interface PageState {
  /** Which list this key belongs to (route). */
  route: string;
  /** The original query, normalised. */
  query: Record<string, string>;
  offset: number;
  /** The token that asked: a key replayed by another token is refused. */
  tokenId: string;
}

function b64(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

/** Opaque, signed page keys: the original query and offset, bound to the asking token. */
export function encodePageKey(secret: Buffer, state: PageState): string {
  const body = b64(JSON.stringify([state.route, state.query, state.offset, state.tokenId]));
  const mac = createHmac('sha256', secret).update(body).digest().subarray(0, 16);
  return `${body}.${b64(mac)}`;
}

export function decodePageKey(secret: Buffer, key: string, route: string, tokenId: string): PageState {
  const invalid = () => badParameter('nextPageKey', 'The nextPageKey is invalid or has expired');
  const [body, mac, extra] = key.split('.');
  if (!body || !mac || extra !== undefined || key.length > 8192) throw invalid();
  const expected = createHmac('sha256', secret).update(body).digest().subarray(0, 16);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: unknown;
  try { parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')); } catch { throw invalid(); }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid();
  const [r, query, offset, t] = parsed as [unknown, unknown, unknown, unknown];
  if (r !== route || t !== tokenId || typeof offset !== 'number' || typeof query !== 'object' || query === null) throw invalid();
  return { route, query: query as Record<string, string>, offset, tokenId };
}

/** Parses `pageSize` within documented bounds; out of range is a 400, never a silent clamp. */
export function parsePageSize(raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  if (!/^\d{1,9}$/.test(raw)) throw badParameter('pageSize', 'pageSize must be a whole number');
  const n = Number(raw);
  if (n < min || n > max) throw badParameter('pageSize', `pageSize must be between ${min} and ${max}`);
  return n;
}
