// `npm start`: builds, starts the demo, and opens Chromium (or, with --browser firefox, Firefox ESR) with Corsight and
// DevTools on its panel; without a display it sends the whole gallery headless, prints what the panel shows for each
// request, and exits.
import { parseArgs } from 'node:util';
import { clickRunAll, clickRunAllPuppeteer } from '../demo/drive.ts';
import { RUN_ALL } from '../demo/gallery.ts';
import { DEFAULT_PORT, startDemo, type RunningDemo } from '../demo/server.ts';
import { visible } from '../src/panel/format.ts';
import { buildAll } from './build.ts';
import {
  assertChrome,
  ChromeNotFoundError,
  chromePath,
  openDevtoolsPanel,
  openPanelTab,
  type LaunchedChromium,
} from './chromium.ts';
import { openDemoSession, type DemoSession } from './demo-session.ts';
import { assertFirefox, FirefoxNotFoundError, firefoxPath, launchFirefox, type LaunchedFirefox } from './firefox.ts';
import { readDetailedRows, readPanelRows, settledRows, type DetailedRow, type PanelView } from './panel-reader.ts';

const USAGE = `Usage: npm start -- [options]

Builds Corsight, starts the demo gallery (page http://localhost:<port>, API http://127.0.0.1:<port+1>) and opens
Chromium with Corsight loaded and DevTools open on the Corsight panel (Firefox ESR with --browser firefox: open the
toolbox with F12 and choose Corsight).
Without a display (no DISPLAY) it runs headless: sends every demo request, prints what the panel shows, and exits.

Options:
  --port <n>        demo page port (default ${DEFAULT_PORT}; the demo also uses n+1 and n+2)
  --chrome <path>   Chromium binary (default: $CHROME_PATH, else /usr/bin/chromium)
  --firefox <path>  Firefox binary for --browser firefox (default: $FIREFOX_PATH, else /usr/bin/firefox-esr)
  --browser <name>  chrome (default) or firefox
  --headless        run headless even with a display
  --keep            keep the browser and the demo running until Ctrl-C (also headless)
  -h, --help        this text`;

interface Options {
  browser: 'chrome' | 'firefox';
  port: number;
  /** The binary of the chosen browser. */
  executable: string;
  headless: boolean;
  keep: boolean;
}

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        chrome: { type: 'string' },
        firefox: { type: 'string' },
        browser: { type: 'string', default: 'chrome' },
        headless: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const browser = values.browser === 'firefox' ? 'firefox' : values.browser === 'chrome' || values.browser === 'chromium' ? 'chrome' : null;
  if (browser === null) fail(`--browser must be chrome or firefox, not "${values.browser}"`, 2);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  // The demo needs port, port + 1 and port + 2.
  if (!Number.isInteger(port) || port < 1 || port > 65533) fail(`--port must be a port number up to 65533, not "${values.port}"`, 2);
  return {
    browser,
    port,
    executable: browser === 'firefox' ? firefoxPath(values.firefox) : chromePath(values.chrome),
    headless: values.headless || !process.env.DISPLAY,
    keep: values.keep,
  };
}

/** What the panel shows: its rows once settled, each with what its detail view adds (Chromium and Firefox alike). */
async function panelRows(panel: PanelView): Promise<DetailedRow[]> {
  const rows = await settledRows(() => readPanelRows(panel), RUN_ALL.length);
  return readDetailedRows(panel, rows);
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, text: string): string => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

/** One line per request, blocked ones first (each group in the order the page sent them). */
function formatRows(rows: readonly DetailedRow[], apiOrigin: string): string[] {
  const ordered = [...rows.filter((r) => r.verdict === 'blocked'), ...rows.filter((r) => r.verdict !== 'blocked')];
  const where = (url: string): string => (url.startsWith(`${apiOrigin}/`) ? url.slice(apiOrigin.length) : url);
  const widths = {
    label: Math.max(...ordered.map((r) => r.label.length)),
    method: Math.max(...ordered.map((r) => r.method.length)),
    path: Math.max(...ordered.map((r) => where(r.url).length)),
  };
  return ordered.map((r) => {
    // Every field came from a server or the page: show control characters as escapes, never send them to the terminal.
    const label = visible(r.label).padEnd(widths.label);
    const cells = [
      r.verdict === 'blocked' ? paint('1;31', label) : r.verdict === 'allowed' ? paint('32', label) : paint('33', label),
      visible(r.method).padEnd(widths.method),
      visible(where(r.url)).padEnd(widths.path),
      visible(r.reason),
    ];
    // What the detail view adds that matters at a glance: the real status and security findings.
    if (r.hiddenStatus !== null) cells.push(paint('1', `(the server answered ${r.hiddenStatus})`));
    for (const f of r.findings) cells.push(paint('33', `${f.severity}: ${visible(f.title)}`));
    return cells.join('  ');
  });
}

/** Resolves on Ctrl-C or when the user closes the browser. */
function untilStopped(launched: LaunchedChromium): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    launched.context.once('close', () => resolve());
  });
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.browser === 'firefox') return mainFirefox(options);
  try {
    assertChrome(options.executable);
  } catch (err) {
    if (err instanceof ChromeNotFoundError) fail(err.message);
    throw err;
  }
  await buildAll();

  let session: DemoSession | null = null;
  // A Ctrl-C before the run finished must not leave a browser, a temp profile or a listening port behind.
  const interrupted = (): void => {
    void (session?.close() ?? Promise.resolve()).then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    session = await openDemoSession({
      port: options.port,
      executablePath: options.executable,
      headless: options.headless,
      devtools: true,
      // Wide enough that DevTools docked at the bottom shows the Corsight tab without the "»" overflow.
      size: options.headless ? { width: 1920, height: 1080 } : { width: 1440, height: 960 },
    });
    const { demo, launched, page, tabId } = session;
    console.log(`demo page ${demo.pageOrigin}/  ·  API ${demo.apiOrigin}  ·  third origin ${demo.thirdOrigin}`);
    // Before any other tab opens: headless, only the first tab's DevTools renders extension panels.
    try {
      const devtools = await openDevtoolsPanel(launched, page);
      await devtools.client.disconnect();
    } catch (err) {
      console.warn(`Could not select the Corsight panel in DevTools (${(err as Error).message}); choose it by hand.`);
    }

    if (options.headless) {
      const started = performance.now();
      await clickRunAll(page);
      const panel = await openPanelTab(launched, tabId);
      const rows = await panelRows(panel);
      const blocked = rows.filter((r) => r.verdict === 'blocked').length;
      console.log(
        `\nWhat the Corsight panel shows for ${page.url()} (tab ${tabId}): ${rows.length} requests, ${blocked} blocked ` +
          `(${Math.round(performance.now() - started)} ms)\n`,
      );
      for (const line of formatRows(rows, demo.apiOrigin)) console.log(line);
    }
    if (!options.headless || options.keep) {
      console.log(
        options.headless
          ? `\nChromium keeps running headless (DevTools protocol on http://127.0.0.1:${launched.debuggingPort}). Ctrl-C stops it.`
          : '\nChromium is open on the demo gallery with DevTools on the Corsight panel. Press "Run all" or a card\'s ' +
              'Send button and watch the panel. Ctrl-C here (or closing the browser) stops everything.',
      );
      process.off('SIGINT', interrupted);
      await untilStopped(launched);
    }
  } finally {
    await session?.close();
  }
}

/** Resolves on Ctrl-C or when the user closes Firefox. */
function untilFirefoxStopped(launched: LaunchedFirefox): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    launched.browser.once('disconnected', () => resolve());
  });
}

/**
 * npm start -- --browser firefox: the demo and Firefox ESR with dist/firefox installed (puppeteer-core over WebDriver
 * BiDi, as the Firefox tests do). Headless, the panel is read as the full-tab view: BiDi may load moz-extension://
 * pages once Firefox runs with --remote-allow-system-access (browser-facts §10a); a user gets the same view from the
 * panel's own "open in a tab".
 */
async function mainFirefox(options: Options): Promise<void> {
  try {
    assertFirefox(options.executable);
  } catch (err) {
    if (err instanceof FirefoxNotFoundError) fail(err.message);
    throw err;
  }
  await buildAll(['firefox']);

  let demo: RunningDemo | null = null;
  let launched: LaunchedFirefox | null = null;
  const close = async (): Promise<void> => {
    await launched?.close();
    await demo?.close();
  };
  // A Ctrl-C before the run finished must not leave Firefox, a temp profile or a listening port behind.
  const interrupted = (): void => {
    void close().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    demo = await startDemo({ port: options.port });
    const firefox = await launchFirefox({ executablePath: options.executable, headless: options.headless });
    launched = firefox;
    const { page } = firefox;
    await page.goto(`${demo.pageOrigin}/`);
    console.log(`demo page ${demo.pageOrigin}/  ·  API ${demo.apiOrigin}  ·  third origin ${demo.thirdOrigin}`);

    if (options.headless) {
      const started = performance.now();
      await clickRunAllPuppeteer(page);
      // 1920×1080 holds every gallery row, as in the Chromium run: the list only renders rows in view.
      const size = { width: 1920, height: 1080 };
      // Any extension page can ask tabs.query for the demo tab's id; the panel then opens on that tab.
      const lookup = await firefox.openExtensionTab('panel.html', size);
      const tabId = await firefox.tabIdOf(lookup, page.url());
      const panel = await firefox.openExtensionTab(`panel.html?tabId=${tabId}`, size);
      const rows = await panelRows(firefox.panelDocument(panel));
      const blocked = rows.filter((r) => r.verdict === 'blocked').length;
      console.log(
        `\nWhat the Corsight panel shows in Firefox for ${page.url()} (tab ${tabId}): ${rows.length} requests, ` +
          `${blocked} blocked (${Math.round(performance.now() - started)} ms)\n`,
      );
      for (const line of formatRows(rows, demo.apiOrigin)) console.log(line);
    }
    if (!options.headless || options.keep) {
      console.log(
        options.headless
          ? '\nFirefox keeps running headless. Ctrl-C stops it.'
          : '\nFirefox is open on the demo gallery with Corsight installed. Open the toolbox (F12), choose the Corsight ' +
              'panel, then press "Run all" or a card\'s Send button. Ctrl-C here (or closing Firefox) stops everything.',
      );
      process.off('SIGINT', interrupted);
      await untilFirefoxStopped(firefox);
    }
  } finally {
    await close();
  }
}

await main().then(
  () => process.exit(0),
  (err: unknown) => fail(`npm start failed: ${err instanceof Error ? err.message : String(err)}`),
);
