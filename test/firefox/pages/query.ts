import type { ElementHandle, Page } from 'puppeteer-core';

/**
 * Finding things as a person would, in Firefox over WebDriver BiDi: by role and accessible name (puppeteer's
 * `::-p-aria`, answered from Firefox's own accessibility tree), or by the visible label of a form field. The
 * Playwright page objects of `test/e2e/pages/` do not carry over: puppeteer has no `getByRole`.
 */

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Firefox's accessibility locator answers with ARIA 1.3's names where they differ: `role="img"` is computed as
 * `image` (and matches nothing as `img`).
 */
const COMPUTED_ROLE: Readonly<Record<string, string>> = { img: 'image' };

/** A selector for the element with this role and exactly this accessible name. */
export function byRole(role: string, name?: string): string {
  const computed = COMPUTED_ROLE[role] ?? role;
  return `::-p-aria(${name === undefined ? '' : `[name=${quote(name)}]`}[role=${quote(computed)}])`;
}

export const DEFAULT_TIMEOUT = 10_000;

/** Waits for a visible element matching `selector`. */
export async function find(page: Page, selector: string, timeout = DEFAULT_TIMEOUT): Promise<ElementHandle<Element>> {
  const handle = await page.waitForSelector(selector, { visible: true, timeout });
  if (handle === null) throw new Error(`${selector} not found`);
  return handle;
}

/** Whether a visible element matches `selector` right now. */
export async function isShown(page: Page, selector: string): Promise<boolean> {
  const handle = await page.$(selector);
  if (handle === null) return false;
  try {
    return await handle.isVisible();
  } finally {
    await handle.dispose();
  }
}

/** Waits until nothing visible matches `selector`. */
export async function gone(page: Page, selector: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
  await page.waitForSelector(selector, { hidden: true, timeout });
}

/** Clicks the element once it is visible and enabled (puppeteer's locator waits for both). */
export async function click(page: Page, selector: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
  await page.locator(selector).setTimeout(timeout).click();
}

/** Replaces the value of a text field found by `selector`. */
export async function fill(page: Page, selector: string, value: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
  await page.locator(selector).setTimeout(timeout).fill(value);
}

/**
 * The form control of the `<label>` whose text is exactly `text`. Firefox gives a password input no `textbox`
 * role, so "Passphrase" and "Token" are found the way a person finds them: by the label next to them.
 */
export async function labelled(page: Page, text: string, timeout = DEFAULT_TIMEOUT): Promise<ElementHandle<HTMLInputElement>> {
  const handle = await page.waitForFunction((t: string) => {
    const label = Array.from(document.querySelectorAll('label')).find((l) => l.textContent?.trim() === t);
    const control = label?.control;
    return control instanceof HTMLInputElement && control.checkVisibility() ? control : null;
  }, { polling: 50, timeout }, text);
  return handle as ElementHandle<HTMLInputElement>;
}

/** Types into the field labelled `text`, replacing what it held. */
export async function fillLabelled(page: Page, text: string, value: string): Promise<void> {
  const input = await labelled(page, text);
  try {
    await input.evaluate((el) => { el.select(); });
    await input.type(value);
    const typed = await input.evaluate((el) => el.value);
    if (typed !== value) throw new Error(`the field labelled "${text}" holds ${typed.length} characters, not ${value.length}`);
  } finally {
    await input.dispose();
  }
}
