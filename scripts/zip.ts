/**
 * `npm run zip`: the store packages, production builds both: `.output/<name>-<version>-chrome.zip` (Chrome Web
 * Store) and `-firefox.zip` plus `-sources.zip` (addons.mozilla.org asks for the sources of minified code). Prints
 * where they are. `npm run test:store` checks them (scripts/store-check.ts).
 */
import path from 'node:path';
import { zip, type InlineConfig } from 'wxt';

export interface StoreZips {
  chrome: string;
  firefox: string;
  /** The sources zip AMO asks for. */
  sources: string;
}

/** WXT's own progress output, or only its warnings and errors. */
export type ZipOutput = 'full' | 'quiet';

const quietLogger: NonNullable<InlineConfig['logger']> = {
  debug: () => undefined, log: () => undefined, info: () => undefined, success: () => undefined,
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
  fatal: (...args: unknown[]) => console.error(...args),
  level: 1,
};

/** Builds and zips both browsers' production builds (one after the other: both write `.wxt/`). */
export async function buildZips(output: ZipOutput = 'full'): Promise<StoreZips> {
  const options: InlineConfig = output === 'quiet' ? { logger: quietLogger } : {};
  const chrome = await zip({ ...options, browser: 'chrome' });
  const firefox = await zip({ ...options, browser: 'firefox' });
  const pick = (files: string[], suffix: string): string => {
    const file = files.find((f) => f.endsWith(suffix));
    if (file === undefined) throw new Error(`wxt zip wrote no *${suffix} (got ${files.join(', ')})`);
    return path.resolve(file);
  };
  return { chrome: pick(chrome, '-chrome.zip'), firefox: pick(firefox, '-firefox.zip'), sources: pick(firefox, '-sources.zip') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const zips = await buildZips();
  console.log('\nStore packages:');
  console.log(`  Chrome Web Store:         ${zips.chrome}`);
  console.log(`  addons.mozilla.org:       ${zips.firefox}`);
  console.log(`  sources for AMO's review: ${zips.sources}`);
  console.log('Check them with "npm run test:store".');
}
