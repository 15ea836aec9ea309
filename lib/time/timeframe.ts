/**
 * Dynatrace timeframe values (docs/dynatrace-api-notes.md §0.2): epoch milliseconds, ISO-like dates (zone optional,
 * UTC assumed; a space may replace `T`; seconds and fractions optional) and relative `now-2h`, `now+14d`,
 * `now-1d/d` (aligned down to the unit). Shared by the sandbox (evaluation) and the dashboard (validation).
 */

export type TimeParseResult = { ok: true; value: number } | { ok: false; error: string };

/** Milliseconds of the fixed-length time units. */
export const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type FixedUnit = keyof typeof UNIT_MS;
type RelUnit = FixedUnit | 'M' | 'y' | 'q';

const RELATIVE = /^now(?:([+-])(\d{1,9})([smhdwMqy]))?(?:\/([smhdwMqy]))?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function addCalendar(ms: number, unit: RelUnit, amount: number): number {
  if (unit === 'M' || unit === 'q' || unit === 'y') {
    const d = new Date(ms);
    const months = unit === 'M' ? amount : unit === 'q' ? amount * 3 : amount * 12;
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.getTime();
  }
  return ms + amount * UNIT_MS[unit];
}

function alignDown(ms: number, unit: RelUnit): number {
  const d = new Date(ms);
  switch (unit) {
    case 's': case 'm': case 'h': case 'd':
      return ms - (ms % UNIT_MS[unit]);
    case 'w': {
      // ISO weeks start on Monday.
      const day = Math.floor(ms / UNIT_MS.d) * UNIT_MS.d;
      const weekday = (new Date(day).getUTCDay() + 6) % 7;
      return day - weekday * UNIT_MS.d;
    }
    case 'M': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'q': return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
    case 'y': return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
}

/** Parses one timeframe value relative to `now` (epoch ms). */
export function parseTimeValue(input: string, now: number): TimeParseResult {
  const value = input.trim();
  if (value === '') return { ok: false, error: 'empty time value' };
  if (/^\d{1,16}$/.test(value)) return { ok: true, value: Number(value) };
  const rel = RELATIVE.exec(value);
  if (rel) {
    const [, sign, amount, unit, align] = rel;
    let t = now;
    if (sign && amount && unit) t = addCalendar(t, unit as RelUnit, (sign === '-' ? -1 : 1) * Number(amount));
    if (align) t = alignDown(t, align as RelUnit);
    return { ok: true, value: t };
  }
  const iso = ISO.exec(value);
  if (iso) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = iso;
    const ms = Number((frac + '000').slice(0, 3));
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    const check = new Date(t);
    if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
      return { ok: false, error: `"${value}" is not a valid date` };
    }
    if (zone && zone !== 'Z') {
      const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
      if (!zm) return { ok: false, error: `"${value}" has an invalid time zone` };
      const offset = (Number(zm[2]) * 60 + Number(zm[3])) * 60_000;
      t -= (zm[1] === '-' ? -1 : 1) * offset;
    }
    return { ok: true, value: t };
  }
  return { ok: false, error: `"${value}" is not a timestamp in milliseconds, an ISO date or a relative time like now-2h` };
}

export interface Timeframe { from: number; to: number }

/**
 * Resolves `from`/`to` with defaults; an inverted or empty range is an error (the real API answers 400).
 */
export function resolveTimeframe(
  from: string | undefined, to: string | undefined, now: number, defaultFrom: string,
): { ok: true; value: Timeframe } | { ok: false; error: string; parameter: 'from' | 'to' } {
  const f = parseTimeValue(from ?? defaultFrom, now);
  if (!f.ok) return { ok: false, error: f.error, parameter: 'from' };
  const t = to === undefined ? { ok: true as const, value: now } : parseTimeValue(to, now);
  if (!t.ok) return { ok: false, error: t.error, parameter: 'to' };
  if (f.value >= t.value) return { ok: false, error: 'The start of the timeframe must be before its end', parameter: 'from' };
  return { ok: true, value: { from: f.value, to: t.value } };
}
