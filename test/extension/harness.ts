// Shared pieces of the capture tests: a page origin and an API origin on loopback, Chromium with dist/chrome, Firefox
// ESR with dist/firefox, and a reader that asks the background for a tab's snapshot through the panel protocol, as a
// panel would.
import { extensionArgs, waitFor } from '../../scripts/chromium.ts';
import { readSnapshot } from '../../scripts/panel-reader.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser, type Page as PuppeteerPage } from 'puppeteer-core';
import type { PanelMessage, TabSnapshot } from '../../src/protocol/messages.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const chromeDir = join(root, 'dist', 'chrome');
export const firefoxDir = join(root, 'dist', 'firefox');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export { waitFor };

export interface TestOrigins {
  /** http://localhost:<p>: the page. */
  page: string;
  /** http://127.0.0.1:<q>: the API, another origin. */
  api: string;
  /** Answers every request held with `/held/...` that is waiting, and every later one at once. */
  releaseHeld(): void;
  /** Requests the API server has seen, as "METHOD /path". */
  seen: string[];
  close(): Promise<void>;
}

/**
 * API routes (each path may end with any token, so no cache ever answers):
 * - /allowed/…: GET answered with Access-Control-Allow-Origin echoing the Origin;
 * - /blocked/…: GET answered 200 without CORS headers;
 * - /no-foo/…: a preflight that allows PUT but not the X-Foo header (the PUT never comes);
 * - /held/…: a correct preflight for PUT + X-Foo that is held until releaseHeld(), then the PUT is allowed.
 */
export async function startOrigins(): Promise<TestOrigins> {
  const held: Array<() => void> = [];
  let released = false;
  const seen: string[] = [];
  const api = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    seen.push(`${req.method} ${path}`);
    const origin = req.headers.origin ?? '*';
    res.setHeader('Cache-Control', 'no-store');
    const allow = (): void => void res.setHeader('Access-Control-Allow-Origin', origin);
    if (path.startsWith('/allowed/')) allow();
    else if (path.startsWith('/no-foo/') && req.method === 'OPTIONS') {
      allow();
      res.setHeader('Access-Control-Allow-Methods', 'PUT');
    } else if (path.startsWith('/held/')) {
      allow();
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'PUT');
        res.setHeader('Access-Control-Allow-Headers', 'x-foo');
        const answer = (): void => void res.writeHead(204).end();
        if (released) answer();
        else held.push(answer);
        return;
      }
    }
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, { 'Content-Type': 'text/plain' }).end('ok');
  });
  const page = createServer((req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (req.url?.startsWith('/same/')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('same');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Corsight test page</title><p>page</p>');
  });
  const listen = (s: Server): Promise<number> =>
    new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  const pagePort = await listen(page);
  const apiPort = await listen(api);
  const releaseHeld = (): void => {
    released = true;
    for (const answer of held.splice(0)) answer();
  };
  return {
    page: `http://localhost:${pagePort}`,
    api: `http://127.0.0.1:${apiPort}`,
    seen,
    releaseHeld,
    async close() {
      // Held requests would keep close() waiting.
      releaseHeld();
      page.closeAllConnections();
      api.closeAllConnections();
      await Promise.all([page, api].map((s) => new Promise((r) => s.close(r))));
    },
  };
}

export interface ChromiumWithExtension {
  context: BrowserContext;
  extensionId: string;
  close(): Promise<void>;
}

/** Chromium with dist/chrome loaded (docs/browser-facts.md §1), headless, no DevTools window. */
export async function launchChromium(): Promise<ChromiumWithExtension> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'corsight-capture-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Playwright passes --disable-extensions by default, which would win over --load-extension.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      ...extensionArgs(chromeDir),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    extensionId: new URL(worker.url()).host,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The chrome.* members used by callbacks evaluated in an extension page (no @types/chrome here). */
interface ChromeApi {
  tabs: { query(q: { url?: string }): Promise<Array<{ id?: number; url?: string }>> };
  action: {
    getBadgeText(d: { tabId: number }): Promise<string>;
    getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]>;
  };
}
declare const chrome: ChromeApi;

/** An extension page to talk to the background from (panel.html without a tab id opens no port of its own). */
export async function openExtensionPage(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/panel.html`);
  return page;
}

/**
 * An expression for an extension page: sends `commands` then `subscribe` on one fresh port (one port keeps their
 * order), like a panel connecting, and resolves with the snapshot as JSON. The port is closed afterwards, so nothing
 * keeps the background busy. A string, so the same code runs in Chromium (Playwright) and Firefox (BiDi).
 */
export function snapshotOf(ext: Page, tabId: number, commands: PanelMessage[] = []): Promise<TabSnapshot> {
  return readSnapshot(ext, tabId, commands);
}

export async function tabIdOf(ext: Page, url: string): Promise<number> {
  const tabs = await ext.evaluate((url) => chrome.tabs.query({ url }), url);
  const id = tabs[0]?.id;
  if (id === undefined) throw new Error(`no tab has ${url}`);
  return id;
}

export async function badgeOf(ext: Page, tabId: number): Promise<{ text: string; color: number[] }> {
  return ext.evaluate(async (tabId) => ({
    text: await chrome.action.getBadgeText({ tabId }),
    color: await chrome.action.getBadgeBackgroundColor({ tabId }),
  }), tabId);
}

/** A fetch from the page (Playwright's or puppeteer's); resolves with how it ended instead of throwing. */
export async function pageFetch(page: { evaluate(expression: string): Promise<unknown> }, url: string, init: RequestInit = {}): Promise<string> {
  const script = `fetch(${JSON.stringify(url)}, ${JSON.stringify(init)}).then((r) => 'status ' + r.status, (e) => 'rejected ' + String(e))`;
  return String(await page.evaluate(script));
}

/** Reads the watched tab's snapshot after sending `commands` (see snapshotScript). */
export type Snapshots = (commands?: PanelMessage[]) => Promise<TabSnapshot>;

/**
 * The background's listeners are not live the moment its worker exists (docs/browser-facts.md §3): fetch a
 * throwaway URL until the background reports it, then clear the tab.
 */
export async function warmUp(fetchUrl: (url: string) => Promise<string>, snapshot: Snapshots, tabId: number, api: string): Promise<void> {
  for (let i = 0; ; i++) {
    const url = `${api}/allowed/warm-up-${i}`;
    await fetchUrl(url);
    const snap = await snapshot();
    if (snap.exchanges.some((r) => r.exchange.hops[0]?.url === url && r.exchange.end.state !== 'pending')) break;
    if (i > 100) throw new Error('the background never reported a request');
    await sleep(50);
  }
  await snapshot([{ type: 'clear', tabId }]);
}

/** The parts of puppeteer's internal BiDi connection used here (public in practice, missing from the typings). */
export interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
  on(event: string, handler: (params: never) => void): unknown;
  off(event: string, handler: (params: never) => void): unknown;
}

export interface FirefoxWithExtension {
  browser: PuppeteerBrowser;
  /** The raw BiDi connection, for events and commands puppeteer does not wrap (log.entryAdded, downloads). */
  bidi: BidiConnection;
  addonId: string;
  /** Evaluates `expression` (a string, or a promise of one) in a browsing context and returns that string. */
  evaluate(context: string, expression: string): Promise<string>;
  /** Firefox's own view of the event page: "running", "suspending", "stopped", ... */
  backgroundState(): Promise<string>;
  /** Opens an extension page in a new tab and returns its browsing context once it has loaded. */
  openExtensionPage(path: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Firefox ESR over WebDriver BiDi with dist/firefox installed (docs/browser-facts.md §2). System access lets BiDi
 * read the add-on's state with chrome privileges and load moz-extension:// pages (§10a).
 */
export async function launchFirefox(prefs: Record<string, unknown> = {}): Promise<FirefoxWithExtension> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'corsight-capture-ff-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: prefs,
  });
  const bidi = (browser as unknown as { connection: BidiConnection }).connection;
  const addonId = await browser.installExtension(firefoxDir);
  const { result } = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const chromeContext = (result as { contexts: { context: string }[] }).contexts[0]?.context ?? '';

  async function evaluate(context: string, expression: string): Promise<string> {
    const { result } = await bidi.send('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' });
    const r = result as { type: string; result?: { type: string; value?: unknown }; exceptionDetails?: { text?: string } };
    if (r.type !== 'success') throw new Error(`evaluation failed: ${r.exceptionDetails?.text ?? JSON.stringify(r)}`);
    if (r.result?.type !== 'string' || typeof r.result.value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(r.result)}`);
    return r.result.value;
  }
  const policy = `WebExtensionPolicy.getByID(${JSON.stringify(addonId)})`;
  const hostname = await evaluate(chromeContext, `${policy}.mozExtensionHostname`);

  return {
    browser,
    bidi,
    addonId,
    evaluate,
    backgroundState: () => evaluate(chromeContext, `String(${policy}.extension.backgroundState)`),
    async openExtensionPage(path) {
      const { result } = await bidi.send('browsingContext.create', { type: 'tab' });
      const context = (result as { context: string }).context;
      // wait:'none' and polling: waiting for a moz-extension:// load times out over BiDi (§10a).
      await bidi.send('browsingContext.navigate', { context, url: `moz-extension://${hostname}/${path}`, wait: 'none' });
      await waitFor('the extension page', () =>
        evaluate(context, `location.protocol + document.readyState`).then((s) => (s === 'moz-extension:complete' ? true : undefined), () => undefined),
      );
      return context;
    },
    async close() {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Firefox: the id of the tab showing `url`, asked from an extension page's browsing context. tabs.query's url
 *  patterns with a port are not trusted on Firefox (docs/browser-facts.md §11), so the whole list is filtered here. */
export function firefoxTabIdOf(ff: FirefoxWithExtension, context: string, url: string): Promise<number> {
  return waitFor(`the tab id of ${url}`, async () => {
    const ids = JSON.parse(
      await ff.evaluate(context, `browser.tabs.query({}).then((tabs) => JSON.stringify(tabs.filter((t) => t.url === ${JSON.stringify(url)}).map((t) => t.id)))`),
    ) as number[];
    if (ids.length > 1) throw new Error(`several tabs show ${url}`);
    return ids[0];
  });
}

/** Chromium: opens `url` in a new tab and warms the background's listeners up on `warmOrigin` (§3: they go live a
 *  moment after the worker starts), then clears the tab. `before` runs in the new tab first (a cookie to set, say). */
export async function openWatchedChromiumTab(
  browser: ChromiumWithExtension,
  url: string,
  warmOrigin: string,
  before?: (page: Page) => Promise<void>,
): Promise<{ page: Page; ext: Page; tabId: number; snapshot: Snapshots }> {
  const page = await browser.context.newPage();
  await before?.(page);
  await page.goto(url);
  const ext = await openExtensionPage(browser.context, browser.extensionId);
  const tabId = await tabIdOf(ext, url);
  const snapshot: Snapshots = (commands) => snapshotOf(ext, tabId, commands);
  await warmUp((u) => pageFetch(page, u), snapshot, tabId, warmOrigin);
  return { page, ext, tabId, snapshot };
}

/** A Firefox tab that Corsight watches, with an extension page to talk to the background from. */
export interface WatchedFirefoxTab {
  page: PuppeteerPage;
  /** The extension page's browsing context. */
  ext: string;
  tabId: number;
  snapshot: Snapshots;
}

/** Firefox: opens `url` in a new tab and warms the background's listeners up on `warmOrigin` (§3: they may not be
 *  live yet), then clears the tab. `before` runs in the new tab first (a cookie to set, say). */
export async function openWatchedFirefoxTab(
  ff: FirefoxWithExtension,
  url: string,
  warmOrigin: string,
  before?: (page: PuppeteerPage) => Promise<void>,
): Promise<WatchedFirefoxTab> {
  const page = await ff.browser.newPage();
  await before?.(page);
  await page.goto(url);
  const ext = await ff.openExtensionPage('panel.html');
  const tabId = await firefoxTabIdOf(ff, ext, url);
  const snapshot: Snapshots = (commands) => firefoxSnapshotOf(ff, ext, tabId, commands);
  await warmUp((u) => pageFetch(page, u), snapshot, tabId, warmOrigin);
  return { page, ext, tabId, snapshot };
}

/** snapshotOf() for Firefox, from an extension page's browsing context. */
export function firefoxSnapshotOf(ff: FirefoxWithExtension, context: string, tabId: number, commands: PanelMessage[] = []): Promise<TabSnapshot> {
  return readSnapshot({ evaluate: (script) => ff.evaluate(context, script) }, tabId, commands);
}
