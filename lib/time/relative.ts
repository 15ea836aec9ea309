/**
 * Times as people scan them: "3 h ago", "in 5 days", with the absolute time beside it for whoever needs it (the UI
 * shows it on hover and focus). Pure, with the clock passed in, so lists and tests agree on one `now`.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const absoluteFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** The absolute time, e.g. "Dec 2, 2026, 6:15 AM". */
export function absoluteTime(at: number): string {
  return absoluteFormat.format(at);
}

function amount(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / MINUTE))} min`;
  if (ms < DAY) return `${Math.round(ms / HOUR)} h`;
  const days = Math.round(ms / DAY);
  if (days < 60) return days === 1 ? '1 day' : `${days} days`;
  const months = Math.round(days / 30);
  if (months < 24) return `${months} months`;
  return `${Math.round(days / 365)} years`;
}

/** "just now", "3 h ago", "in 5 days": a past or future time relative to `now`. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < MINUTE) return 'just now';
  return delta < 0 ? `${amount(-delta)} ago` : `in ${amount(delta)}`;
}
