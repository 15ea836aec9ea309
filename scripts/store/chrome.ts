/**
 * What the Chrome Web Store refuses (or sends to a long manual review), checked on the files of the Chrome zip:
 * - the manifest: MV3, a name of at most 75 and a description of at most 132 characters, a valid version, no `key`
 *   or `update_url` (the store sets both);
 * - icons: 16, 32, 48 and 128 px PNGs, present and of the size they claim;
 * - permissions: every API permission is used by the code (an unused one is a rejection reason: "Use of
 *   Permissions"), required hosts are loopback only (tenant hosts are optional and requested at run time; the e2e
 *   build, which makes them required, must never be uploaded), optional hosts and commands are wired up;
 * - remote code (MV3 forbids it): a CSP with local sources only, no remote or inline `<script>`, no `eval`,
 *   `new Function`, `importScripts` or import of a URL in the bundles;
 * - file names: Chrome refuses to load a package with a file or folder starting with `_` (other than `_locales`).
 *
 * Pure: files in, problems out (scripts/store-check.ts reads the zip).
 */

export interface StoreProblem {
  rule: 'manifest' | 'listing' | 'icons' | 'permissions' | 'remote-code' | 'files';
  message: string;
}

export const REQUIRED_ICON_SIZES = [16, 32, 48, 128] as const;

/**
 * How the bundle uses each API permission the manifest may ask for. A permission without a rule here is reported,
 * so adding one to the manifest means adding how to see it used.
 */
const API_USAGE: Readonly<Record<string, RegExp>> = {
  storage: /\bstorage\??\.(?:local|session|sync|managed|onChanged)\b/,
  alarms: /\balarms\??\.(?:create|get|getAll|clear|clearAll|onAlarm)\b/,
  notifications: /\bnotifications\??\.(?:create|update|clear|onClicked|onButtonClicked)\b/,
  tabs: /\btabs\??\.(?:query|onUpdated|onActivated|onRemoved)\b/,
  scripting: /\bscripting\??\.(?:executeScript|insertCSS|registerContentScripts)\b/,
  clipboardWrite: /\bclipboard\??\.writeText\b|execCommand\(\s*["'`]copy/,
};

const REMOTE_CODE: readonly (readonly [RegExp, string])[] = [
  [/\beval\s*\(/, 'eval()'],
  [/\bnew\s+Function\s*\(/, 'new Function()'],
  [/\bimportScripts\s*\(/, 'importScripts()'],
  [/\bimport\s*\(\s*["'`](?:https?:)?\/\//, 'import() of a URL'],
  [/\bfrom\s*["'`](?:https?:)?\/\//, 'a static import from a URL'],
];

const LOCAL_CSP_SOURCES = new Set(["'self'", "'none'", "'wasm-unsafe-eval'"]);
const BROAD_OR_TENANT_HOST = /^(?:<all_urls>|\*:\/\/|https?:\/\/\*)/;
const LOOPBACK_HOST = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+|:\*)?\/\*$/;

const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** Width and height from a PNG's IHDR, or null if it is not a PNG. */
export function pngSize(data: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length < 24 || signature.some((b, i) => data[i] !== b)) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (text(data.subarray(12, 16)) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function checkListing(m: Record<string, unknown>, out: StoreProblem[]): void {
  const name = typeof m.name === 'string' ? m.name : '';
  if (name.length === 0 || name.length > 75) out.push({ rule: 'listing', message: `name must have 1 to 75 characters (has ${name.length})` });
  const description = typeof m.description === 'string' ? m.description : '';
  if (description.length === 0 || description.length > 132) {
    out.push({ rule: 'listing', message: `description must have 1 to 132 characters (has ${description.length})` });
  }
  const version = typeof m.version === 'string' ? m.version : '';
  const parts = version.split('.');
  const validPart = (p: string): boolean => /^(?:0|[1-9]\d{0,4})$/.test(p) && Number(p) <= 65535;
  if (parts.length > 4 || !parts.every(validPart)) out.push({ rule: 'listing', message: `version "${version}" is not 1 to 4 dot-separated integers` });
}

function checkIcons(m: Record<string, unknown>, files: ReadonlyMap<string, Uint8Array>, out: StoreProblem[]): void {
  const icons = (m.icons ?? {}) as Record<string, unknown>;
  for (const size of REQUIRED_ICON_SIZES) {
    const file = icons[String(size)];
    if (typeof file !== 'string') {
      out.push({ rule: 'icons', message: `no ${size} px icon in the manifest's "icons"` });
      continue;
    }
    const data = files.get(file.replace(/^\//, ''));
    if (data === undefined) {
      out.push({ rule: 'icons', message: `icon ${file} (${size} px) is not in the zip` });
      continue;
    }
    const dims = pngSize(data);
    if (dims === null) out.push({ rule: 'icons', message: `icon ${file} is not a PNG` });
    else if (dims.width !== size || dims.height !== size) {
      out.push({ rule: 'icons', message: `icon ${file} is ${dims.width}x${dims.height}, declared as ${size}x${size}` });
    }
  }
}

function checkPermissions(m: Record<string, unknown>, code: string, out: StoreProblem[]): void {
  const list = (key: string): string[] => (Array.isArray(m[key]) ? (m[key] as unknown[]).filter((p): p is string => typeof p === 'string') : []);
  for (const key of ['permissions', 'optional_permissions']) {
    for (const permission of list(key)) {
      if (permission.includes('://') || permission === '<all_urls>') {
        out.push({ rule: 'permissions', message: `host pattern ${permission} in "${key}": MV3 lists hosts in host_permissions` });
        continue;
      }
      const usage = API_USAGE[permission];
      if (usage === undefined) out.push({ rule: 'permissions', message: `"${permission}" has no usage rule in scripts/store/chrome.ts: add how the code uses it` });
      else if (!usage.test(code)) out.push({ rule: 'permissions', message: `"${permission}" is declared in "${key}" but the code never uses it` });
    }
  }
  for (const host of list('host_permissions')) {
    if (BROAD_OR_TENANT_HOST.test(host)) {
      out.push({ rule: 'permissions', message: `${host} is a required host: tenant hosts belong in optional_host_permissions (is this the e2e build?)` });
    } else if (!LOOPBACK_HOST.test(host)) {
      out.push({ rule: 'permissions', message: `${host} is a required host; only the loopback sandbox is granted up front` });
    }
  }
  if (list('optional_host_permissions').length > 0 && !/\bpermissions\??\.request\b/.test(code)) {
    out.push({ rule: 'permissions', message: 'optional_host_permissions are declared but permissions.request is never called' });
  }
  if (m.commands !== undefined && !/\bcommands\??\.onCommand\b/.test(code)) {
    out.push({ rule: 'permissions', message: '"commands" are declared but commands.onCommand is never listened to' });
  }
}

function checkCsp(m: Record<string, unknown>, out: StoreProblem[]): void {
  const csp = m.content_security_policy;
  if (csp === undefined) return; // Chrome's MV3 default is local-only.
  const policy = typeof csp === 'object' && csp !== null ? (csp as Record<string, unknown>).extension_pages : undefined;
  if (typeof policy !== 'string') {
    out.push({ rule: 'manifest', message: 'content_security_policy must be an object with "extension_pages" in MV3' });
    return;
  }
  for (const directive of policy.split(';').map((d) => d.trim()).filter(Boolean)) {
    const [name, ...sources] = directive.split(/\s+/);
    if (!['script-src', 'object-src', 'worker-src', 'default-src'].includes(name!)) continue;
    for (const source of sources) {
      if (!LOCAL_CSP_SOURCES.has(source)) out.push({ rule: 'remote-code', message: `CSP ${name} allows ${source}` });
    }
  }
}

function checkHtml(files: ReadonlyMap<string, Uint8Array>, out: StoreProblem[]): void {
  for (const [file, data] of files) {
    if (!file.endsWith('.html')) continue;
    for (const match of text(data).matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
      const src = /\bsrc\s*=\s*["']([^"']*)["']/i.exec(match[1]!)?.[1];
      if (src === undefined) {
        if (match[2]!.trim() !== '') out.push({ rule: 'remote-code', message: `${file}: inline <script> (MV3 runs only packaged files)` });
      } else if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src)) {
        out.push({ rule: 'remote-code', message: `${file}: remote <script src="${src}">` });
      } else if (!files.has(src.replace(/^\//, ''))) {
        out.push({ rule: 'files', message: `${file}: <script src="${src}"> is not in the zip` });
      }
    }
  }
}

/** Every problem the Chrome Web Store would have with these files (the contents of the Chrome zip). */
export function checkChromeZip(files: ReadonlyMap<string, Uint8Array>): StoreProblem[] {
  const out: StoreProblem[] = [];
  for (const file of files.keys()) {
    const reserved = file.split('/').find((segment) => segment.startsWith('_') && !(segment === '_locales' && file.startsWith('_locales/')));
    if (reserved !== undefined) out.push({ rule: 'files', message: `${file}: names starting with "_" are reserved; Chrome refuses to load the package` });
  }
  const manifestData = files.get('manifest.json');
  if (manifestData === undefined) return [...out, { rule: 'manifest', message: 'no manifest.json at the root of the zip' }];
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text(manifestData)) as Record<string, unknown>;
  } catch {
    return [...out, { rule: 'manifest', message: 'manifest.json is not valid JSON' }];
  }
  if (m.manifest_version !== 3) out.push({ rule: 'manifest', message: `manifest_version is ${String(m.manifest_version)}; the store takes MV3 only` });
  for (const key of ['key', 'update_url']) {
    if (key in m) out.push({ rule: 'manifest', message: `"${key}" must not be in an uploaded manifest (the store sets it)` });
  }
  checkListing(m, out);
  checkIcons(m, files, out);
  const scripts = [...files].filter(([f]) => /\.m?js$/.test(f));
  const code = scripts.map(([, d]) => text(d)).join('\n;\n');
  checkPermissions(m, code, out);
  checkCsp(m, out);
  checkHtml(files, out);
  for (const [file, data] of scripts) {
    const source = text(data);
    for (const [pattern, what] of REMOTE_CODE) {
      if (pattern.test(source)) out.push({ rule: 'remote-code', message: `${file}: ${what}` });
    }
  }
  return out;
}
