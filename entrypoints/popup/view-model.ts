/**
 * Small helpers the popup's containers share: turning store errors into what the presentational components show.
 */
import type { NoticeView } from '../../components/token-view';
import { TOKEN_COLORS } from '../../platform/storage';
import type { TokensError, TokensOperation } from '../../stores/tokens';

export function hostOf(url: string): string {
  return new URL(url).host;
}

/** The store's error, if it belongs to one of `operations`, as an inline notice. */
export function noticeOf(error: TokensError | null, ...operations: TokensOperation[]): NoticeView | null {
  if (error === null || !operations.includes(error.operation)) return null;
  return {
    message: error.message,
    ...(error.suggestion === undefined ? {} : { suggestion: error.suggestion }),
    ...(error.origin === undefined ? {} : { origin: error.origin }),
  };
}

/** The colour a new token gets by default: the next one in the palette. */
export function nextColor(tokenCount: number): string {
  return TOKEN_COLORS[tokenCount % TOKEN_COLORS.length] ?? TOKEN_COLORS[0];
}
