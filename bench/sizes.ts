import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const OUT = path.resolve('.output/chrome-mv3');

export function gz(file: string): number {
  return gzipSync(readFileSync(path.join(OUT, file)), { level: 9 }).length;
}

/** Static imports of a built chunk (`import ... from "./x.js"`, `import "./x.js"`), not dynamic `import()`. */
function staticImports(file: string): string[] {
  const src = readFileSync(path.join(OUT, file), 'utf8');
  const dir = path.posix.dirname(file);
  const found = new Set<string>();
  for (const m of src.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g)) {
    found.add(path.posix.normalize(path.posix.join(dir, m[1]!)));
  }
  return [...found];
}

/** Everything a page loads before any lazy route: its HTML's scripts and styles and their static imports. */
export function firstLoad(html: string): { files: string[]; gzip: number } {
  const page = readFileSync(path.join(OUT, html), 'utf8');
  const start = [...page.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f) || !existsSync(path.join(OUT, f))) continue;
    seen.add(f);
    if (f.endsWith('.js')) queue.push(...staticImports(f));
  }
  const files = [...seen].sort();
  return { files, gzip: files.reduce((n, f) => n + gz(f), 0) };
}

/** The chart chunk: the lazily loaded chunk that carries chart.js. */
export function chartChunk(): { file: string; gzip: number } | null {
  const dir = path.join(OUT, 'chunks');
  for (const f of readdirSafe(dir)) {
    const src = readFileSync(path.join(dir, f), 'utf8');
    if (src.includes('Decimation') || src.includes('decimation')) return { file: `chunks/${f}`, gzip: gz(`chunks/${f}`) };
  }
  return null;
}

function readdirSafe(dir: string): string[] {
  try { return readdirSync(dir); } catch { return []; }
}

/**
 * A lazily loaded part of a page: the chunk whose name starts with `name` and what it imports statically, less what
 * the page's first load already brought (those files are in memory by then).
 */
export function lazyPart(name: string, html: string): { files: string[]; gzip: number } | null {
  const start = readdirSafe(path.join(OUT, 'chunks')).find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'));
  if (!start) return null;
  const loaded = new Set(firstLoad(html).files);
  const seen = new Set<string>();
  const queue = [`chunks/${start}`];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f) || loaded.has(f) || !existsSync(path.join(OUT, f))) continue;
    seen.add(f);
    queue.push(...staticImports(f));
    // A chunk's styles are an asset of the same name (its own hash).
    const base = path.posix.basename(f).replace(/-[\w-]{8}\.js$/, '');
    for (const css of readdirSafe(path.join(OUT, 'assets'))) if (css.startsWith(`${base}-`) && css.endsWith('.css') && !loaded.has(`assets/${css}`)) seen.add(`assets/${css}`);
  }
  const files = [...seen].sort();
  return { files, gzip: files.reduce((n, f) => n + gz(f), 0) };
}
