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

/** What a list request asks for: the original query (from the page key on follow-up pages) and the offset. */
export interface PageRequest { query: Record<string, string>; offset: number; secret: Buffer }

/**
 * Reads a cursor-paged list request. On a follow-up page only `nextPageKey` may be sent (plus
 * `alsoWithKey`, e.g. Problems' `fields`); the key restores the first page's query, and it is
 * refused when tampered with, made for another list, or replayed by another token.
 */
export function readPageRequest(
  c: { req: { query(name: string): string | undefined; queries(): Record<string, string[]> } },
  secret: Buffer, route: string, tokenId: string, params: readonly string[], alsoWithKey: readonly string[] = [],
): PageRequest {
  const key = c.req.query('nextPageKey');
  if (key !== undefined) {
    const others = Object.keys(c.req.queries()).filter((k) => k !== 'nextPageKey' && !alsoWithKey.includes(k));
    if (others.length) throw badParameter(others[0]!, `nextPageKey must be the only query parameter on follow-up pages${alsoWithKey.length ? ` (besides ${alsoWithKey.join(', ')})` : ''}`);
    const state = decodePageKey(secret, key, route, tokenId);
    return { query: state.query, offset: state.offset, secret };
  }
  const query: Record<string, string> = {};
  for (const p of params) { const v = c.req.query(p); if (v !== undefined) query[p] = v; }
  return { query, offset: 0, secret };
}

/** The key of the page after `offset + pageSize`, or null on the last page. */
export function nextPageKeyFor(req: PageRequest, route: string, tokenId: string, pageSize: number, total: number): string | null {
  const offset = req.offset + pageSize;
  return offset < total ? encodePageKey(req.secret, { route, query: req.query, offset, tokenId }) : null;
}

/**
 * `nextPageKey` as real lists carry it: only while there is a next page. The recorded last pages of tokens,
 * entities, entity types, problems and settings objects have no key at all (docs/sandbox-behaviour.md, "Real
 * answers"); the metric endpoints send `null` instead and do not use this.
 */
export function pageKeyField(next: string | null): { nextPageKey?: string } {
  return next === null ? {} : { nextPageKey: next };
}
