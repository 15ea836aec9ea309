// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import regexp from 'eslint-plugin-regexp';
import { FIRST_LOAD_DENIED, FIRST_LOAD_FILES } from './eslint.first-load.js';

/**
 * The layer arrows (CONTRIBUTING.md), enforced:
 *   lib <- platform <- stores, composables <- components <- popup, dashboard <- entrypoints;  lib <- sandbox
 * Each folder lists what it must not import. Patterns are gitignore-style, so they match
 * relative paths (`../stores/tokens`) and the `@/` / `~/` aliases alike.
 */
const UI_PACKAGES = ['vue', 'vue-router', 'pinia', '@vueuse/*', 'chart.js', 'chart.js/*', 'vue-chartjs'];
const EXTENSION_PACKAGES = ['wxt', 'wxt/*', '#imports', 'webextension-polyfill', '@wxt-dev/*'];
const SERVER_PACKAGES = ['hono', 'hono/*', '@hono/*', 'better-sqlite3', 'node:*'];
const folder = (name) => [`**/${name}`, `**/${name}/**`];

/** @param {string} why @param {string[]} group */
const deny = (why, group) => ({ group, message: why });

const layerRules = [
  {
    files: ['lib/**/*.ts'],
    deny: [
      deny('lib/ is pure TypeScript: no UI, extension or server code.', [
        ...UI_PACKAGES, ...EXTENSION_PACKAGES, ...SERVER_PACKAGES,
        ...folder('platform'), ...folder('stores'), ...folder('composables'), ...folder('components'),
        ...folder('dashboard'), ...folder('entrypoints'), ...folder('sandbox'),
      ]),
    ],
  },
  {
    files: ['platform/**/*.ts'],
    deny: [
      deny('platform/ sits below stores and UI; it may import lib/ only.', [
        'vue', 'vue-router', 'pinia', 'chart.js', 'vue-chartjs', ...SERVER_PACKAGES,
        ...folder('stores'), ...folder('composables'), ...folder('components'), ...folder('dashboard'),
        ...folder('entrypoints'), ...folder('sandbox'),
      ]),
    ],
  },
  {
    files: ['stores/**/*.ts', 'composables/**/*.ts'],
    deny: [
      deny('stores/ and composables/ use platform/ for browser access and never import UI or the sandbox.', [
        ...EXTENSION_PACKAGES, ...SERVER_PACKAGES,
        ...folder('components'), ...folder('dashboard'), ...folder('entrypoints'), ...folder('sandbox'),
      ]),
    ],
  },
  {
    files: ['components/**/*.{ts,vue}'],
    deny: [
      deny('components/ are presentational: props in, events out; no stores, platform, API client or browser.', [
        ...EXTENSION_PACKAGES, ...SERVER_PACKAGES, 'pinia', 'ofetch',
        ...folder('stores'), ...folder('platform'), ...folder('lib/dynatrace'), ...folder('dashboard'),
        ...folder('entrypoints'), ...folder('sandbox'),
      ]),
    ],
  },
  {
    files: ['dashboard/**/*.{ts,vue}'],
    deny: [
      deny('dashboard/ reaches the browser and storage through stores and composables only.', [
        ...EXTENSION_PACKAGES, ...SERVER_PACKAGES, ...folder('platform'), ...folder('entrypoints'), ...folder('sandbox'),
        ...folder('popup'),
      ]),
    ],
  },
  {
    files: ['popup/**/*.{ts,vue}'],
    deny: [
      deny('popup/ reaches the browser and storage through stores and composables only.', [
        ...EXTENSION_PACKAGES, ...SERVER_PACKAGES, ...folder('platform'), ...folder('entrypoints'), ...folder('sandbox'),
        ...folder('dashboard'),
      ]),
    ],
  },
  {
    files: ['entrypoints/**/*.{ts,vue}'],
    deny: [deny('Entry points never import the sandbox.', [...SERVER_PACKAGES, ...folder('sandbox')])],
  },
  {
    files: ['sandbox/**/*.ts'],
    deny: [
      deny('sandbox/ imports only lib/ (and server packages).', [
        ...UI_PACKAGES, ...EXTENSION_PACKAGES,
        ...folder('platform'), ...folder('stores'), ...folder('composables'), ...folder('components'),
        ...folder('dashboard'), ...folder('entrypoints'),
      ]),
    ],
  },
];

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', '.tmp/**', 'node_modules/**', 'lib/dynatrace/generated/**', '.sandbox/**', 'bench/results/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  // `browser`/`chrome` globals belong to platform/ (and the background entry point's wiring).
  {
    files: ['lib/**', 'stores/**', 'composables/**', 'components/**', 'dashboard/**', 'sandbox/**'],
    rules: {
      'no-restricted-globals': ['error',
        { name: 'chrome', message: 'Use platform/ for browser APIs.' },
        { name: 'browser', message: 'Use platform/ for browser APIs.' }],
    },
  },
  ...layerRules.map(({ files, deny: patterns }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  // The popup's first load: its layer's rule plus the imports that would make the first load grow. A file's
  // options replace those of its folder (flat config does not merge rule options), so both lists are given.
  ...FIRST_LOAD_FILES.map((file) => {
    const layer = layerRules.find((l) => l.files.some((glob) => file.startsWith(glob.split('*')[0] ?? '')));
    return {
      files: [file],
      rules: {
        'no-restricted-imports': ['error', { patterns: [
          ...(layer?.deny ?? []),
          { regex: FIRST_LOAD_DENIED, allowTypeImports: true, message: 'The popup first load (eslint.first-load.js) imports from the file that has it, never the lib/dynatrace index, the client, the error texts or the URL parser: load those with import().' },
        ] }],
      },
    };
  }),
  // Import cycles make module evaluation order matter (an export read before its module ran is undefined).
  {
    files: ['**/*.{ts,vue}'],
    plugins: { 'import-x': importX },
    // import-x parses each imported `.vue` file with the parser options of the importing file: name the script parser.
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.vue', '.js', '.mjs', '.json'] })],
      'import-x/extensions': ['.ts', '.vue', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'], 'vue-eslint-parser': ['.vue'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // Regular expressions that backtrack super-linearly freeze the sandbox (and any page parsing untrusted text).
  {
    files: ['lib/**/*.ts', 'sandbox/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  // Command-line programs print to the terminal on purpose.
  { files: ['scripts/**', 'bench/**', 'sandbox/cli.ts'], rules: { 'no-console': 'off' } },
);
