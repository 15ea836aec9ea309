import type { ElementHandle, Page } from 'puppeteer-core';
import { byRole, click, fill, find } from './query';

export type DashboardView = 'Overview' | 'Metrics' | 'Entities' | 'Problems' | 'Token inspector';

/** The dashboard page in Firefox, by the names of docs/ui-contract.md. */
export class DashboardPage {
  constructor(readonly page: Page) {}

  static link(view: DashboardView): string { return `${byRole('navigation', 'Dashboard')} ${byRole('link', view)}`; }
  static readonly metricSelector = byRole('textbox', 'Metric selector');
  static readonly entitySelector = byRole('textbox', 'Entity selector');
  static readonly zoneSelector = byRole('textbox', 'Management zone selector');
  static readonly runQuery = byRole('button', 'Run query');
  /** The Code view of the (first) query: the editor opens on Builder when it can show the query. */
  static readonly codeTab = byRole('tab', 'Code');
  static readonly alert = byRole('alert');
  static readonly chart = byRole('img');

  async goTo(view: DashboardView): Promise<void> {
    await click(this.page, DashboardPage.link(view));
    await find(this.page, byRole('heading', view));
  }

  /** The alert texts on the page right now. */
  async alerts(): Promise<string[]> {
    const handles = await this.page.$$(DashboardPage.alert);
    return Promise.all(handles.map((h) => h.evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '')));
  }

  /** Waits for an alert whose text contains `text`, and returns its text. */
  async alertContaining(text: string, timeout = 10_000): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const hit = (await this.alerts()).find((a) => a.includes(text));
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) throw new Error(`no alert naming "${text}"; alerts: ${JSON.stringify(await this.alerts())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Runs a metric query, with a management-zone selector typed into the filters (opened as a person would). */
  async metricQuery(metricSelector: string, zoneSelector: string): Promise<void> {
    if (!(await this.page.$(DashboardPage.metricSelector).then((h) => h?.isVisible() ?? false))) await click(this.page, DashboardPage.codeTab);
    await fill(this.page, DashboardPage.metricSelector, metricSelector);
    if (!(await this.page.$(DashboardPage.zoneSelector).then((h) => h?.isVisible() ?? false))) {
      // A <summary>: named, but with no ARIA role Firefox's accessibility locator matches.
      await click(this.page, '::-p-aria(Entity and management zone filters)');
    }
    await fill(this.page, DashboardPage.zoneSelector, zoneSelector);
    await click(this.page, DashboardPage.runQuery);
  }

  /**
   * The chart of the last answer, once drawn: `role="img"` named "Chart of <metric ids of the answer>"; the ids are
   * the server's spelling of the selector, so this matches on the metric key.
   */
  async chart(metricKey: string, timeout = 10_000): Promise<ElementHandle<Element>> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const img of await this.page.$$(DashboardPage.chart)) {
        const name = await img.evaluate((el) => el.getAttribute('aria-label') ?? '');
        if (name.startsWith('Chart of ') && name.includes(metricKey) && (await img.isVisible())) return img;
        await img.dispose();
      }
      if (Date.now() > deadline) throw new Error(`no chart of ${metricKey}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** How many of the chart canvas's pixels are not transparent: a drawn chart has thousands. */
  async paintedPixels(chart: ElementHandle<Element>): Promise<number> {
    return chart.evaluate((el) => {
      if (!(el instanceof HTMLCanvasElement)) throw new Error(`the chart is a <${el.tagName.toLowerCase()}>, not a canvas`);
      const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
  }

  /** Runs an entity query and returns the "Management zones" cell of every row of the result table. */
  async entityZones(entitySelector: string): Promise<string[]> {
    await fill(this.page, DashboardPage.entitySelector, entitySelector);
    await click(this.page, DashboardPage.runQuery);
    const table = await find(this.page, byRole('table', `Entities matching ${entitySelector}`));
    return table.evaluate((el) => {
      const t = el as HTMLTableElement;
      const column = Array.from(t.tHead?.rows[0]?.cells ?? []).findIndex((c) => c.textContent?.trim() === 'Management zones');
      if (column < 0) throw new Error('no "Management zones" column');
      return Array.from(t.tBodies[0]?.rows ?? []).map((r) => r.cells[column]?.textContent?.trim() ?? '');
    });
  }
}
