import { storage } from 'wxt/utils/storage';

export interface TokenZones {
  zones: string[];
  /** True when inspection showed the token is not restricted to zones. */
  allZones: boolean;
  checkedAt: number;
}

/**
 * `local:tokenInsights` — per token id, the management zones the dashboard saw it reach. Not secret.
 * Cleared with "Forget all"; entries of removed tokens are harmless and pruned on the next inspection.
 */
export const tokenInsightsItem = storage.defineItem<Record<string, TokenZones>>('local:tokenInsights', {
  fallback: {},
  version: 1,
});
