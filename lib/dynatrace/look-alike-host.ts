/**
 * Hosts dressed up as Dynatrace addresses. The token is sent to whatever host the user saves, so a
 * look-alike (`аbc.live.dynatrace.com` with a Cyrillic `а`, `abc.live.dynatrace.com.evil.io`,
 * `dynatrace-live.com`) should not pass silently. This is a heuristic for a warning, not a
 * security boundary: it folds internationalised labels to the Latin letters they resemble and looks
 * for Dynatrace names on domains Dynatrace does not own.
 *
 * A module of its own, apart from `parseEnvironmentUrl`: the stores and storage parse URLs on the
 * popup's first load, while only the form where a URL is typed shows the warning, so the table and
 * the Punycode decoder (about 1.4 KB gzip) load with that form.
 */
import { parseEnvironmentUrl, type EnvironmentUrlResult } from './environment-url';

/** Registrable domains of Dynatrace environments (SaaS, development, Managed cluster domains). */
const DYNATRACE_DOMAINS = ['dynatrace.com', 'dynatracelabs.com', 'dynatrace-managed.com'];

/** Second-level labels under two-letter country codes (`co.uk`, `com.au`): the registrable domain is one label longer. */
const COUNTRY_SECOND_LEVEL = ['ac', 'co', 'com', 'edu', 'gov', 'net', 'org'];

/**
 * Letters of other scripts that render like Latin ones (after diacritics are removed), from the
 * Cyrillic, Greek, Armenian and Latin-extended look-alikes most used in homograph attacks. Not the
 * full Unicode confusables table: enough to read `dynatrace`, `live`, `apps` and `com`.
 */
const CONFUSABLE: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', к: 'k', м: 'm', т: 't', н: 'h', в: 'b', г: 'r', п: 'n',
  ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', һ: 'h', ԛ: 'q', ԝ: 'w', ӏ: 'l', ѵ: 'v',
  α: 'a', ο: 'o', ρ: 'p', ι: 'i', κ: 'k', ν: 'v', τ: 't', υ: 'u', χ: 'x', γ: 'y', ε: 'e', η: 'n',
  օ: 'o', ս: 'u', հ: 'h', ո: 'n', ց: 'g',
  ı: 'i', ɑ: 'a', ɡ: 'g', ɩ: 'i', ɪ: 'i', ʏ: 'y', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ᴋ: 'k', ᴍ: 'm', ᴏ: 'o', ᴘ: 'p', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z',
};

const MARKS = /\p{M}/gu;

// ---- RFC 3492 Punycode, decoding only ---------------------------------------------------------------------------

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const MAX_INT = 0x7fffffff;
/** DNS labels have at most 63 characters; longer ones are not decoded (and decoding stays cheap). */
const MAX_LABEL = 63;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digitOf(code: number): number {
  if (code >= 48 && code <= 57) return code - 22;
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 97;
  return BASE;
}

/** The Unicode text of a Punycode string (the part after `xn--`), or null when it is not valid Punycode. */
export function decodePunycode(input: string): string | null {
  if (input.length > MAX_LABEL) return null;
  const out: number[] = [];
  const delimiter = input.lastIndexOf('-');
  for (let j = 0; j < delimiter; j++) {
    const code = input.charCodeAt(j);
    if (code >= 0x80) return null;
    out.push(code);
  }
  let n = 0x80;
  let bias = 72;
  let i = 0;
  for (let at = delimiter > 0 ? delimiter + 1 : 0; at < input.length;) {
    const before = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (at >= input.length) return null;
      const digit = digitOf(input.charCodeAt(at++));
      if (digit >= BASE || digit > Math.floor((MAX_INT - i) / w)) return null;
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) return null;
      w *= BASE - t;
    }
    const length = out.length + 1;
    bias = adapt(i - before, length, before === 0);
    n += Math.floor(i / length);
    if (n > 0x10ffff) return null;
    i %= length;
    out.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...out);
}

// ---- folding and the rules ----------------------------------------------------------------------------------------

/** A label as it is displayed: Punycode decoded (when valid). */
function displayLabel(label: string): string {
  return label.startsWith('xn--') ? (decodePunycode(label.slice(4)) ?? label) : label;
}

/** The Latin letters a label reads as: diacritics dropped, look-alike letters of other scripts replaced. */
function foldLabel(label: string): string {
  let out = '';
  for (const ch of displayLabel(label).normalize('NFD').replace(MARKS, '').toLowerCase()) out += CONFUSABLE[ch] ?? ch;
  return out;
}

function registrableDomain(labels: readonly string[]): string[] {
  const n = labels.length;
  const countrySecondLevel = n >= 3 && labels[n - 1]!.length === 2 && COUNTRY_SECOND_LEVEL.includes(labels[n - 2]!);
  return labels.slice(countrySecondLevel ? -3 : -2);
}

function hasSequence(labels: readonly string[], a: string, b: string): boolean {
  for (let i = 0; i + 1 < labels.length; i++) if (labels[i] === a && labels[i + 1] === b) return true;
  return false;
}

/** `abc.live.dynatrace.com` when the labels name an environment that way, else `dynatrace.com`. */
function imitatedAddress(labels: readonly string[]): string {
  for (let i = 1; i + 1 < labels.length; i++) {
    if ((labels[i] === 'live' || labels[i] === 'apps') && labels[i + 1] === 'dynatrace') return `${labels[i - 1]}.${labels[i]}.dynatrace.com`;
  }
  return 'dynatrace.com';
}

/**
 * A user-facing warning when `hostname` (lower case, as `URL.hostname` gives it, without a trailing
 * dot) imitates a Dynatrace address, else undefined. Two cases:
 * - an internationalised (`xn--`) host whose letters only look like a name with `dynatrace` in it;
 * - a host outside Dynatrace's domains that carries a Dynatrace domain in its labels
 *   (`abc.live.dynatrace.com.evil.io`) or `dynatrace` in its own registrable domain
 *   (`dynatrace-live.com`, `dynatrace.co.uk`).
 * A company host that merely has `dynatrace` in a subdomain (`dynatrace.example.com`) is not warned about.
 */
export function lookAlikeWarning(hostname: string): string | undefined {
  const labels = hostname.split('.');
  const folded = labels.map(foldLabel);
  if (!folded.some((l) => l.includes('dynatrace'))) return undefined;
  if (labels.some((l) => l.startsWith('xn--'))) {
    const shown = labels.map(displayLabel).join('.');
    const reads = folded.join('.');
    return `The host ${hostname} (${shown}) is written with letters that only look like ${reads}: it is a different host. `
      + 'Check the URL before you save a token for it.';
  }
  const owner = registrableDomain(labels);
  if (DYNATRACE_DOMAINS.includes(owner.join('.'))) return undefined;
  const dressed = hasSequence(labels, 'dynatrace', 'com') || hasSequence(labels, 'live', 'dynatrace') || hasSequence(labels, 'apps', 'dynatrace')
    || labels.includes('dynatracelabs') || labels.includes('dynatrace-managed');
  if (!dressed && !owner[0]!.includes('dynatrace')) return undefined;
  return `${hostname} is not a Dynatrace address: it belongs to ${owner.join('.')}, though it looks like ${imitatedAddress(labels)}. `
    + 'Check the URL before you save a token for it.';
}

/**
 * `parseEnvironmentUrl`, plus `value.warning` when the host imitates a Dynatrace address (see
 * {@link lookAlikeWarning}). For the place where a user types or pastes a URL.
 */
export function checkEnvironmentUrl(input: string): EnvironmentUrlResult {
  const result = parseEnvironmentUrl(input);
  if (!result.ok || result.value.kind === 'loopback') return result;
  const warning = lookAlikeWarning(new URL(result.value.origin).hostname);
  return warning === undefined ? result : { ok: true, value: { ...result.value, warning } };
}
