// Records the conformance corpus in real Chromium: webRequest events from the recorder extension, oracle from CDP.
import { extensionArgs } from '../../scripts/chromium.ts';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import type { Scenario } from './scenario.ts';
import type { ConformanceRecording, Oracle, RecordedFetch, RecordedScenario } from './fixture.ts';
import type { WebRequestEvent } from '../../src/capture/webrequest.ts';
import { primeScenarioCookie, startScenarioServer, type ScenarioServer } from './server.ts';
import { prepareRecorder } from './recorder.ts';
import { pageFetch, scenarioFetchArgs, type PageFetchResult } from './page-fetch.ts';
import { DEFAULT_SETUP_KEY, INSECURE_HOST, needsInsecureHost, setupKey } from './setup.ts';

export interface RecordChromiumOptions {
  executablePath?: string;
  log?: (line: string) => void;
}

/** Poll period while the fetch is still in flight. */
const BUSY_POLL_MS = 5;
/** Once everything looks terminal, this many consecutive polls this far apart must bring nothing new. */
const QUIET_POLL_MS = 25;
const QUIET_POLLS = 2;
/** A request that never reaches the network (e.g. mode:'same-origin' cross-origin) produces no webRequest event. */
const NO_EVENT_GIVE_UP_MS = 500;
const SETTLE_CAP_MS = 3000;
const WARMUP_CAP_MS = 15000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What CDP told us about one network request of the page (redirect hops share the CDP requestId). */
interface CdpRequest {
  requestId: string;
  urls: string[];
  type: string | undefined;
  initiatorType: string;
  responded: boolean;
  finished: boolean;
  failed: { errorText: string; corsError: string | null; failedParameter: string | null } | null;
}

const TERMINAL = new Set(['onCompleted', 'onErrorOccurred']);

/** Drains everything the recorder collected so far. Splicing keeps the worker's array (and each round trip) small. */
async function drainWorker(worker: Worker): Promise<WebRequestEvent[]> {
  const drained = await worker.evaluate(() => {
    const g = globalThis as unknown as { __corsightEvents?: unknown[] };
    return g.__corsightEvents ? g.__corsightEvents.splice(0) : [];
  });
  return drained as WebRequestEvent[];
}

async function browserVersion(executablePath: string, context: BrowserContext, cdp: CDPSession): Promise<string> {
  // `chromium --version` names the product the way Debian ships it ("Chromium 156..."); CDP says "HeadlessChrome/...".
  const fromCli = await new Promise<string | null>((resolve) => {
    execFile(executablePath, ['--version'], { timeout: 10000 }, (err, stdout) => {
      const m = /^(.*?\d+(?:\.\d+)+)/.exec(String(stdout).trim());
      resolve(err || !m ? null : m[1]!);
    });
  });
  if (fromCli) return fromCli;
  const v = context.browser()?.version() ?? (await cdp.send('Browser.getVersion')).product.replace(/^.*\//, '');
  return `Chromium ${v}`;
}

export async function recordChromium(
  scenarios: Scenario[],
  opts: RecordChromiumOptions = {},
): Promise<ConformanceRecording> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const executablePath = opts.executablePath ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
  const t0 = Date.now();

  let server: ScenarioServer | null = null;
  let context: BrowserContext | null = null;
  const tempDirs: string[] = [];
  try {
    server = await startScenarioServer(scenarios);
    const extDir = prepareRecorder('chrome');
    tempDirs.push(extDir);
    const userDataDir = mkdtempSync(join(tmpdir(), 'corsight-chromium-profile-'));
    tempDirs.push(userDataDir);

    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      // Playwright passes --disable-extensions by default, which would keep the recorder out.
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [
        ...extensionArgs(extDir),
        // Only for a corpus with an insecure page (Local Network Access): the non-secure origin on loopback.
        ...(needsInsecureHost(scenarios) ? [`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`] : []),
      ],
    });
    const worker =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith('chrome-extension://') }));
    const page: Page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.origins.page + '/');
    const tLaunched = Date.now();

    const cdp = await context.newCDPSession(page);
    const cdpRequests = new Map<string, CdpRequest>();
    // Bumped on every CDP event and every drained webRequest event, so "quiet" means nothing at all happened.
    let activity = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      activity++;
      const known = cdpRequests.get(e.requestId);
      if (known) {
        known.urls.push(e.request.url);
        return;
      }
      cdpRequests.set(e.requestId, {
        requestId: e.requestId,
        urls: [e.request.url],
        type: e.type,
        initiatorType: e.initiator.type,
        responded: false,
        finished: false,
        failed: null,
      });
    });
    cdp.on('Network.responseReceived', (e) => {
      activity++;
      const r = cdpRequests.get(e.requestId);
      if (r) r.responded = true;
    });
    cdp.on('Network.loadingFinished', (e) => {
      activity++;
      const r = cdpRequests.get(e.requestId);
      if (r) r.finished = true;
    });
    cdp.on('Network.loadingFailed', (e) => {
      activity++;
      const r = cdpRequests.get(e.requestId);
      if (!r) return;
      r.failed = {
        errorText: e.errorText,
        corsError: e.corsErrorStatus?.corsError ?? null,
        failedParameter: e.corsErrorStatus?.failedParameter ?? null,
      };
    });
    await cdp.send('Network.enable');
    const versionPromise = browserVersion(executablePath, context, cdp);

    // The worker target exists before its listeners are live (browser-facts §3): fetch until one is seen to complete.
    const warmupStart = Date.now();
    for (let attempt = 0; ; attempt++) {
      const url = `${server.origins.api}/warmup/${attempt}`;
      await page.evaluate((u) => fetch(u, { cache: 'no-store' }).then((r) => r.text()), url);
      const seen = await drainWorker(worker);
      if (seen.some((ev) => ev.event === 'onCompleted' && ev.details.url === url)) break;
      if (Date.now() - warmupStart > WARMUP_CAP_MS) throw new Error('recorder extension never saw a warm-up fetch');
      await sleep(50);
    }
    // Anything the warm-up left behind (late events of earlier attempts) must not leak into the first scenario.
    await sleep(QUIET_POLL_MS);
    await drainWorker(worker);
    const tWarm = Date.now();
    log(`chromium: launch ${tLaunched - t0} ms, warm-up ${tWarm - tLaunched} ms`);

    const consumedWr = new Set<string>();
    const consumedCdp = new Set<string>();
    const durations: number[] = [];
    const results: RecordedScenario[] = [];

    let setup = DEFAULT_SETUP_KEY;
    for (const scenario of scenarios) {
      const scenarioStart = Date.now();
      if (setupKey(scenario) !== setup) {
        // Local Network Access: the page this scenario runs in, and its permission. Without a grant, headless
        // Chromium denies at once (measured), so `denied` is simply no grant. A non-secure origin cannot hold the
        // permission at all (CDP: "Permission can't be granted in current context"), so it stays without.
        setup = setupKey(scenario);
        await context.clearPermissions();
        if (scenario.lna === 'granted' && !scenario.page?.insecure) {
          await context.grantPermissions(['local-network-access'], { origin: server.pageOriginFor(scenario.page) });
        }
        await page.goto(server.pageUrlFor(scenario.page));
      }
      const token = randomBytes(6).toString('hex');
      const marker = `/s/${scenario.id}/${token}/`;
      const url = server.urlFor(scenario, token);
      const args = scenarioFetchArgs(scenario, url);

      await primeScenarioCookie(server, scenario, (a) => page.evaluate(pageFetch, a));

      const fetches: RecordedFetch[] = [];
      const repeat = scenario.repeat ?? 1;
      for (let n = 0; n < repeat; n++) {
        const fetchStart = Date.now();
        const result: PageFetchResult = await page.evaluate(pageFetch, args);

        // Same URL on every repeat, so fetch #k is told apart from #k-1 by consumption: ids already
        // assigned to an earlier fetch are never taken again.
        const mine: WebRequestEvent[] = [];
        const pull = async (): Promise<void> => {
          const fresh = await drainWorker(worker);
          if (fresh.length) activity++;
          for (const ev of fresh) {
            if (ev.details.url.includes(marker) && !consumedWr.has(ev.details.requestId)) mine.push(ev);
            else if (ev.details.url.includes('/s/')) {
              log(`chromium: ${scenario.id} #${n + 1}: dropped a late event ${ev.event} ${ev.details.url}`);
            }
            // Anything else (favicon, warm-up stragglers) is noise for every scenario.
          }
        };
        const cdpMine = (): CdpRequest[] =>
          [...cdpRequests.values()].filter(
            (r) =>
              !consumedCdp.has(r.requestId) &&
              r.type === 'Fetch' &&
              r.initiatorType !== 'preflight' &&
              r.urls.some((u) => u.includes(marker)),
          );
        const ready = (elapsed: number): boolean => {
          const ids = new Set(mine.map((ev) => ev.details.requestId));
          for (const id of ids) {
            if (!mine.some((ev) => ev.details.requestId === id && TERMINAL.has(ev.event))) return false;
          }
          const reqs = cdpMine();
          // An opaque (no-cors) body is never read, so CDP's loadingFailed net::ERR_ABORTED only comes when the
          // Response is garbage-collected (seconds later, or never). A resolved fetch needs no CDP verdict anyway.
          const cdpDone = (r: CdpRequest): boolean =>
            r.finished || r.failed !== null || (result.fetch === 'resolved' && r.responded);
          if (!reqs.every(cdpDone)) return false;
          return (ids.size > 0 && reqs.length > 0) || elapsed >= NO_EVENT_GIVE_UP_MS;
        };

        let quiet = 0;
        let capped = false;
        for (;;) {
          const before = activity;
          await pull();
          const elapsed = Date.now() - fetchStart;
          if (ready(elapsed)) {
            quiet = activity === before ? quiet + 1 : 0;
            if (quiet >= QUIET_POLLS) break;
          } else {
            quiet = 0;
          }
          if (elapsed >= SETTLE_CAP_MS) {
            capped = true;
            break;
          }
          await sleep(quiet > 0 || ready(elapsed) ? QUIET_POLL_MS : BUSY_POLL_MS);
        }
        if (capped) {
          const open = cdpMine().filter((r) => !r.finished && !r.failed).map((r) => r.requestId);
          const wrIds = new Set(mine.map((ev) => ev.details.requestId));
          const wrOpen = [...wrIds].filter((id) => !mine.some((ev) => ev.details.requestId === id && TERMINAL.has(ev.event)));
          log(`chromium: ${scenario.id} #${n + 1} did not settle within ${SETTLE_CAP_MS} ms ` +
            `(open CDP requests: ${open.join(',') || 'none'}; open webRequest ids: ${wrOpen.join(',') || 'none'})`);
        }

        const reqs = cdpMine();
        for (const ev of mine) consumedWr.add(ev.details.requestId);
        for (const r of reqs) consumedCdp.add(r.requestId);
        if (reqs.length > 1) {
          log(`chromium: ${scenario.id} #${n + 1}: ${reqs.length} CDP Fetch requests, using the failed one`);
        }
        const failed = reqs.find((r) => r.failed?.corsError) ?? reqs.find((r) => r.failed);

        const oracle: Oracle = {
          fetch: result.fetch,
          status: result.status,
          chrome: { corsError: null, failedParameter: null, errorText: null },
        };
        if (result.fetch === 'rejected' && failed?.failed) {
          oracle.chrome = {
            corsError: failed.failed.corsError,
            failedParameter: failed.failed.failedParameter,
            errorText: failed.failed.errorText,
          };
        } else if (failed?.failed) {
          // A resolved fetch can still get a loadingFailed (no-cors: net::ERR_ABORTED once the unread opaque body
          // is dropped): DevTools bookkeeping, not a verdict, so the oracle stays all-null.
          log(`chromium: ${scenario.id} #${n + 1}: fetch resolved but CDP loadingFailed ${failed.failed.errorText}` +
            (failed.failed.corsError ? ` (${failed.failed.corsError})` : ''));
        }
        fetches.push({ events: mine, oracle });
      }
      // CDP requests of this scenario that are not the fetch (preflights, the cookie priming fetch) would otherwise
      // pile up in the map.
      const primeUrl = server.primeUrlFor(scenario);
      for (const [id, r] of cdpRequests) {
        if (r.urls.some((u) => u.includes(marker) || u === primeUrl)) cdpRequests.delete(id);
      }
      const took = Date.now() - scenarioStart;
      durations.push(took);
      results.push({ id: scenario.id, fetches });
    }

    const sorted = [...durations].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
    log(
      `chromium: ${scenarios.length} scenarios in ${Date.now() - tWarm} ms ` +
        `(per scenario median ${median} ms, max ${sorted.at(-1) ?? 0} ms); total ${Date.now() - t0} ms`,
    );

    return {
      browser: 'chrome',
      browserVersion: await versionPromise,
      recordedAt: new Date().toISOString(),
      origins: { ...server.origins },
      scenarios: results,
    };
  } finally {
    await context?.close().catch(() => {});
    await server?.close().catch(() => {});
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  }
}
