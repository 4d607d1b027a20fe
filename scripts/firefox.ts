// Launches Firefox ESR with the built extension (puppeteer-core 24 over WebDriver BiDi) and reaches its pages: what
// `npm start -- --browser firefox` uses. The measured facts behind each step: docs/browser-facts.md §2 and §10a.
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { outDir } from '../vite.config.ts';
import type { PanelView } from './panel-reader.ts';
import { waitFor } from './chromium.ts';

export const DEFAULT_FIREFOX_PATH = '/usr/bin/firefox-esr';

export class FirefoxNotFoundError extends Error {
  constructor(readonly path: string) {
    super(
      `No Firefox at ${path}. Install it (Debian/Ubuntu: sudo apt-get install firefox-esr) or point FIREFOX_PATH or ` +
        '--firefox <path> at a Firefox binary (ESR 128 or later: it needs WebDriver BiDi webExtension.install).',
    );
  }
}

/** `--firefox <path>` wins over FIREFOX_PATH, which wins over the Debian default. */
export function firefoxPath(flag?: string): string {
  return flag ?? process.env.FIREFOX_PATH ?? DEFAULT_FIREFOX_PATH;
}

/** Throws FirefoxNotFoundError unless `path` is an executable file: checked before anything slow starts. */
export function assertFirefox(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new FirefoxNotFoundError(path);
  }
}

/** The part of puppeteer's internal BiDi connection used here: public in practice in 24.x, missing from the typings
 *  (browser-facts §2), so it is cast and the version stays pinned. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

/**
 * A real mouse click (BiDi `input.performActions`) in the middle of the first element matching the CSS `selector` in
 * browsing context `context`, once it exists, scrolled into view first, as Playwright's click does. Works in the
 * moz-extension:// tabs that puppeteer cannot wrap as pages (browser-facts §10a).
 */
export async function bidiClick(bidi: BidiConnection, context: string, selector: string): Promise<void> {
  const [x, y] = await waitFor(`an element to click: ${selector}`, async () => {
    const { result } = await bidi.send('script.evaluate', {
      expression: `(() => {
        const el = document.querySelector(${JSON.stringify(selector)});
        if (!el) return '';
        el.scrollIntoView({ block: 'nearest' });
        const r = el.getBoundingClientRect();
        return Math.round(r.x + r.width / 2) + ',' + Math.round(r.y + r.height / 2);
      })()`,
      target: { context },
      awaitPromise: false,
      resultOwnership: 'none',
    });
    const r = result as { type: string; result?: { type: string; value?: unknown } };
    const at = r.type === 'success' && typeof r.result?.value === 'string' ? r.result.value : '';
    return at === '' ? undefined : at.split(',').map(Number);
  });
  await bidi.send('input.performActions', {
    context,
    actions: [
      {
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [{ type: 'pointerMove', x, y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
      },
    ],
  });
}

export interface FirefoxLaunchOptions {
  executablePath: string;
  headless: boolean;
  /** Extension folder to install; defaults to dist/firefox. */
  extensionDir?: string;
}

export interface LaunchedFirefox {
  browser: Browser;
  /** The add-on's gecko id (what installExtension returned). */
  addonId: string;
  /** The host of its moz-extension:// pages. */
  hostname: string;
  /** The first tab, ready for a web page. */
  page: Page;
  /** Evaluates `expression` (may be a promise) in a browsing context and returns its value through JSON. */
  evaluate(context: string, expression: string): Promise<unknown>;
  /** Opens an extension page (e.g. `panel.html?tabId=3`) in a new tab, once it has loaded; returns its context id. */
  openExtensionTab(path: string, size?: { width: number; height: number }): Promise<string>;
  /** The extension tab id of the tab showing `url`, asked through the extension API from one of its own pages. */
  tabIdOf(extensionContext: string, url: string): Promise<number>;
  /** The panel in an extension tab, for scripts/panel-reader.ts: evaluate, and real clicks. */
  panelDocument(context: string): PanelView;
  /** Closes Firefox and removes its temporary profile. */
  close(): Promise<void>;
}

export async function launchFirefox(options: FirefoxLaunchOptions): Promise<LaunchedFirefox> {
  assertFirefox(options.executablePath);
  const extensionDir = options.extensionDir ?? outDir('firefox');
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`${extensionDir} is not built: run \`npm run build\` first`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'corsight-firefox-'));
  let browser: Browser | null = null;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: options.executablePath,
      headless: options.headless,
      userDataDir,
      // The window decides the page size, as in the browser the user opens.
      defaultViewport: null,
      // Lets BiDi evaluate with chrome privileges (to see the add-on's state) and load moz-extension:// pages, which
      // plain BiDi navigation refuses (browser-facts §10a).
      args: ['--remote-allow-system-access'],
      // Puppeteer's own signal handling would kill Firefox before close() can remove the temp profile.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const bidi = (browser as unknown as { connection: BidiConnection }).connection;

    const evaluate = async (context: string, expression: string): Promise<unknown> => {
      const { result } = await bidi.send('script.evaluate', {
        // JSON keeps the result a plain value whatever BiDi's RemoteValue encoding of it would be.
        expression: `(async () => JSON.stringify(await (${expression})) ?? 'null')()`,
        target: { context },
        awaitPromise: true,
        resultOwnership: 'none',
      });
      const r = result as { type: string; result?: { type: string; value?: unknown }; exceptionDetails?: { text?: string } };
      if (r.type !== 'success') throw new Error(`evaluation failed: ${r.exceptionDetails?.text ?? JSON.stringify(r)}`);
      if (r.result?.type !== 'string' || typeof r.result.value !== 'string') throw new Error(`unexpected result ${JSON.stringify(r.result)}`);
      return JSON.parse(r.result.value) as unknown;
    };

    // A temporary install, as about:debugging does; it rejects a manifest Firefox cannot load.
    const addonId = await browser.installExtension(extensionDir);
    const { result: tree } = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const chromeContext = (tree as { contexts: Array<{ context: string }> }).contexts[0]?.context;
    if (chromeContext === undefined) throw new Error('Firefox listed no chrome-scope browsing context');
    const policy = `WebExtensionPolicy.getByID(${JSON.stringify(addonId)})`;
    const hostname = await evaluate(chromeContext, `${policy}.mozExtensionHostname`);
    if (typeof hostname !== 'string') throw new Error(`no moz-extension host for ${addonId}`);
    // The demo page must load after the background's listeners are live, or its requests would be missed.
    await waitFor('the background script to run', async () =>
      (await evaluate(chromeContext, `${policy}.extension.backgroundState`)) === 'running' ? true : undefined,
    );
    const page = (await browser.pages())[0] ?? (await browser.newPage());

    const openExtensionTab = async (path: string, size?: { width: number; height: number }): Promise<string> => {
      const { result } = await bidi.send('browsingContext.create', { type: 'tab' });
      const context = (result as { context: string }).context;
      // The panel's list is virtual: only rows in view exist, so a reader needs a view tall enough for all of them.
      if (size) await bidi.send('browsingContext.setViewport', { context, viewport: size });
      // wait:'none' and polling: waiting for the load of a moz-extension:// page times out over BiDi (§10a).
      await bidi.send('browsingContext.navigate', { context, url: `moz-extension://${hostname}/${path}`, wait: 'none' });
      await waitFor(`${path} to load`, async () => {
        const state = await evaluate(context, `location.host === ${JSON.stringify(hostname)} && document.readyState`).catch(() => false);
        return state === 'complete' ? true : undefined;
      });
      return context;
    };

    const tabIdOf = (extensionContext: string, url: string): Promise<number> =>
      waitFor(`the tab id of ${url}`, async () => {
        const ids = await evaluate(
          extensionContext,
          `browser.tabs.query({}).then((tabs) => tabs.filter((t) => t.url === ${JSON.stringify(url)}).map((t) => t.id))`,
        );
        if (!Array.isArray(ids)) throw new Error(`tabs.query gave ${JSON.stringify(ids)}`);
        if (ids.length > 1) throw new Error(`several tabs show ${url}: cannot tell which one to inspect`);
        return typeof ids[0] === 'number' ? ids[0] : undefined;
      });

    const panelDocument = (context: string): PanelView => ({
      // The reader's functions are self-contained by design (panel-reader.ts), so their source runs as it is; the
      // result is trusted to have the function's type, as Playwright's evaluate trusts it.
      evaluate: async <R>(fn: () => R): Promise<R> => (await evaluate(context, `(${fn.toString()})()`)) as R,
      click: (selector) => bidiClick(bidi, context, selector),
    });

    const launched = browser;
    return {
      browser: launched,
      addonId,
      hostname,
      page,
      evaluate,
      openExtensionTab,
      tabIdOf,
      panelDocument,
      close: async () => {
        await launched.close().catch(() => {});
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
