import { build } from 'vite';
import vue from '@vitejs/plugin-vue';
import { chromium } from 'playwright-core';
import path from 'node:path';
import { serveDir } from './util';
import { CHROMIUM } from '../test/e2e/support/extension';

export interface ChartFigure { ours: number; bare: number; runs: number; series: number; points: number; compared: { ours: number; bare: number; datasets: number } }

/** Figures 3 and 3c, in headless Chromium: MetricChart vs bare chart.js on 200 series x 1,440 points. */
export async function chartFigure(): Promise<ChartFigure> {
  const outDir = path.resolve('.tmp/bench-chart');
  await build({ root: path.resolve('bench/chart'), plugins: [vue()], logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await serveDir(outDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as unknown as { __bench?: unknown }).__bench, undefined, { timeout: 300_000 });
    return (await page.evaluate(() => (globalThis as unknown as { __bench: unknown }).__bench)) as ChartFigure;
  } finally {
    await browser.close();
    await server.close();
  }
}
