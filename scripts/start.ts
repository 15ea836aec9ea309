/**
 * `npm start`: builds the extension, then runs the sandbox with demo data in the foreground.
 * Until the sandbox lands this builds the extension only and says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const out = path.resolve('.output/chrome-mv3');
console.log(`\nExtension built: load the unpacked folder ${out} (chrome://extensions, Developer mode, "Load unpacked").`);
if (!existsSync('sandbox/cli.ts')) {
  console.log('The local sandbox is not part of this version yet: only the extension was built.');
}
