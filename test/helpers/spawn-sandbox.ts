import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SandboxProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed (stdout and stderr). */
  output(): string;
  /** Output printed after the start-up banner. */
  outputAfterStart(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tempDir(prefix = 'tokenscope-'): string {
  return mkdtempSync(path.join(process.env.TMPDIR ?? os.tmpdir(), prefix));
}

/** Starts `sandbox/cli.ts` as its own process on a free loopback port and waits for its banner. */
export async function spawnSandbox(args: string[], timeoutMs = 20_000): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let bannerEnd = -1;
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      // The banner is complete once its last line is printed.
      if (bannerEnd < 0 && m && (out.includes('(mode 0600)') || !args.includes('--demo-tokens')) && out.includes('admin API')) {
        clearTimeout(timer);
        bannerEnd = out.length;
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sandbox exited with ${code}:\n${out}`)); });
  });
  return {
    url, child,
    output: () => out,
    outputAfterStart: () => out.slice(bannerEnd),
    stop: (signal = 'SIGTERM') => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) { resolve(child.exitCode); return; }
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    }),
  };
}

export async function adminFetch(base: string, key: string, p: string, method = 'GET', body?: unknown): Promise<Response> {
  return fetch(`${base}/sandbox/admin${p}`, {
    method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
