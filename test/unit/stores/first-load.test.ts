import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRST_LOAD_FILES } from '../../../eslint.first-load.js';

/**
 * What opening the popup loads: the static import graph from its entry (value imports only; `import type` and
 * dynamic `import()` are not followed). The bundle size itself is measured by `npm run bench -- 1`; this guards the
 * structure that keeps it small: the API client, its error model and the rare screens stay behind `import()`.
 */
const ROOT = path.resolve(__dirname, '../../..');

function scriptOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.vue')) return text;
  return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && !candidate.endsWith(path.sep) && /\.(ts|vue|css)$/.test(candidate)) return candidate;
  }
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [path.join(ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.has(file)) continue;
    files.add(file);
    if (file.endsWith('.css')) continue;
    const source = scriptOf(file);
    const specs = [
      ...[...source.matchAll(/^\s*import\s+(?!type\s)[^'";]*?\sfrom\s+'([^']+)'/gm)].map((m) => m[1]!),
      ...[...source.matchAll(/^\s*export\s+(?!type\s)[^'";]*?\sfrom\s+'([^']+)'/gm)].map((m) => m[1]!),
      ...[...source.matchAll(/^\s*import\s+'([^']+)'/gm)].map((m) => m[1]!),
    ];
    for (const spec of specs) {
      const target = resolve(file, spec);
      if (target === null) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      else queue.push(target);
    }
  }
  return { files, packages };
}

describe('the popup first load', () => {
  const { files, packages } = staticGraph('entrypoints/popup/main.ts');
  const rel = [...files].map((f) => path.relative(ROOT, f).split(path.sep).join('/'));

  it('is the list the lint guards (eslint.first-load.js): a file the first load reaches is on it', () => {
    const own = rel.filter((f) => !f.endsWith('.css'));
    expect(own.filter((f) => !FIRST_LOAD_FILES.includes(f))).toEqual([]);
  });

  it('reaches the list screen and the stores', () => {
    expect(rel).toEqual(expect.arrayContaining([
      'popup/PopupApp.vue', 'popup/screens/ListScreen.vue', 'stores/tokens.ts', 'stores/vault.ts', 'components/TokenList.vue',
    ]));
  });

  it('does not load the API client, its error model and texts, the URL parser or ofetch (they come with the first request)', () => {
    expect(rel.filter((f) => f.startsWith('lib/dynatrace/') && f !== 'lib/dynatrace/loopback.ts')).toEqual([]);
    expect(rel).not.toContain('lib/failure/describe.ts');
    expect(rel).not.toContain('platform/api.ts');
    expect(rel).not.toContain('stores/token-requests.ts');
    expect(packages.has('ofetch')).toBe(false);
  });

  it('does not load the screens most visits never open', () => {
    for (const lazy of [
      'components/TokenAddForm.vue', 'components/TokenCreateForm.vue', 'components/TokenEditForm.vue', 'components/TokenSecretReveal.vue',
      'components/VaultSettings.vue', 'components/ConfirmDialog.vue', 'lib/scopes.ts', 'components/VaultForm.vue',
      'platform/vault-admin.ts', 'platform/migrations.ts', 'popup/composables/confirm-text.ts', 'lib/vault/passphrase.ts',
    ]) expect(rel, lazy).not.toContain(lazy);
  });
});
