// Records the conformance scenarios in Firefox ESR: webRequest events via the recorder extension, verdicts from the console.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { WebRequestEvent, WebRequestEventName } from '../../src/capture/webrequest.ts';
import type { ConformanceRecording, RecordedFetch, RecordedScenario } from './fixture.ts';
import { loadFirefoxReasons, type FirefoxReason, type FirefoxReasonMatcher } from './firefox-reasons.ts';
import { pageFetch, scenarioFetchArgs, type PageFetchResult } from './page-fetch.ts';
import { prepareRecorder } from './recorder.ts';
import type { Scenario } from './scenario.ts';
import { primeScenarioCookie, startScenarioServer, type ScenarioServer } from './server.ts';
import { DEFAULT_SETUP_KEY, INSECURE_HOST, isPublicPage, needsInsecureHost, setupKey, usesLna } from './setup.ts';

export interface RecordFirefoxOptions {
  executablePath?: string;
  log?: (line: string) => void;
}

const POLL_MS = 25;
const QUIET_POLLS = 2;
const SETTLE_CAP_MS = 3000;
const NO_EVENT_GIVE_UP_MS = 500;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** BiDi cannot reach an extension's background (browser-facts §2), so the recorder POSTs its events here. */
interface Collector {
  url: string;
  events: WebRequestEvent[];
  /** Resolves on the background's startup POST. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const EVENT_NAMES: ReadonlySet<string> = new Set<WebRequestEventName>([
  'onBeforeRequest',
  'onBeforeSendHeaders',
  'onSendHeaders',
  'onHeadersReceived',
  'onBeforeRedirect',
  'onResponseStarted',
  'onCompleted',
  'onErrorOccurred',
]);

function isWebRequestEvent(v: unknown): v is WebRequestEvent {
  if (typeof v !== 'object' || v === null) return false;
  const { event, details } = v as { event?: unknown; details?: unknown };
  if (typeof event !== 'string' || !EVENT_NAMES.has(event)) return false;
  if (typeof details !== 'object' || details === null) return false;
  const d = details as { requestId?: unknown; url?: unknown };
  return typeof d.requestId === 'string' && typeof d.url === 'string';
}

async function startCollector(log: (line: string) => void): Promise<Collector> {
  const events: WebRequestEvent[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(204).end();
      if (req.method !== 'POST') return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        log(`collector: unparsable POST (${chunks.length} chunks)`);
        return;
      }
      if (Array.isArray(body)) {
        for (const entry of body) {
          if (isWebRequestEvent(entry)) events.push(entry);
          else log(`collector: dropped malformed entry ${JSON.stringify(entry).slice(0, 200)}`);
        }
      } else if (typeof body === 'object' && body !== null && (body as { ready?: unknown }).ready === true) {
        markReady();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    // Trailing slash: the recorder drops events whose URL starts with this, i.e. its own POSTs.
    url: `http://127.0.0.1:${port}/`,
    events,
    ready,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The part of a BiDi `log.entryAdded` payload used here (WebDriver BiDi spec, `log.Entry`). */
interface BidiLogEntry {
  level: string;
  text: string | null;
}

/** `BidiBrowser.connection` is internal in puppeteer-core 24 (browser-facts §2): only what is used here. */
interface BidiConnectionLike {
  on(event: 'log.entryAdded', handler: (entry: BidiLogEntry) => void): unknown;
  off(event: 'log.entryAdded', handler: (entry: BidiLogEntry) => void): unknown;
}

function bidiConnection(browser: Browser): BidiConnectionLike {
  const connection = (browser as unknown as { connection?: Partial<BidiConnectionLike> }).connection;
  if (!connection || typeof connection.on !== 'function' || typeof connection.off !== 'function') {
    throw new Error('puppeteer BiDi browser has no raw connection (puppeteer-core internals changed?)');
  }
  return connection as BidiConnectionLike;
}

function firefoxVersion(executablePath: string, bidiVersion: string): string {
  // The binary says "Mozilla Firefox 153.7.0esr"; BiDi's "firefox/153.7.0" drops the "esr" suffix.
  try {
    const out = execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
    const m = /Firefox\s+(\S+)/.exec(out);
    if (m) return `Firefox ${m[1]}`;
  } catch {
    // fall through to the BiDi version
  }
  const m = /^firefox\/(.+)$/i.exec(bidiVersion);
  return m ? `Firefox ${m[1]}` : bidiVersion;
}

/** Firefox's Local Network Access address-space override: `ip:port` entries treated as public. */
const PUBLIC_OVERRIDE_PREF = 'network.lna.address_space.public.override';

/**
 * Prefs a scenario needs for Local Network Access (none for a corpus without it). Prefs are fixed for a browser run,
 * so the runner relaunches Firefox whenever they change from one scenario to the next.
 */
function lnaPrefs(scenarios: readonly Scenario[], scenario: Scenario, pagePort: string): Record<string, string | number> {
  if (!usesLna(scenarios)) return {};
  // Never the default 0 ("ask"): headless Firefox would wait on the prompt forever. Grants come per origin (BiDi).
  const prefs: Record<string, string | number> = { 'permissions.default.loopback-network': 2, 'permissions.default.local-network': 2 };
  if (needsInsecureHost(scenarios)) prefs['network.dns.localDomains'] = INSECURE_HOST;
  // Firefox 153 ignores the page's CSP treat-as-public-address (measured): this makes every page served from the page
  // port public, for the whole browser run.
  if (isPublicPage(scenario.page)) prefs[PUBLIC_OVERRIDE_PREF] = `127.0.0.1:${pagePort}`;
  return prefs;
}

const isTerminal = (e: WebRequestEvent): boolean => e.event === 'onCompleted' || e.event === 'onErrorOccurred';

/** One running Firefox with the recorder installed, a page open and the listeners warmed up. */
interface FirefoxSession {
  browser: Browser;
  page: Page;
  collector: Collector;
  /** CORS console messages mapped to security.properties keys, in the order Firefox logged them. */
  consoleEntries: FirefoxReason[];
  /** When the recorder was installed (for the timing log). */
  installedAt: number;
  close(): Promise<void>;
}

async function openFirefox(
  executablePath: string,
  prefs: Record<string, string | number>,
  server: ScenarioServer,
  matchReason: FirefoxReasonMatcher,
  log: (line: string) => void,
): Promise<FirefoxSession> {
  let collector: Collector | undefined;
  let browser: Browser | undefined;
  let connection: BidiConnectionLike | undefined;
  const tempDirs: string[] = [];
  // Firefox logs CORS failures (and the Authorization-under-`*` deprecation, at level warn) only as localized
  // console text without a key (browser-facts §9), in the order it decided them.
  const consoleEntries: FirefoxReason[] = [];
  const onEntry = (entry: BidiLogEntry): void => {
    if (entry.text === null) return;
    const reason = matchReason(entry.text);
    if (reason) consoleEntries.push(reason);
    else if (/cross-origin|cors/i.test(entry.text)) log(`console (unmapped, ${entry.level}): ${entry.text}`);
  };
  const close = async (): Promise<void> => {
    connection?.off('log.entryAdded', onEntry);
    await browser?.close().catch((e: unknown) => log(`firefox: close failed: ${String(e)}`));
    await collector?.close();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const t0 = Date.now();
    collector = await startCollector(log);
    const recorderDir = prepareRecorder('firefox', collector.url);
    tempDirs.push(recorderDir);
    const userDataDir = mkdtempSync(join(tmpdir(), 'corsight-firefox-profile-'));
    tempDirs.push(userDataDir);

    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      userDataDir,
      // Nothing here reads puppeteer's BiDi network events. With them on, the page fetch round trip grew from 7-12 ms
      // to 10-52 ms (measured here); with them off, browser-facts §10a's ~40 ms Nagle stall after BiDi events did not
      // show, so the WebSocket-pong workaround is not needed.
      networkEnabled: false,
      extraPrefsFirefox: {
        // An idle event page is suspended and only restarted by the next webRequest event, with its in-memory state
        // gone (browser-facts §3): keep the recorder alive for the whole run.
        'extensions.background.idle.timeout': 3_600_000,
        ...prefs,
      },
    });
    const tLaunch = Date.now();
    log(`firefox: launched in ${tLaunch - t0} ms`);

    connection = bidiConnection(browser);
    connection.on('log.entryAdded', onEntry);

    await browser.installExtension(recorderDir);
    const installedAt = Date.now();
    log(`firefox: extension installed in ${installedAt - tLaunch} ms`);
    await withTimeout(collector.ready, 15_000, 'recorder background never reported ready');
    log(`firefox: recorder ready after ${Date.now() - installedAt} ms`);

    const page: Page = (await browser.pages())[0] ?? (await browser.newPage());
    await page.goto(`${server.origins.page}/`);
    // With the page port overridden to public, a fetch to the (loopback) API would be refused by Local Network
    // Access and never complete: warm up same-origin instead.
    const publicPagePort = PUBLIC_OVERRIDE_PREF in prefs;
    await warmUp(page, publicPagePort ? server.origins.page : server.origins.api, collector);
    log(`firefox: page + warm-up in ${Date.now() - installedAt} ms`);
    return { browser, page, collector, consoleEntries, installedAt, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function recordFirefox(scenarios: Scenario[], opts: RecordFirefoxOptions = {}): Promise<ConformanceRecording> {
  const log = opts.log ?? (() => {});
  const executablePath = opts.executablePath ?? process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';
  const matchReason: FirefoxReasonMatcher = loadFirefoxReasons();

  let server: ScenarioServer | undefined;
  let session: FirefoxSession | undefined;
  try {
    server = await startScenarioServer(scenarios);
    const pagePort = new URL(server.origins.page).port;
    const tFirst = Date.now();

    const recorded: RecordedScenario[] = [];
    let launchedWith = '';
    let setup = DEFAULT_SETUP_KEY;
    let evCursor = 0;
    let conCursor = 0;
    const durations: number[] = [];
    for (const scenario of scenarios) {
      const prefs = lnaPrefs(scenarios, scenario, pagePort);
      if (!session || JSON.stringify(prefs) !== launchedWith) {
        await session?.close();
        session = undefined;
        session = await openFirefox(executablePath, prefs, server, matchReason, log);
        launchedWith = JSON.stringify(prefs);
        setup = DEFAULT_SETUP_KEY;
        evCursor = session.collector.events.length;
        conCursor = session.consoleEntries.length;
      }
      const { page, collector, consoleEntries } = session;
      const started = Date.now();
      if (setupKey(scenario) !== setup) {
        // Local Network Access: the page's permission (both permission types Firefox has; unset = denied, as the
        // prefs deny by default), then the page this scenario runs in.
        setup = setupKey(scenario);
        const state = scenario.lna ?? 'denied';
        await session.browser.defaultBrowserContext().setPermission(
          server.pageOriginFor(scenario.page),
          { permission: { name: 'loopback-network' }, state },
          { permission: { name: 'local-network' }, state },
        );
        await page.goto(server.pageUrlFor(scenario.page));
      }
      const token = randomBytes(6).toString('hex');
      const url = server.urlFor(scenario, token);
      const marker = `/s/${scenario.id}/${token}/`;
      await primeScenarioCookie(server, scenario, (a) => page.evaluate(pageFetch, a));
      const fetches: RecordedFetch[] = [];
      for (let i = 0; i < (scenario.repeat ?? 1); i++) {
        const tFetch = Date.now();
        const result: PageFetchResult = await page.evaluate(pageFetch, scenarioFetchArgs(scenario, url));
        const tSettle = Date.now();
        const settled = await settle(collector.events, consoleEntries, evCursor, marker);
        log(`${scenario.id}#${i}: fetch ${tSettle - tFetch} ms, settle ${Date.now() - tSettle} ms${settled === 'ok' ? '' : ` (${settled})`}`);
        // Consume everything seen so far: a repeated fetch only owns what arrived after the previous one settled.
        const events = collector.events.slice(evCursor).filter((e) => e.details.url.includes(marker));
        const fresh = consoleEntries.slice(conCursor);
        const reasons = fresh.filter((r) => (r.args[0] ?? '').includes(marker));
        for (const r of fresh) if (!reasons.includes(r)) log(`${scenario.id}#${i}: console entry for another fetch: ${r.key} ${r.args[0] ?? ''}`);
        evCursor = collector.events.length;
        conCursor = consoleEntries.length;
        fetches.push({ events, oracle: { fetch: result.fetch, status: result.status, firefox: { reasons } } });
      }
      recorded.push({ id: scenario.id, fetches });
      durations.push(Date.now() - started);
    }
    const sorted = [...durations].sort((a, b) => a - b);
    log(
      `firefox: ${scenarios.length} scenarios in ${Date.now() - (session?.installedAt ?? tFirst)} ms after the last install; per scenario median ` +
        `${sorted[Math.floor(sorted.length / 2)] ?? 0} ms, max ${sorted[sorted.length - 1] ?? 0} ms`,
    );

    return {
      browser: 'firefox',
      browserVersion: firefoxVersion(executablePath, session ? await session.browser.version() : ''),
      recordedAt: new Date().toISOString(),
      origins: { ...server.origins },
      scenarios: recorded,
    };
  } finally {
    await session?.close();
    await server?.close();
  }
}

/** Fetch a throwaway URL until the recorder has reported its onCompleted: then the listeners are live. */
async function warmUp(page: Page, origin: string, collector: Collector): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (let i = 0; Date.now() < deadline; i++) {
    const url = `${origin}/warmup/${i}`;
    await page.evaluate(pageFetch, { url, method: 'GET', headers: [] });
    for (let j = 0; j < 4; j++) {
      if (collector.events.some((e) => e.event === 'onCompleted' && e.details.url.includes('/warmup/'))) return;
      await sleep(POLL_MS);
    }
  }
  throw new Error('warm-up: the recorder never reported a completed request');
}

/**
 * Waits until every requestId of this fetch has a terminal event, then for two quiet polls (no new event and
 * no new console entry) so late batches and console messages still land on the right fetch.
 */
async function settle(
  events: readonly WebRequestEvent[],
  consoleEntries: readonly FirefoxReason[],
  from: number,
  marker: string,
): Promise<'ok' | 'no-events' | 'cap'> {
  const start = Date.now();
  let lastCount = -1;
  let quiet = 0;
  while (Date.now() - start < SETTLE_CAP_MS) {
    await sleep(POLL_MS);
    const mine = events.slice(from).filter((e) => e.details.url.includes(marker));
    if (mine.length === 0) {
      if (Date.now() - start >= NO_EVENT_GIVE_UP_MS) return 'no-events';
      continue;
    }
    const open = new Set(mine.map((e) => e.details.requestId));
    for (const e of mine) if (isTerminal(e)) open.delete(e.details.requestId);
    const count = events.length + consoleEntries.length;
    if (open.size === 0 && count === lastCount) quiet++;
    else quiet = 0;
    lastCount = count;
    if (open.size === 0 && quiet >= QUIET_POLLS) return 'ok';
  }
  return 'cap';
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
