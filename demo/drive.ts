// Drives the demo page from Playwright: its buttons, and the `window.corsightDemo` hooks that return the results.
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';

/** What the page itself saw for one request: a readable response, or fetch's opaque rejection. */
export interface DemoRunResult {
  id: string;
  ok: boolean;
  status: number | null;
  text: string;
}

/** The hooks demo/page.ts installs on `window`. */
interface DemoHooks {
  corsightDemo: { run(id: string): Promise<DemoRunResult>; runAll(): Promise<DemoRunResult[]> };
}

/** Presses one card's Send button logic and waits for the fetch to settle. */
export function runEndpoint(page: Page, id: string): Promise<DemoRunResult> {
  return page.evaluate((endpointId) => (window as unknown as DemoHooks).corsightDemo.run(endpointId), id);
}

/** Clicks "Run all" like a user and waits until every request of it has settled in the page. */
export async function clickRunAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run all' }).click();
  await page.waitForSelector('html[data-demo-state="done"]', { timeout: 60_000 });
}

/** The same click with puppeteer, which drives Firefox over WebDriver BiDi (npm start -- --browser firefox). */
export async function clickRunAllPuppeteer(page: PuppeteerPage): Promise<void> {
  await page.locator('::-p-aria(Run all[role="button"])').click();
  await page.waitForSelector('html[data-demo-state="done"]', { timeout: 60_000 });
}
