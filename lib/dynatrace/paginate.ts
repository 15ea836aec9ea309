/**
 * Cursor paging over `nextPageKey` (docs/dynatrace-api-notes.md §0.2).
 *
 * Follow-up pages send only the key (the caller's `fetchPage` decides what accompanies it; Problems repeats
 * `fields`). Paging stops on a `null`/absent key, and fails with `bad-response` when the server repeats a key
 * (it would loop forever) or when the page cap is reached (a runaway result the UI cannot show anyway).
 * The string `"null"` is a key like any other: only a real `null` ends the list.
 */
import { toApiError } from './errors';
import type { Paged } from './types';

/** Default maximum number of pages one paging run fetches. */
export const DEFAULT_MAX_PAGES = 100;

export interface PaginateOptions {
  /** Pages fetched at most before failing with `bad-response`/`page-cap` (default 100). */
  maxPages?: number;
  /** Stops between pages; the page requests should receive it too. */
  signal?: AbortSignal;
  /** For error reports: the list endpoint's path (e.g. `/api/v2/entities`). */
  path?: string;
}

/**
 * Yields every page of a paged list. `fetchPage(undefined)` fetches the first page with the caller's
 * parameters, `fetchPage(key)` a follow-up page.
 */
export async function* paginate<P extends Paged>(
  fetchPage: (nextPageKey: string | undefined) => Promise<P>,
  options: PaginateOptions = {},
): AsyncGenerator<P, void, undefined> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const context = { method: 'GET', path: options.path ?? '(paged list)' };
  const seen = new Set<string>();
  let key: string | undefined;
  for (let pages = 0; ; pages += 1) {
    if (options.signal?.aborted) throw toApiError({ type: 'aborted' }, context);
    if (pages >= maxPages) {
      throw toApiError({ type: 'bad-response', reason: 'page-cap', detail: `more than ${maxPages} pages` }, context);
    }
    const page = await fetchPage(key);
    yield page;
    const next = page.nextPageKey;
    if (next === null || next === undefined) return;
    if (seen.has(next) || next === key) {
      throw toApiError({ type: 'bad-response', reason: 'repeated-page-key', detail: 'the server repeated a nextPageKey' }, context);
    }
    seen.add(next);
    key = next;
  }
}

/** Flattens {@link paginate}'s pages into their items. */
export async function* paginateItems<P extends Paged, I>(
  fetchPage: (nextPageKey: string | undefined) => Promise<P>,
  itemsOf: (page: P) => readonly I[] | undefined,
  options: PaginateOptions = {},
): AsyncGenerator<I, void, undefined> {
  for await (const page of paginate(fetchPage, options)) {
    yield* itemsOf(page) ?? [];
  }
}
