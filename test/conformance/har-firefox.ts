// Plays conformance scenarios in Firefox ESR with its DevTools toolbox open on the Network panel and saves the
// toolbox's own HAR (what "Save All As HAR" writes), keeping Firefox's console reasons per fetch as the oracle.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { launchFirefox } from '../../scripts/firefox.ts';
import type { HarOracle } from './har-recorder.ts';
import { loadFirefoxReasons, type FirefoxReason } from './firefox-reasons.ts';
import { pageFetch, scenarioFetchArgs } from './page-fetch.ts';
import { prepareRecorder } from './recorder.ts';
import type { Scenario } from './scenario.ts';
import { primeScenarioCookie, type ScenarioServer } from './server.ts';

/** How long a rejected fetch waits for its console reason (Firefox logs it around the rejection). */
const REASON_WAIT_MS = 500;

/** The part of puppeteer's internal BiDi connection used here (as test/conformance/firefox.ts uses it). */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
  on(event: 'log.entryAdded', handler: (entry: { text: string | null }) => void): unknown;
}

/** Opens the toolbox on the selected tab's Network panel, through Firefox's own DevTools loader (chrome scope). */
const OPEN_TOOLBOX = `(async () => {
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const win = Services.wm.getMostRecentWindow('navigator:browser');
  globalThis.corsightToolbox = await gDevTools.showToolboxForTab(win.gBrowser.selectedTab, { toolId: 'netmonitor' });
  return true;
})()`;

/** The HAR once two reads 250 ms apart are the same: DevTools logs requests asynchronously, so an export right after
 *  the last fetch can miss it. Firefox's headless toolbox lags further behind still: it passes a logged request on
 *  about one per later network event (measured), so a sampled run's last fetch may be missing from its HAR. */
export async function untilStable(read: () => Promise<string>, capMs = 5000): Promise<string> {
  const deadline = Date.now() + capMs;
  let last = await read();
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await read();
    if (now === last || Date.now() > deadline) return now;
    last = now;
  }
}

export async function recordFirefoxHar(
  scenarios: readonly Scenario[],
  harPath: string,
  server: ScenarioServer,
  executablePath: string,
): Promise<{ version: string; oracles: HarOracle[] }> {
  const matchReason = loadFirefoxReasons();
  // launchFirefox installs an extension; the conformance recorder is the one that changes nothing in the page.
  const extensionDir = prepareRecorder('firefox');
  const ff = await launchFirefox({ executablePath, headless: true, extensionDir });
  try {
    const bidi = (ff.browser as unknown as { connection: BidiConnection }).connection;
    const reasons: FirefoxReason[] = [];
    bidi.on('log.entryAdded', (entry) => {
      const reason = entry.text === null ? null : matchReason(entry.text);
      if (reason) reasons.push(reason);
    });
    const { result: tree } = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const chrome = (tree as { contexts: Array<{ context: string }> }).contexts[0]?.context;
    if (chrome === undefined) throw new Error('Firefox listed no chrome-scope browsing context');
    await ff.page.goto(server.origins.page + '/');
    await ff.evaluate(chrome, OPEN_TOOLBOX);

    const oracles: HarOracle[] = [];
    let cursor = 0;
    for (const scenario of scenarios) {
      const token = randomBytes(6).toString('hex');
      const marker = `/s/${scenario.id}/${token}/`;
      const args = scenarioFetchArgs(scenario, server.urlFor(scenario, token));
      await primeScenarioCookie(server, scenario, (a) => ff.page.evaluate(pageFetch, a));
      for (let n = 0; n < (scenario.repeat ?? 1); n++) {
        const result = await ff.page.evaluate(pageFetch, args);
        const mine = (): FirefoxReason[] => reasons.slice(cursor).filter((r) => (r.args[0] ?? '').includes(marker));
        const deadline = Date.now() + (result.fetch === 'rejected' ? REASON_WAIT_MS : 0);
        while (mine().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        // A repeated fetch owns only what was logged after the previous one.
        const own = mine();
        cursor = reasons.length;
        oracles.push({ id: scenario.id, fetch: n, marker, oracle: { fetch: result.fetch, status: result.status, firefox: { reasons: own } } });
      }
    }
    const har = await untilStable(async () => JSON.stringify({ log: await ff.evaluate(chrome, 'globalThis.corsightToolbox.getHARFromNetMonitor()') }, null, 1));
    writeFileSync(harPath, `${har}\n`);
    return { version: await ff.browser.version(), oracles };
  } finally {
    await ff.close();
    rmSync(extensionDir, { recursive: true, force: true });
  }
}
