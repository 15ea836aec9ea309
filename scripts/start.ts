/**
 * `npm start`: builds the extension, then runs the sandbox with demo data in the foreground,
 * printing where to load the extension from, the sandbox URL, the admin key and one fresh PAT per demo user.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const build = spawnSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) {
  console.error('Extension build failed; run "npm run build" to see why.');
  process.exit(build.status ?? 1);
}
console.log(`Extension built: load the unpacked folder ${path.resolve('.output/chrome-mv3')}`);
console.log('  (chrome://extensions -> Developer mode -> "Load unpacked"; Firefox: npm run build:firefox)\n');

const args = ['--import', 'tsx', 'sandbox/cli.ts', '--demo-tokens', ...process.argv.slice(2)];
const sandbox = spawn(process.execPath, args, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => sandbox.kill(sig));
sandbox.on('exit', (code) => process.exit(code ?? 0));
