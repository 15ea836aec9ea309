import { extensionWithBoard } from './extension-board';
import { median, type BrowserGlobals } from './util';

const TILES = 6;

/**
 * Recorded in the popup page from its first script on: when the token list is first painted, and when all six
 * overview tiles first show a value (from session storage), each at the frame after the DOM has it.
 */
const MARKS = `(() => {
  const marks = {};
  window.__marks = marks;
  const at = (name) => requestAnimationFrame(() => { marks[name] ??= performance.now(); });
  new MutationObserver(() => {
    if (!marks.listSeen && document.querySelector('ul[aria-label="Tokens"] li')) { marks.listSeen = true; at('list'); }
    const values = [...document.querySelectorAll('ul[aria-label="Overview tiles"] > li .value')];
    if (!marks.valuesSeen && values.length === ${TILES} && values.every((v) => v.textContent && v.textContent !== '…')) { marks.valuesSeen = true; at('values'); }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

/**
 * Figure 1d: the popup opened with six cached overview tiles. Time from navigation to the cached values painted, as a
 * ratio of the time to the token list painted, in the same page load (headless Chromium, the e2e build).
 */
export async function popupOverviewFigure(): Promise<{ list: number; values: number; ratio: number; runs: number }> {
  // Six tiles: the starter set twice over.
  const { ext, close } = await extensionWithBoard('popup-overview', (starter) => Array.from({ length: TILES }, (_, i) => ({ ...starter[i % starter.length]!, id: `bench-${i}` })));
  try {
    const warm = await ext.open('popup.html');
    await warm.waitForFunction((n) => (globalThis as unknown as BrowserGlobals).document.querySelectorAll('ul[aria-label="Overview tiles"] > li .value').length === n
      && [...(globalThis as unknown as BrowserGlobals).document.querySelectorAll('ul[aria-label="Overview tiles"] > li .value')].every((v) => v.textContent !== '…'), TILES, { timeout: 30_000 });
    await warm.waitForTimeout(500); // the refreshed values are kept in session storage
    await warm.close();

    await ext.context.addInitScript(MARKS);
    const lists: number[] = [];
    const values: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < 9; i++) {
      const page = await ext.open('popup.html');
      await page.waitForFunction(() => { const m = (globalThis as unknown as { __marks?: { list?: number; values?: number } }).__marks; return m?.list !== undefined && m.values !== undefined; }, undefined, { timeout: 30_000 });
      const m = await page.evaluate(() => (globalThis as unknown as { __marks: { list: number; values: number } }).__marks);
      await page.close();
      if (i < 2) continue; // warm-up
      lists.push(m.list);
      values.push(m.values);
      ratios.push(m.values / m.list);
    }
    return { list: median(lists), values: median(values), ratio: median(ratios), runs: ratios.length };
  } finally {
    await close();
  }
}
