// Launches Chromium with the built extension (playwright-core) and reaches its panel: shared by start, screenshot, e2e.
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser, type Frame as PuppeteerFrame, type Page as PuppeteerPage } from 'puppeteer-core';
import { outDir } from '../vite.config.ts';

export const DEFAULT_CHROME_PATH = '/usr/bin/chromium';

/** Keeps the browser off the network and quiet (docs/browser-facts.md §1). */
export const NO_NETWORK_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Flags that load one unpacked extension in a quiet, offline Chromium. Launch with
 *  `ignoreDefaultArgs: ['--disable-extensions']`: Playwright's default flag would win over --load-extension. */
export function extensionArgs(extensionDir: string): string[] {
  return [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...NO_NETWORK_ARGS];
}

/** The chrome.* members that callbacks evaluated in the extension's service worker use (no @types/chrome here). */
declare const chrome: {
  tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> };
};

export interface LaunchOptions {
  executablePath?: string;
  headless: boolean;
  /** Unpacked extension to load; defaults to dist/chrome. */
  extensionDir?: string;
  /** Open DevTools with every tab and expose a CDP port on 127.0.0.1 so a second client can drive DevTools itself. */
  devtools?: boolean;
  /** Window size for headful runs, and the page viewport for headless ones. */
  size?: { width: number; height: number };
}

export interface LaunchedChromium {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** The remote debugging port when `devtools` was asked for. */
  debuggingPort: number | null;
  /** Closes the browser and removes its temporary profile. */
  close(): Promise<void>;
}

export class ChromeNotFoundError extends Error {
  constructor(readonly path: string) {
    super(
      `No Chromium at ${path}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or point CHROME_PATH or ` +
        '--chrome <path> at a Chromium or Chrome for Testing binary.',
    );
  }
}

/** `--chrome <path>` wins over CHROME_PATH, which wins over the Debian default. */
export function chromePath(flag?: string): string {
  return flag ?? process.env.CHROME_PATH ?? DEFAULT_CHROME_PATH;
}

/** Throws ChromeNotFoundError unless `path` is an executable file: checked before anything slow starts. */
export function assertChrome(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new ChromeNotFoundError(path);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function launchChromium(options: LaunchOptions): Promise<LaunchedChromium> {
  const executablePath = options.executablePath ?? chromePath();
  assertChrome(executablePath);
  const extensionDir = options.extensionDir ?? outDir('chrome');
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`${extensionDir} is not built: run \`npm run build\` first`);
  const size = options.size ?? { width: 1280, height: 800 };
  const userDataDir = mkdtempSync(join(tmpdir(), 'corsight-chromium-'));
  const args = [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...NO_NETWORK_ARGS];
  let debuggingPort: number | null = null;
  if (options.devtools) {
    // DevTools docked at the bottom of a wide window keeps the extension's panel tab out of the "»" overflow menu,
    // which CDP cannot click (docs/browser-facts.md §10).
    mkdirSync(join(userDataDir, 'Default'));
    writeFileSync(
      join(userDataDir, 'Default', 'Preferences'),
      JSON.stringify({ devtools: { preferences: { currentDockState: '"bottom"' } } }),
    );
    debuggingPort = await freePort();
    args.push('--auto-open-devtools-for-tabs', `--remote-debugging-port=${debuggingPort}`, '--remote-debugging-address=127.0.0.1');
  }
  if (!options.headless || options.devtools) args.push(`--window-size=${size.width},${size.height}`);
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: options.headless,
      // Playwright passes --disable-extensions by default, which would win over --load-extension.
      ignoreDefaultArgs: ['--disable-extensions'],
      args,
      // Headful: the window decides the size, as for any browser the user opens. Headless: a fixed viewport.
      viewport: options.headless ? size : null,
      // Playwright's own Ctrl-C handling kills the browser and exits before close() can remove the temp profile;
      // callers stop through close() instead.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const isExtension = (w: Worker): boolean => w.url().startsWith('chrome-extension://');
    // Branded Google Chrome 137+ ignores --load-extension: without this timeout such a run would hang here.
    const worker =
      context.serviceWorkers().find(isExtension) ??
      (await context
        .waitForEvent('serviceworker', { predicate: isExtension, timeout: 15_000 })
        .catch(() => {
          throw new Error(
            `${executablePath} did not load the extension from ${extensionDir} (no service worker after 15 s). ` +
              'Branded Google Chrome ignores --load-extension since version 137: use Chromium or Chrome for Testing.',
          );
        }));
    const launched = context;
    return {
      context: launched,
      worker,
      extensionId: new URL(worker.url()).host,
      debuggingPort,
      close: async () => {
        await launched.close().catch(() => {});
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context?.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Waits until the extension's listeners are live. The worker target exists before its top-level code has run
 * (browser-facts §3: a navigation issued at once was missed, one 500 ms later was seen), so wait for activation and
 * then the measured margin.
 */
export async function extensionReady(worker: Worker): Promise<void> {
  await waitFor('the service worker to activate', async () => {
    const state = await worker.evaluate(
      () => (self as unknown as { serviceWorker?: { state: string } }).serviceWorker?.state ?? 'none',
    );
    if (state === 'redundant') throw new Error('the extension service worker failed to start (state "redundant")');
    return state === 'activated' ? true : undefined;
  });
  await new Promise((r) => setTimeout(r, 500));
}

/** The extension's tab id for a page (what the panel takes as `?tabId=`), found by URL through chrome.tabs. */
export async function tabIdOf(launched: LaunchedChromium, page: Page): Promise<number> {
  const url = page.url();
  return waitFor(`the tab id of ${url}`, async () => {
    const tabs = await launched.worker.evaluate(() => chrome.tabs.query({}));
    const matches = tabs.filter((t) => t.url === url && t.id !== undefined);
    if (matches.length > 1) throw new Error(`several tabs show ${url}: cannot tell which one to inspect`);
    return matches[0]?.id;
  });
}

/** Opens the panel as an ordinary tab for the inspected tab (browser-facts §10, the simple route). */
export async function openPanelTab(launched: LaunchedChromium, tabId: number): Promise<Page> {
  const page = await launched.context.newPage();
  await page.goto(`chrome-extension://${launched.extensionId}/panel.html?tabId=${tabId}`);
  return page;
}

export interface DevtoolsPanel {
  /** The second CDP client: disconnect it when done (the browser keeps running). */
  client: PuppeteerBrowser;
  devtools: PuppeteerPage;
  /** The panel's frame inside the DevTools window. */
  frame: PuppeteerFrame;
}

/**
 * Selects the Corsight panel in the real DevTools window of `page` and returns the panel's frame.
 * Headless, call it while `page` is the only tab: the DevTools of a tab that was ever in the background stays
 * `hidden` and never adds extension panels, and neither page's nor DevTools' bringToFront changes that (measured).
 * Playwright gives no page for DevTools windows; puppeteer can treat them as pages, so it connects as a second
 * client to the same browser (browser-facts §10).
 */
export async function openDevtoolsPanel(launched: LaunchedChromium, page: Page, title = 'Corsight'): Promise<DevtoolsPanel> {
  if (launched.debuggingPort === null) throw new Error('launchChromium({devtools: true}) is needed to reach DevTools');
  const tabId = await tabIdOf(launched, page);
  const client = await puppeteer.connect({
    browserURL: `http://127.0.0.1:${launched.debuggingPort}`,
    handleDevToolsAsPage: true,
    defaultViewport: null,
  });
  try {
    const devtools = await waitFor(`the DevTools window of tab ${tabId}`, async () => {
      for (const target of client.targets()) {
        if (!target.url().startsWith('devtools://')) continue;
        const window = await target.asPage();
        // DevTools' URL does not name the inspected tab, but the extension's devtools page inside it knows, through
        // public API: every DevTools window loads one.
        const devtoolsPage = window.frames().find((f) => f.url().startsWith(`chrome-extension://${launched.extensionId}/`));
        const inspected = await devtoolsPage
          ?.evaluate(() => (globalThis as { chrome?: { devtools?: { inspectedWindow: { tabId: number } } } }).chrome?.devtools?.inspectedWindow.tabId)
          .catch(() => undefined);
        if (inspected === tabId) return window;
      }
      return undefined;
    });
    const tab = await devtools.waitForSelector(`aria/${title}[role="tab"]`, { timeout: 15_000 });
    await tab?.click();
    const frame = await waitFor('the panel frame', () => devtools.frames().find((f) => f.url().includes('/panel.html')));
    return { client, devtools, frame };
  } catch (err) {
    await client.disconnect();
    throw err;
  }
}
