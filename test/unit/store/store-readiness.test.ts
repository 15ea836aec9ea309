import { describe, expect, it } from 'vitest';
import { encodePng, drawIcon } from '../../../scripts/make-icons';
import { checkChromeZip, pngSize, type StoreProblem } from '../../../scripts/store/chrome';
import { unexplainedWarnings, type LintMessage, type LintReport } from '../../../scripts/store/firefox';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const icon = (size: number, drawnAt = size): Uint8Array => encodePng(drawnAt, drawnAt, drawIcon(drawnAt));

/** A Chrome zip's files as the production build makes them, small. */
function goodZip(): Map<string, Uint8Array> {
  const manifest = {
    manifest_version: 3, name: 'Tokenscope', version: '0.1.0', description: 'Dynatrace personal access tokens.',
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    permissions: ['storage', 'alarms'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['https://*/*'],
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
    commands: { 'cycle-token': { description: 'Switch' } },
    background: { service_worker: 'background.js' },
    action: { default_popup: 'popup.html' },
  };
  return new Map<string, Uint8Array>([
    ['manifest.json', bytes(JSON.stringify(manifest))],
    ['background.js', bytes('r.alarms.create(`lock`,{});r.commands?.onCommand.addListener(()=>{});')],
    ['chunks/popup-abc.js', bytes('await e.storage.local.get(null);t.permissions.request({origins:[o]});')],
    ['popup.html', bytes('<html><head><script type="module" crossorigin src="/chunks/popup-abc.js"></script></head></html>')],
    ...[16, 32, 48, 128].map((s) => [`icon/${s}.png`, icon(s)] as [string, Uint8Array]),
  ]);
}

function withManifest(change: (m: Record<string, unknown>) => void): Map<string, Uint8Array> {
  const files = goodZip();
  const m = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as Record<string, unknown>;
  change(m);
  files.set('manifest.json', bytes(JSON.stringify(m)));
  return files;
}

const messages = (problems: StoreProblem[]): string[] => problems.map((p) => `[${p.rule}] ${p.message}`);

describe('the Chrome Web Store check', () => {
  it('passes a zip the store takes', () => {
    expect(checkChromeZip(goodZip())).toEqual([]);
  });

  it.each([
    ['an unused permission', withManifest((m) => { m.permissions = ['storage', 'alarms', 'notifications']; }), /\[permissions\] "notifications" is declared .* never uses it/],
    ['a permission it cannot judge', withManifest((m) => { m.permissions = ['storage', 'alarms', 'debugger']; }), /\[permissions\] "debugger" has no usage rule/],
    ['the e2e build (tenant hosts required)', withManifest((m) => { m.host_permissions = ['http://127.0.0.1/*', 'https://*/*']; }), /\[permissions\] https:\/\/\*\/\* is a required host/],
    ['a missing 32 px icon', withManifest((m) => { m.icons = { 16: 'icon/16.png', 48: 'icon/48.png', 128: 'icon/128.png' }; }), /\[icons\] no 32 px icon/],
    ['a remote script source in the CSP', withManifest((m) => { m.content_security_policy = { extension_pages: "script-src 'self' https://cdn.example.com; object-src 'self'" }; }), /\[remote-code\] CSP script-src allows https:\/\/cdn\.example\.com/],
    ['a "key" field', withManifest((m) => { m.key = 'MIIB'; }), /\[manifest\] "key" must not be/],
    ['a description over 132 characters', withManifest((m) => { m.description = 'x'.repeat(133); }), /\[listing\] description must have 1 to 132 characters \(has 133\)/],
    ['MV2', withManifest((m) => { m.manifest_version = 2; }), /\[manifest\] manifest_version is 2/],
  ])('refuses %s', (_what, files, expected) => {
    expect(messages(checkChromeZip(files))).toEqual([expect.stringMatching(expected)]);
  });

  it('refuses an icon whose pixels are not the size it is declared as, or that is not a PNG', () => {
    const files = goodZip();
    files.set('icon/48.png', icon(48, 32));
    files.set('icon/16.png', bytes('GIF89a'));
    expect(messages(checkChromeZip(files))).toEqual([
      '[icons] icon icon/16.png is not a PNG',
      '[icons] icon icon/48.png is 32x32, declared as 48x48',
    ]);
  });

  it('refuses remote code: a remote or inline <script>, eval, new Function, import() of a URL', () => {
    const files = goodZip();
    files.set('dashboard.html', bytes('<script src="https://cdn.example.com/x.js"></script><script>alert(1)</script>'));
    files.set('chunks/a.js', bytes('const f=new Function("return 1");eval(s);await import("https://cdn.example.com/m.js");'));
    expect(messages(checkChromeZip(files))).toEqual([
      '[remote-code] dashboard.html: remote <script src="https://cdn.example.com/x.js">',
      '[remote-code] dashboard.html: inline <script> (MV3 runs only packaged files)',
      '[remote-code] chunks/a.js: eval()',
      '[remote-code] chunks/a.js: new Function()',
      '[remote-code] chunks/a.js: import() of a URL',
    ]);
  });

  it('refuses file names Chrome reserves (a leading underscore), but not _locales', () => {
    const files = goodZip();
    files.set('chunks/_plugin-vue_export-helper-x.js', bytes(''));
    files.set('_locales/en/messages.json', bytes('{}'));
    expect(messages(checkChromeZip(files))).toEqual([expect.stringMatching(/\[files\] chunks\/_plugin-vue_export-helper-x\.js: names starting with "_" are reserved/)]);
  });

  it('reads PNG sizes from the header of the committed drawing', () => {
    expect(pngSize(icon(128))).toEqual({ width: 128, height: 128 });
  });
});

describe("the add-on linter's explained warnings", () => {
  const report = (warnings: LintMessage[]): LintReport => ({ summary: { errors: 0, warnings: warnings.length, notices: 0 }, errors: [], warnings, notices: [] });
  const vueRuntime = 'x;insertStaticContent(e,t,n,r,i,a){let o=n?n.previousSibling:t.lastChild;if(i){}else{_a.innerHTML=pa(e);let i=_a.content}}';
  const column = vueRuntime.indexOf('_a.innerHTML');

  it("waves through innerHTML in Vue's static-content insertion only", () => {
    const files = new Map([['chunks/theme-x.js', bytes(vueRuntime)], ['chunks/ours.js', bytes('function show(m){el.innerHTML=m.text}')]]);
    const vue: LintMessage = { code: 'UNSAFE_VAR_ASSIGNMENT', message: 'Unsafe assignment to innerHTML', file: 'chunks/theme-x.js', line: 1, column };
    const ours: LintMessage = { code: 'UNSAFE_VAR_ASSIGNMENT', message: 'Unsafe assignment to innerHTML', file: 'chunks/ours.js', line: 1, column: 20 };
    expect(unexplainedWarnings(report([vue, ours]), files)).toEqual([ours]);
  });

  it('keeps any other warning', () => {
    const other: LintMessage = { code: 'MANIFEST_PERMISSIONS', message: 'Unknown permission', file: 'manifest.json' };
    expect(unexplainedWarnings(report([other]), new Map())).toEqual([other]);
  });
});
