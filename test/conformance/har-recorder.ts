// Plays conformance scenarios in a real browser and saves them as a HAR, keeping the browser's own verdict per
// fetch as the oracle a HAR-based diagnosis is compared with. Chromium: Playwright's recordHar or the real DevTools
// window's HAR writer (what "Export HAR" saves), oracle CDP Network.loadingFailed corsErrorStatus. Firefox:
// har-firefox.ts.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import puppeteer, { type Page as PuppeteerPage } from 'puppeteer-core';
import { launchChromium, NO_NETWORK_ARGS, waitFor } from '../../scripts/chromium.ts';
import { DEFAULT_FIREFOX_PATH } from '../../scripts/firefox.ts';
import { recordFirefoxHar, untilStable } from './har-firefox.ts';
import type { Oracle } from './fixture.ts';
import { pageFetch, scenarioFetchArgs } from './page-fetch.ts';
import { prepareRecorder } from './recorder.ts';
import type { Scenario } from './scenario.ts';
import { primeScenarioCookie, startScenarioServer, type Origins, type ScenarioServer } from './server.ts';

/** `playwright`: browser.newContext({ recordHar }) on Chromium. `devtools`: the HAR that Chromium's DevTools builds
 *  for its "Export HAR" (models/har), read from the DevTools window of the tab. `firefox`: Firefox's toolbox HAR
 *  (har-firefox.ts). */
export type HarSourceKind = 'playwright' | 'devtools' | 'firefox';

/** The browser's verdict for one fetch of one scenario; the HAR entries of that fetch carry `marker` in their URL. */
export interface HarOracle {
  id: string;
  fetch: number;
  /** `/s/<id>/<token>/`: every hop and preflight of the scenario's fetches. */
  marker: string;
  oracle: Oracle;
}

export interface HarRecording {
  source: HarSourceKind;
  browserVersion: string;
  recordedAt: string;
  origins: Origins;
  oracles: HarOracle[];
}

/** How long to wait for CDP's loadingFailed after the page saw its fetch rejected (it usually comes first). */
const VERDICT_WAIT_MS = 1000;

interface CdpFailure {
  errorText: string;
  corsError: string | null;
  failedParameter: string | null;
}

function chromiumVersion(executablePath: string, fallback: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(executablePath, ['--version'], { timeout: 10_000 }, (err, stdout) => {
      const m = /^(.*?\d+(?:\.\d+)+)/.exec(String(stdout).trim());
      resolve(err || !m ? `Chromium ${fallback}` : m[1]!);
    });
  });
}

/** Plays every scenario in `page` and returns Chromium's own verdict per fetch. */
async function play(context: BrowserContext, page: Page, server: ScenarioServer, scenarios: readonly Scenario[]): Promise<HarOracle[]> {
  const cdp = await context.newCDPSession(page);
  const urls = new Map<string, string>();
  const failures = new Map<string, CdpFailure>();
  cdp.on('Network.requestWillBeSent', (e) => {
    // Preflights have their own CDP request; the verdict belongs to the fetch itself.
    if (e.initiator.type !== 'preflight' && !urls.has(e.requestId)) urls.set(e.requestId, e.request.url);
  });
  cdp.on('Network.loadingFailed', (e) => {
    failures.set(e.requestId, {
      errorText: e.errorText,
      corsError: e.corsErrorStatus?.corsError ?? null,
      failedParameter: e.corsErrorStatus?.failedParameter ?? null,
    });
  });
  await cdp.send('Network.enable');
  const failureFor = (marker: string, seen: ReadonlySet<string>): CdpFailure | null => {
    for (const [id, url] of urls) {
      if (seen.has(id) || !url.includes(marker)) continue;
      const f = failures.get(id);
      if (f) return f;
    }
    return null;
  };

  const oracles: HarOracle[] = [];
  const used = new Set<string>();
  for (const scenario of scenarios) {
    const token = randomBytes(6).toString('hex');
    const marker = `/s/${scenario.id}/${token}/`;
    const args = scenarioFetchArgs(scenario, server.urlFor(scenario, token));
    await primeScenarioCookie(server, scenario, (a) => page.evaluate(pageFetch, a));
    for (let n = 0; n < (scenario.repeat ?? 1); n++) {
      const result = await page.evaluate(pageFetch, args);
      const oracle: Oracle = { fetch: result.fetch, status: result.status, chrome: { corsError: null, failedParameter: null, errorText: null } };
      if (result.fetch === 'rejected') {
        const deadline = Date.now() + VERDICT_WAIT_MS;
        let failure = failureFor(marker, used);
        while (!failure && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 10));
          failure = failureFor(marker, used);
        }
        if (failure) oracle.chrome = { ...failure };
      }
      // Every CDP request of this fetch is spent, so a repeat's verdict is never read from the one before.
      for (const [id, url] of urls) if (url.includes(marker)) used.add(id);
      oracles.push({ id: scenario.id, fetch: n, marker, oracle });
    }
  }
  await cdp.detach();
  return oracles;
}

/** The DevTools frontend's own modules (Chromium bundles them under devtools://devtools/bundled/). */
const HAR_MODULE = 'devtools://devtools/bundled/models/har/har.js';
const LOGS_MODULE = 'devtools://devtools/bundled/models/logs/logs.js';

/** Runs `body` in the DevTools window with `logs` and `har` bound to those modules. A string, not a function: the
 *  test runner rewrites `import()` inside functions into a helper the DevTools page does not have. */
function inDevtools<T>(devtools: PuppeteerPage, body: string): Promise<T> {
  return devtools.evaluate(
    `(async () => { const logs = await import(${JSON.stringify(LOGS_MODULE)}); const har = await import(${JSON.stringify(HAR_MODULE)}); ${body} })()`,
  ) as Promise<T>;
}

/** The DevTools window's network log is created on first use (normally by the Network panel): asking it makes it
 *  start recording. How many of its requests have `url`. */
function devtoolsLogged(devtools: PuppeteerPage, url: string): Promise<number> {
  return inDevtools(devtools, `return logs.NetworkLog.NetworkLog.instance().requests().filter((r) => r.url() === ${JSON.stringify(url)}).length;`);
}

async function recordDevtools(scenarios: readonly Scenario[], harPath: string, server: ScenarioServer, executablePath: string): Promise<{ version: string; oracles: HarOracle[] }> {
  // launchChromium loads an extension; the conformance recorder is the one that changes nothing in the page.
  const extensionDir = prepareRecorder('chrome');
  const launched = await launchChromium({ headless: true, devtools: true, executablePath, extensionDir });
  try {
    const page = launched.context.pages()[0] ?? (await launched.context.newPage());
    await page.goto(server.origins.page + '/');
    const client = await puppeteer.connect({ browserURL: `http://127.0.0.1:${launched.debuggingPort}`, handleDevToolsAsPage: true, defaultViewport: null });
    try {
      const devtools = await waitFor('the DevTools window', async () => {
        const target = client.targets().find((t) => t.url().startsWith('devtools://devtools/bundled/devtools_app.html'));
        return target ? await target.asPage() : undefined;
      });
      // The log attaches asynchronously: fetch until DevTools shows one, so the first scenario is not missed.
      let attempt = 0;
      await waitFor('DevTools to log a warm-up fetch', async () => {
        const url = `${server.origins.api}/warmup/devtools-${attempt++}`;
        await page.evaluate((u) => fetch(u, { cache: 'no-store' }).then((r) => r.text()), url);
        // Before the DevTools window has set itself up, its modules throw ("Unable to create settings"): try again.
        return (await devtoolsLogged(devtools, url).catch(() => 0)) > 0 ? true : undefined;
      });
      const oracles = await play(launched.context, page, server, scenarios);
      // sanitize: false is "Export HAR (with sensitive data)": Cookie and Set-Cookie stay in.
      const har = await untilStable(() =>
        inDevtools<string>(
          devtools,
          'return JSON.stringify({ log: await har.Log.Log.build(logs.NetworkLog.NetworkLog.instance().requests(), { sanitize: false }) }, null, 1);',
        ),
      );
      writeFileSync(harPath, `${har}\n`);
      return { version: launched.context.browser()?.version() ?? 'unknown', oracles };
    } finally {
      await client.disconnect();
    }
  } finally {
    await launched.close();
    rmSync(extensionDir, { recursive: true, force: true });
  }
}

/** Records `scenarios` into a HAR at `harPath`, written before this resolves. */
export async function recordHar(
  scenarios: readonly Scenario[],
  harPath: string,
  opts: { source?: HarSourceKind; executablePath?: string } = {},
): Promise<HarRecording> {
  const source = opts.source ?? 'playwright';
  const executablePath = opts.executablePath ?? (source === 'firefox' ? (process.env.FIREFOX_PATH ?? DEFAULT_FIREFOX_PATH) : (process.env.CHROME_PATH ?? '/usr/bin/chromium'));
  const server = await startScenarioServer([...scenarios]);
  try {
    let recorded: { version: string; oracles: HarOracle[] };
    if (source === 'firefox') {
      recorded = await recordFirefoxHar(scenarios, harPath, server, executablePath);
      const browserVersion = `Firefox ${recorded.version.replace(/^firefox\//i, '')}`;
      return { source, browserVersion, recordedAt: new Date().toISOString(), origins: { ...server.origins }, oracles: recorded.oracles };
    }
    if (source === 'devtools') {
      recorded = await recordDevtools(scenarios, harPath, server, executablePath);
    } else {
      const browser = await chromium.launch({ executablePath, headless: true, args: NO_NETWORK_ARGS });
      try {
        const context = await browser.newContext({ recordHar: { path: harPath, content: 'omit' } });
        const page = await context.newPage();
        await page.goto(server.origins.page + '/');
        const oracles = await play(context, page, server, scenarios);
        // The HAR is written when its context closes.
        await context.close();
        recorded = { version: browser.version(), oracles };
      } finally {
        await browser.close().catch(() => {});
      }
    }
    const browserVersion = await chromiumVersion(executablePath, recorded.version);
    return { source, browserVersion, recordedAt: new Date().toISOString(), origins: { ...server.origins }, oracles: recorded.oracles };
  } finally {
    await server.close().catch(() => {});
  }
}
