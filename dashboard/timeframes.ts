/** Timeframe presets of the query panels, as Dynatrace relative times. */
export const TIMEFRAME_PRESETS = [
  { id: '30m', label: 'Last 30 minutes', from: 'now-30m' },
  { id: '2h', label: 'Last 2 hours', from: 'now-2h' },
  { id: '6h', label: 'Last 6 hours', from: 'now-6h' },
  { id: '24h', label: 'Last 24 hours', from: 'now-24h' },
  { id: '7d', label: 'Last 7 days', from: 'now-7d' },
  { id: '30d', label: 'Last 30 days', from: 'now-30d' },
] as const;

export const RESOLUTIONS = [
  { id: '', label: 'Auto (120 points)' },
  { id: '1m', label: '1 minute' },
  { id: '5m', label: '5 minutes' },
  { id: '1h', label: '1 hour' },
  { id: '1d', label: '1 day' },
  { id: 'Inf', label: 'One value (Inf)' },
] as const;

export function presetFrom(id: string): string | undefined {
  return TIMEFRAME_PRESETS.find((p) => p.id === id)?.from;
}

/** `datetime-local` value (local time) to ISO, for a custom range. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
