/**
 * `npm run test:store`: builds both store zips (scripts/zip.ts) and checks them the way the stores would:
 * the Chrome zip against what the Chrome Web Store refuses (scripts/store/chrome.ts), the Firefox zip with
 * Mozilla's add-on linter (scripts/store/firefox.ts). Exits 1 on any problem. `--no-build` checks existing zips.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkChromeZip } from './store/chrome';
import { EXPLAINED_WARNINGS, lintFolder, unexplainedWarnings } from './store/firefox';
import { readZip } from './store/zip';
import { buildZips, type StoreZips } from './zip';

function existingZips(): StoreZips {
  const { name, version } = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
  const at = (suffix: string) => path.resolve('.output', `${name}-${version}-${suffix}.zip`);
  return { chrome: at('chrome'), firefox: at('firefox'), sources: at('sources') };
}

const started = Date.now();
const zips = process.argv.includes('--no-build') ? existingZips() : await buildZips('quiet');
let failed = false;

const chromeProblems = checkChromeZip(readZip(readFileSync(zips.chrome)));
console.log(`store: ${path.relative(process.cwd(), zips.chrome)}: ${chromeProblems.length === 0 ? 'ready for the Chrome Web Store' : `${chromeProblems.length} problem(s)`}`);
for (const p of chromeProblems) console.log(`  ✗ [${p.rule}] ${p.message}`);
failed ||= chromeProblems.length > 0;

const firefoxFiles = readZip(readFileSync(zips.firefox));
const dir = mkdtempSync(path.join(process.env.TMPDIR ?? os.tmpdir(), 'tokenscope-lint-'));
try {
  for (const [file, data] of firefoxFiles) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), data);
  }
  const report = await lintFolder(dir);
  const unexplained = unexplainedWarnings(report, firefoxFiles);
  const { errors, warnings, notices } = report.summary;
  console.log(`store: ${path.relative(process.cwd(), zips.firefox)}: web-ext lint: ${errors} error(s), ${warnings} warning(s), ${notices} notice(s)`);
  for (const e of report.errors) console.log(`  ✗ error ${e.code}: ${e.message}${e.file ? ` (${e.file})` : ''}`);
  for (const w of report.warnings) {
    const explained = !unexplained.includes(w);
    const why = EXPLAINED_WARNINGS.find((x) => x.code === w.code)?.why;
    console.log(`  ${explained ? '~' : '✗'} warning ${w.code}${w.file ? ` (${w.file})` : ''}: ${explained ? `explained: ${why}` : `${w.message}: not explained in scripts/store/firefox.ts and docs/firefox.md`}`);
  }
  failed ||= errors > 0 || unexplained.length > 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`store: ${failed ? 'NOT ready' : 'both zips ready'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed ? 1 : 0);
