import path from 'node:path';
import { defineConfig } from 'wxt';
import { FIRST_LOAD_FILES } from './eslint.first-load.js';

/**
 * Loopback origins (the sandbox) are granted statically so `npm start` works out of the box;
 * tenant origins are requested at run time for the single origin a user enters.
 */
const LOOPBACK_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'];
const TENANT_HOSTS = ['https://*/*'];
// `E2E=1 wxt build` -> .output/chrome-mv3-e2e (and `-b firefox` -> firefox-mv3-e2e): permission prompts cannot be
// answered headless, so the e2e build makes the optional hosts required (docs/testing.md).
const e2e = process.env.E2E === '1';

const CSP = "script-src 'self'; object-src 'self'";

/**
 * The popup's first load (eslint.first-load.js) in one chunk with the Vue runtime, Pinia and WXT storage, whatever
 * lazily loaded parts share with it: otherwise the bundler splits the shared modules into a chunk per set of
 * importers, and each small file compresses worse (the popup grew by 3 KB gzip that way). Files of the popup app
 * itself (and its list components) stay in the popup's own chunk; the dashboard loads the shared chunk too.
 */
const POPUP_ONLY = /^(popup|entrypoints)\/|^components\/(ActionMenu|TokenList|TokenListItem|token-view)\b/;
const SHARED = new Set(FIRST_LOAD_FILES.filter((f) => !POPUP_ONLY.test(f)));
const SHARED_PACKAGES = /\/node_modules\/(@vue\/|vue\/|pinia\/|@wxt-dev\/storage\/|@wxt-dev\/browser\/|wxt\/|superlock\/)/;
function sharedChunk(id: string): string | undefined {
  // Vite's and the Vue plugin's helpers, WXT's virtual modules and the bundler's runtime go with them.
  if (SHARED_PACKAGES.test(id) || id.startsWith('\0') || /preload-helper|export-helper|virtual:wxt|rolldown[/:]runtime|components\/theme\.css/.test(id)) return 'shared';
  const rel = path.relative(import.meta.dirname, id.split('?')[0] ?? id).split(path.sep).join('/');
  return SHARED.has(rel) ? 'shared' : undefined;
}

export default defineConfig({
  modules: ['@wxt-dev/module-vue'],
  imports: false,
  // Firefox too (WXT's default there is MV2): one permission model and a non-persistent background in both
  // browsers. Why, and what it costs: docs/firefox.md.
  manifestVersion: 3,
  ...(e2e ? { outDirTemplate: '{{browser}}-mv{{manifestVersion}}-e2e' } : {}),
  vite: () => ({
    // Every component uses <script setup>: the Options API support is dead weight (1.6 KB gzip in the popup).
    define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
    // Extension pages load from disk: the module-preload polyfill buys nothing there.
    build: { modulePreload: false },
    resolve: { alias: { hammerjs: path.resolve(import.meta.dirname, 'components/no-touch-gestures.ts') } },
    plugins: [{
      name: 'tokenscope:shared-chunk',
      // Only where code is split at all (WXT builds the background as one file).
      outputOptions(output: { codeSplitting?: boolean; inlineDynamicImports?: boolean; manualChunks?: unknown }) {
        if (output.codeSplitting === false || output.inlineDynamicImports === true) return null;
        return { ...output, manualChunks: sharedChunk };
      },
    }],
  }),
  zip: { excludeSources: ['.sandbox/**', 'bench/results/**', '**/*.log', 'test-results/**', '.tmp/**'] },
  // Function form: WXT converts host_permissions for MV2 but drops optional_host_permissions there.
  manifest: ({ manifestVersion, browser }) => ({
    name: 'Tokenscope',
    description: 'Dynatrace personal access tokens: a vault, one-click switching and a query dashboard.',
    permissions: ['storage', 'alarms'],
    host_permissions: [...LOOPBACK_HOSTS, ...(e2e ? TENANT_HOSTS : [])],
    // `notifications` is asked for when the user turns expiry notifications on in Settings, never at install.
    ...(e2e
      ? { optional_permissions: ['notifications'] }
      : manifestVersion === 3
        ? { optional_host_permissions: TENANT_HOSTS, optional_permissions: ['notifications'] }
        : { optional_permissions: [...TENANT_HOSTS, 'notifications'] }),
    content_security_policy: manifestVersion === 3 ? { extension_pages: CSP } : CSP,
    commands: {
      'cycle-token': {
        suggested_key: { default: 'Alt+Shift+T' },
        description: 'Switch to the next usable token',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'tokenscope@tokenscope.dev',
              // 140: data_collection_permissions (AMO requires it); optional_host_permissions needs 128.
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
