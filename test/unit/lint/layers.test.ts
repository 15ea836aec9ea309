import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

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
  ])('passes the lint: %s', async (_name, filePath, code) => {
    expect(await restrictedImportMessages(filePath, code)).toEqual([]);
  });
});
