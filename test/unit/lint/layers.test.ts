import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layer arrows of CONTRIBUTING.md are enforced by ESLint. These cases lint source text as if it
 * lived at the given path: a broken arrow must fail the lint, an allowed import must pass.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('import cycles', () => {
  it('fail the lint (import-x/no-cycle), with real files on disk', async () => {
    const dir = mkdtempSync(path.join(process.cwd(), 'lib', '.cycle-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = (): number => b() + 1;\n");
      writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a';\nexport const b = (): number => a() - 1;\n");
      const results = await eslint.lintFiles([path.join(dir, 'a.ts')]);
      expect(results[0]?.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

});

describe('layer rules', () => {
  it.each([
    ['lib importing vue', 'lib/selectors/x.ts', "import { ref } from 'vue';\nexport const r = ref(1);\n"],
    ['lib importing node:crypto', 'lib/dynatrace/x.ts', "import { randomBytes } from 'node:crypto';\nexport const b = randomBytes(1);\n"],
    ['lib importing the sandbox', 'lib/x.ts', "import { createApp } from '../sandbox/app';\nexport const a = createApp;\n"],
    ['lib using chrome.*', 'lib/x.ts', 'export const id = chrome.runtime.id;\n'],
    ['a component importing a store', 'components/TokenList.vue', "<script setup lang=\"ts\">\nimport { useTokensStore } from '../stores/tokens';\nuseTokensStore();\n</script>\n<template><p>x</p></template>\n"],
    ['a component importing platform', 'components/X.ts', "import { openDashboard } from '@/platform/navigation';\nexport const o = openDashboard;\n"],
    ['a store importing wxt/browser', 'stores/tokens.ts', "import { browser } from 'wxt/browser';\nexport const b = browser;\n"],
    ['a store importing a component', 'stores/tokens.ts', "import X from '../components/X.vue';\nexport const x = X;\n"],
    ['the sandbox importing UI code', 'sandbox/app.ts', "import X from '../components/TokenList.vue';\nexport const x = X;\n"],
    ['the sandbox importing a store', 'sandbox/app.ts', "import { useTokensStore } from '~/stores/tokens';\nexport const x = useTokensStore;\n"],
    ['platform importing a store', 'platform/vault.ts', "import { useTokensStore } from '../stores/tokens';\nexport const x = useTokensStore;\n"],
    ['the dashboard importing platform', 'dashboard/pages/X.ts', "import { openDashboard } from '../../platform/navigation';\nexport const x = openDashboard;\n"],
    ['an entry point importing the sandbox', 'entrypoints/popup/main.ts', "import { createApp } from '../../sandbox/app';\nexport const x = createApp;\n"],
    ['a popup screen importing platform', 'popup/screens/ListScreen.vue', "<script setup lang=\"ts\">\nimport { getTokens } from '../../platform/tokens';\nvoid getTokens;\n</script>\n<template><p>x</p></template>\n"],
    ['the popup importing the dashboard', 'popup/PopupApp.vue', "<script setup lang=\"ts\">\nimport X from '../dashboard/DashboardApp.vue';\nvoid X;\n</script>\n<template><p>x</p></template>\n"],
    ['a first-load store importing the lib/dynatrace index', 'stores/tokens.ts', "import { ApiError } from '../lib/dynatrace';\nexport const x = ApiError;\n"],
    ['a first-load platform file importing the client', 'platform/storage.ts', "import { createDynatraceClient } from '../lib/dynatrace/client';\nexport const x = createDynatraceClient;\n"],
    ['a first-load component importing the failure texts', 'components/ErrorNotice.vue', "<script setup lang=\"ts\">\nimport { describeFailure } from '../lib/failure/describe';\nvoid describeFailure;\n</script>\n<template><p>x</p></template>\n"],
    ['the first-load popup importing the URL parser', 'popup/PopupApp.vue', "<script setup lang=\"ts\">\nimport { parseEnvironmentUrl } from '../lib/dynatrace/environment-url';\nvoid parseEnvironmentUrl;\n</script>\n<template><p>x</p></template>\n"],
  ])('fails the lint: %s', async (_name, filePath, code) => {
    const messages = await restrictedImportMessages(filePath, code);
    expect(messages.length).toBeGreaterThan(0);
  });

  it.each([
    ['lib importing lib', 'lib/dynatrace/x.ts', "import { parseEntitySelector } from '../selectors';\nexport const p = parseEntitySelector;\n"],
    ['the sandbox importing lib and hono', 'sandbox/app.ts', "import { Hono } from 'hono';\nimport { parseEntitySelector } from '../lib/selectors';\nexport const x = [Hono, parseEntitySelector];\n"],
    ['a store importing platform and lib', 'stores/tokens.ts', "import { openDashboard } from '../platform/navigation';\nimport { defineStore } from 'pinia';\nexport const x = [openDashboard, defineStore];\n"],
    ['platform importing wxt', 'platform/x.ts', "import { browser } from 'wxt/browser';\nexport const b = browser;\n"],
    ['an entry point importing platform', 'entrypoints/popup/main.ts', "import { openDashboard } from '../../platform/navigation';\nexport const x = openDashboard;\n"],
    ['a first-load file importing a type from the error model', 'lib/failure/failure.ts', "import type { ApiErrorKind } from '../dynatrace/errors';\nexport type K = ApiErrorKind;\n"],
    ['a first-load file importing a file of lib/dynatrace that is not on the list', 'platform/permissions.ts', "import { isLoopbackHost } from '../lib/dynatrace/loopback';\nexport const x = isLoopbackHost;\n"],
    ['a page (not first load) importing the lib/dynatrace index', 'dashboard/pages/X.ts', "import { ApiError } from '../../lib/dynatrace';\nexport const x = ApiError;\n"],
  ])('passes the lint: %s', async (_name, filePath, code) => {
    expect(await restrictedImportMessages(filePath, code)).toEqual([]);
  });
});
