/**
 * Mozilla's add-on linter (`web-ext lint`, the checks addons.mozilla.org runs on upload) over the files of the
 * Firefox zip. Errors fail; so does any warning not explained below. Each explanation also proves it applies to the
 * warning at hand (the code at the reported place), so a new warning of the same kind elsewhere is not waved through.
 * The reasons are written up in docs/firefox.md.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface LintMessage {
  code: string;
  message: string;
  description?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

export interface ExplainedWarning {
  code: string;
  /** One line for the report; the full reasoning is in docs/firefox.md. */
  why: string;
  /** Whether this explanation covers `warning` (given the zip's files). */
  applies(warning: LintMessage, files: ReadonlyMap<string, Uint8Array>): boolean;
}

/** The text around the reported column of the reported line. */
function around(warning: LintMessage, files: ReadonlyMap<string, Uint8Array>, before: number, after: number): string {
  const data = warning.file === undefined ? undefined : files.get(warning.file);
  if (data === undefined || warning.line === undefined || warning.column === undefined) return '';
  const line = new TextDecoder().decode(data).split('\n')[warning.line - 1] ?? '';
  return line.slice(Math.max(0, warning.column - before), warning.column + after);
}

export const EXPLAINED_WARNINGS: readonly ExplainedWarning[] = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    why: "Vue's runtime inserting the compiled templates' static HTML (insertStaticContent): build-time strings, never data",
    applies: (w, files) => /insertStaticContent\([^)]*\)\{/.test(around(w, files, 300, 0)) && /^\w+\.innerHTML=/.test(around(w, files, 0, 40)),
  },
  {
    code: 'KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION',
    why: 'data_collection_permissions needs Firefox for Android 142; Tokenscope targets desktop Firefox 140+ (no Android listing)',
    applies: (w) => w.file === 'manifest.json' && (w.description ?? '').includes('data_collection_permissions'),
  },
];

/** The warnings no explanation covers. */
export function unexplainedWarnings(report: LintReport, files: ReadonlyMap<string, Uint8Array>): LintMessage[] {
  return report.warnings.filter((w) => !EXPLAINED_WARNINGS.some((e) => e.code === w.code && e.applies(w, files)));
}

/** Runs `web-ext lint --output json` on an unpacked extension folder. */
export function lintFolder(dir: string): Promise<LintReport> {
  const bin = path.resolve('node_modules/.bin/web-ext');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery', '--no-input'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('error', reject);
    // Exit code 1 just means the linter found errors: the report says which.
    child.once('exit', () => {
      const start = out.indexOf('{');
      try {
        resolve(JSON.parse(out.slice(start)) as LintReport);
      } catch {
        reject(new Error(`web-ext lint gave no JSON report:\n${out}\n${err}`));
      }
    });
  });
}
