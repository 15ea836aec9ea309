import { defineConfig } from 'wxt';

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
  }),
  zip: { excludeSources: ['.sandbox/**', 'bench/results/**', '**/*.log', 'test-results/**', '.tmp/**'] },
  // Function form: WXT converts host_permissions for MV2 but drops optional_host_permissions there.
  manifest: ({ manifestVersion, browser }) => ({
    name: 'Tokenscope',
    description: 'Dynatrace personal access tokens: a vault, one-click switching and a query dashboard.',
    permissions: ['storage', 'alarms'],
    host_permissions: [...LOOPBACK_HOSTS, ...(e2e ? TENANT_HOSTS : [])],
    ...(e2e
      ? {}
      : manifestVersion === 3
        ? { optional_host_permissions: TENANT_HOSTS }
        : { optional_permissions: TENANT_HOSTS }),
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
