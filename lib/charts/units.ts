/**
 * Values formatted the way Dynatrace shows them: time units scaled to the largest unit that keeps the
 * number at or above 1 (850 µs, 230 ms, 1.23 s), bytes in binary units (KiB, MiB) unless the metric
 * asks for decimal, counts compacted (1.2 k, 3.4 M), percentages with a space before the sign.
 */

const TIME_UNITS: Record<string, number> = { NanoSecond: 1e-3, MicroSecond: 1, MilliSecond: 1e3, Second: 1e6, Minute: 6e7, Hour: 3.6e9, Day: 8.64e10 };
const TIME_STEPS: [number, string][] = [[8.64e10, 'd'], [3.6e9, 'h'], [6e7, 'min'], [1e6, 's'], [1e3, 'ms'], [1, 'µs'], [1e-3, 'ns']];
const BYTE_UNITS: Record<string, number> = { Byte: 1, KiloByte: 1e3, MegaByte: 1e6, GigaByte: 1e9, KibiByte: 1024, MebiByte: 1024 ** 2, GibiByte: 1024 ** 3 };
const PER: Record<string, string> = { PerSecond: '/s', PerMinute: '/min', PerHour: '/h', BytePerSecond: 'B/s', BytePerMinute: 'B/min' };

function trim(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const fixed = abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : abs >= 1 ? n.toFixed(2) : n.toPrecision(digits);
  return fixed.includes('.') && !fixed.includes('e') ? withoutTrailingZeros(fixed) : fixed;
}

/** `1.50` → `1.5`, `2.00` → `2`: trailing zeros of a fixed-point string, and the point if nothing follows it. */
function withoutTrailingZeros(fixed: string): string {
  let end = fixed.length;
  while (fixed[end - 1] === '0') end--;
  if (fixed[end - 1] === '.') end--;
  return fixed.slice(0, end);
}

function scale(value: number, steps: [number, string][]): string {
  const abs = Math.abs(value);
  for (const [factor, label] of steps) if (abs >= factor) return `${trim(value / factor)} ${label}`;
  const last = steps[steps.length - 1]!;
  return `${trim(value / last[0])} ${last[1]}`;
}

export type UnitDisplayFormat = 'binary' | 'decimal';

/** Formats one value of a metric with Dynatrace unit `unit`; `null` (an empty slot) becomes "–". */
export function formatMetricValue(value: number | null | undefined, unit: string | undefined, display: UnitDisplayFormat = 'binary'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value === 0) return unit === 'Percent' ? '0 %' : '0';
  if (unit && unit in TIME_UNITS) return scale(value * TIME_UNITS[unit]!, TIME_STEPS);
  if (unit && unit in BYTE_UNITS) {
    const bytes = value * BYTE_UNITS[unit]!;
    return display === 'decimal'
      ? scale(bytes, [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB'], [1, 'B']])
      : scale(bytes, [[1024 ** 4, 'TiB'], [1024 ** 3, 'GiB'], [1024 ** 2, 'MiB'], [1024, 'KiB'], [1, 'B']]);
  }
  if (unit === 'Percent') return `${trim(value)} %`;
  if (unit === 'Ratio') return trim(value);
  if (unit && unit in PER) return `${compact(value)} ${PER[unit]}`;
  if (unit === 'Count' || unit === 'Unspecified' || unit === undefined) return compact(value);
  return `${compact(value)} ${unit}`;
}

function compact(value: number): string {
  return scale(value, [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, '']]).trimEnd();
}

/** A short label for an axis: the unit's symbol. */
export function unitSymbol(unit: string | undefined): string {
  if (!unit) return '';
  if (unit === 'Percent') return '%';
  if (unit in TIME_UNITS) return { NanoSecond: 'ns', MicroSecond: 'µs', MilliSecond: 'ms', Second: 's', Minute: 'min', Hour: 'h', Day: 'd' }[unit] ?? unit;
  if (unit in PER) return PER[unit]!;
  if (unit === 'Count' || unit === 'Unspecified') return '';
  return unit;
}
