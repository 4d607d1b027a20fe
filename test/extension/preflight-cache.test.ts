// The preflight cache live: a page re-sends preflighted PUTs under short Access-Control-Max-Age values, in parallel,
// and with and without credentials; Corsight's background captures them, and the engine's replay of the browser's
// cache (src/core/preflight-cache.ts) must say "from the cache" exactly where the real browser sent no OPTIONS
// (counted by the server itself).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveMaxAge, preflightEndpoints, preflightUses, type PreflightUse } from '../../src/core/preflight-cache.ts';
import type { BrowserName } from '../../src/core/types.ts';
import type { TabSnapshot } from '../../src/protocol/messages.ts';
import {
  openWatchedChromiumTab,
  openWatchedFirefoxTab,
  launchChromium,
  launchFirefox,
  pageFetch,
  sleep,
  waitFor,
  type ChromiumWithExtension,
  type FirefoxWithExtension,
  type Snapshots,
} from './harness.ts';

/** Access-Control-Max-Age per path segment under /ma/; `none` sends no header. /par/ and /cred/ use 60. */
const MAX_AGES: Record<string, string | null> = { two: '2', zero: '0', abc: 'abc', minus: '-1', none: null, nostore: '60' };

/** How long the API holds a /par/ preflight, so parallel requests are all in flight before the first answer. */
const PARALLEL_PREFLIGHT_DELAY_MS = 300;

interface Api {
  page: string;
  api: string;
  /** OPTIONS the API answered, per /ma/ case. */
  options(name: string): number;
  /** OPTIONS the API answered for a path (`/par/x`, `/cred/y`). */
  optionsAt(path: string): number;
  close(): Promise<void>;
}

/** A page origin and an API origin on loopback; `apiHost` names the API (Firefox: see the Firefox block), and
 *  `pageHost` the page (the same host makes the page's cookie go with a credentialed fetch: same site). /cred/
 *  allows credentials on the preflight, and on the response only when a Cookie came, so the credentials mode of
 *  every request shows to webRequest: observed (the Cookie) or inferred (a credentialed one would have failed). */
async function startServers(apiHost: string, pageHost = 'localhost'): Promise<Api> {
  const options = new Map<string, number>();
  const api = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const [, kind, name] = path.split('/');
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Cache-Control', 'no-store');
    if (kind === 'cred' && (req.method === 'OPTIONS' || req.headers.cookie !== undefined)) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method === 'OPTIONS' && (kind === 'ma' || kind === 'par' || kind === 'cred') && name !== undefined) {
      options.set(path, (options.get(path) ?? 0) + 1);
      res.setHeader('Access-Control-Allow-Methods', 'PUT');
      res.setHeader('Access-Control-Allow-Headers', 'x-foo');
      const maxAge = kind === 'ma' ? MAX_AGES[name] : '60';
      if (maxAge) res.setHeader('Access-Control-Max-Age', maxAge);
      setTimeout(() => res.writeHead(204).end(), kind === 'par' ? PARALLEL_PREFLIGHT_DELAY_MS : 0);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  });
  const page = createServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' }).end('<!doctype html><title>preflight cache</title>'));
  const listen = (s: Server): Promise<number> =>
    new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  const [pagePort, apiPort] = [await listen(page), await listen(api)];
  return {
    page: `http://${pageHost}:${pagePort}`,
    api: `http://${apiHost}:${apiPort}`,
    options: (name) => options.get(`/ma/${name}`) ?? 0,
    optionsAt: (path) => options.get(path) ?? 0,
    async close() {
      for (const s of [page, api]) s.closeAllConnections();
      await Promise.all([page, api].map((s) => new Promise((r) => s.close(r))));
    },
  };
}

interface Driver {
  browser: BrowserName;
  tabId: number;
  fetch(url: string, init?: RequestInit): Promise<string>;
  /** Runs an expression in the page and returns its result as a string. */
  evaluate(expression: string): Promise<string>;
  snapshot: Snapshots;
}

/** The tab once `count` requests were captured and none is pending. */
function captured(d: Driver, count: number): Promise<TabSnapshot> {
  return waitFor(`${count} requests captured`, async () => {
    const snap = await d.snapshot();
    return snap.exchanges.length >= count && snap.exchanges.every((r) => r.exchange.end.state !== 'pending') ? snap : undefined;
  });
}

const PUT_X_FOO = { method: 'PUT', headers: { 'X-Foo': '1' } } as const;

/** Five PUTs started in one task (the API holds each preflight PARALLEL_PREFLIGHT_DELAY_MS), then a sixth once
 *  they ended. */
async function playParallel(d: Driver, servers: Api): Promise<TabSnapshot> {
  await d.snapshot([{ type: 'clear', tabId: d.tabId }]);
  const url = `${servers.api}/par/five`;
  const all = `Promise.all(Array.from({ length: 5 }, () => fetch(${JSON.stringify(url)}, ${JSON.stringify(PUT_X_FOO)}).then((r) => r.status))).then((s) => s.join(','))`;
  expect(await d.evaluate(all)).toBe('200,200,200,200,200');
  expect(await d.fetch(url, PUT_X_FOO)).toBe('status 200');
  return captured(d, 6);
}

/** Same-site credentialed and uncredentialed PUTs to one URL, in both orders: /cred/include-first, /cred/omit-first. */
const CREDENTIAL_RUNS: Record<string, RequestCredentials[]> = {
  'include-first': ['include', 'omit', 'include', 'omit'],
  'omit-first': ['omit', 'include', 'omit', 'include'],
};

async function playCredentials(d: Driver, servers: Api): Promise<TabSnapshot> {
  await d.snapshot([{ type: 'clear', tabId: d.tabId }]);
  expect(await d.evaluate(`(document.cookie = 'sid=1; SameSite=Lax', document.cookie)`)).toBe('sid=1');
  let count = 0;
  for (const [name, modes] of Object.entries(CREDENTIAL_RUNS)) {
    for (const credentials of modes) {
      expect(await d.fetch(`${servers.api}/cred/${name}`, { ...PUT_X_FOO, credentials })).toBe('status 200');
      count++;
    }
  }
  return captured(d, count);
}

const pathOf = (url: string): string => new URL(url).pathname;

/** The replay against the server's count for `path`: the engine predicts each OPTIONS sent or skipped, except where
 *  it says the answer depends on a credentials mode webRequest did not show. Returns the predictions. */
function expectReplayMatches(snap: TabSnapshot, servers: Api, path: string): PreflightUse[] {
  const mine = preflightUses(snap.exchanges).filter((u) => pathOf(u.key.url) === path);
  expect(mine.filter((u) => u.observed === 'sent').length, path).toBe(servers.optionsAt(path));
  const unknownModes = mine.some((u) => u.credentials === 'unknown');
  for (const u of mine) {
    if (u.predicted === 'unknown') expect(unknownModes, path).toBe(true);
    else expect(u.predicted, `${path} ${u.id}`).toBe(u.observed);
  }
  return mine;
}

/** Three rounds of PUTs with X-Foo: at 0, ~0.6 s and ~3.2 s (Max-Age 2 has expired by then, 5 s has not). */
async function playRounds(d: Driver, servers: Api): Promise<TabSnapshot> {
  const put = (name: string, init: RequestInit = {}): Promise<string> => d.fetch(`${servers.api}/ma/${name}`, { ...PUT_X_FOO, ...init });
  const start = Date.now();
  let count = 0;
  for (const at of [0, 600, 3200]) {
    await sleep(start + at - Date.now());
    for (const name of Object.keys(MAX_AGES)) {
      if (at === 3200 && name !== 'two' && name !== 'none') continue;
      // The second nostore PUT asks fetch to bypass every cache.
      expect(await put(name, name === 'nostore' && at > 0 ? { cache: 'no-store' } : {})).toBe('status 200');
      count++;
    }
  }
  return captured(d, count);
}

/** Parallel requests: the replay matches the server's count, the browser really sent parallel OPTIONS, and no
 *  Max-Age could have saved one (none had an answer yet when the others started). */
function expectParallel(snap: TabSnapshot, servers: Api): void {
  const uses = expectReplayMatches(snap, servers, '/par/five');
  expect(uses.filter((u) => u.observed === 'sent').length).toBeGreaterThan(1);
  expect(uses[uses.length - 1]!.observed).toBe('cached');
  const [endpoint] = preflightEndpoints(snap.exchanges);
  expect(endpoint!.savings).toMatchObject({ possible: 0, avoidable: { chrome: 0, firefox: 0 } });
}

/** The engine's replay against the browser: the server's OPTIONS count, and the prediction per request. */
function expectEngineMatchesBrowser(snap: TabSnapshot, servers: Api, browser: BrowserName): void {
  const uses = preflightUses(snap.exchanges);
  const nameOf = (url: string): string => new URL(url).pathname.split('/')[2]!;
  for (const name of Object.keys(MAX_AGES)) {
    const mine = uses.filter((u) => nameOf(u.key.url) === name);
    // webRequest saw exactly the OPTIONS the server answered; the rest were answered by the cache.
    expect(mine.filter((u) => u.observed === 'sent').length, name).toBe(servers.options(name));
    if (name === 'nostore') {
      // fetch's `cache: 'no-store'` made the browser re-send the OPTIONS, and webRequest shows neither the cache
      // mode nor the Pragma it adds: the replay can only predict a hit here, which is why it stays a prediction.
      expect(mine.map((u) => [u.predicted, u.observed]), browser).toEqual([['sent', 'sent'], ['cached', 'sent']]);
      continue;
    }
    // The engine predicts from the cache exactly where the browser sent no OPTIONS (or says the credentials mode
    // decides: Firefox's cache hits rarely show it).
    expectReplayMatches(snap, servers, `/ma/${name}`);
    const [endpoint] = preflightEndpoints(snap.exchanges.filter((r) => nameOf(r.exchange.hops[0]!.url) === name));
    expect([endpoint!.sent, endpoint!.fromCache], name).toEqual([servers.options(name), mine.length - servers.options(name)]);
    const value = MAX_AGES[name];
    expect(endpoint!.maxAge?.seconds, name).toBe(effectiveMaxAge(value === null || value === undefined ? [] : [['Access-Control-Max-Age', value]], browser).seconds);
  }
  // Not vacuous: the browser both re-used and re-sent preflights in this run.
  expect(uses.some((u) => u.observed === 'cached')).toBe(true);
  expect(uses.filter((u) => u.observed === 'sent').length).toBeGreaterThan(Object.keys(MAX_AGES).length);
}

describe('Chromium: the engine predicts which preflights came from the cache', () => {
  let servers: Api;
  let browser: ChromiumWithExtension;
  let d: Driver;

  beforeAll(async () => {
    servers = await startServers('127.0.0.1', '127.0.0.1');
    browser = await launchChromium();
    const { page, tabId, snapshot } = await openWatchedChromiumTab(browser, `${servers.page}/`, `${servers.api}/warm`);
    d = {
      browser: 'chrome',
      tabId,
      fetch: (url, init) => pageFetch(page, url, init),
      evaluate: async (expression) => String(await page.evaluate(expression)),
      snapshot,
    };
  });

  afterAll(async () => {
    await browser?.close();
    await servers?.close();
  });

  it('matches Chromium for Max-Age 2, 0, abc, -1, absent and a no-store fetch', async () => {
    expectEngineMatchesBrowser(await playRounds(d, servers), servers, 'chrome');
  });

  it('sees five parallel PUTs each send their OPTIONS, as the replay predicts', async () => {
    expectParallel(await playParallel(d, servers), servers);
  });

  it('lets a credentialed preflight answer a request without credentials, not the reverse, as the replay predicts', async () => {
    const snap = await playCredentials(d, servers);
    for (const name of Object.keys(CREDENTIAL_RUNS)) expectReplayMatches(snap, servers, `/cred/${name}`);
    // Measured: the credentialed entry answered the uncredentialed PUTs; the uncredentialed one did not answer the
    // credentialed PUT, which sent its own OPTIONS.
    expect([servers.optionsAt('/cred/include-first'), servers.optionsAt('/cred/omit-first')]).toEqual([1, 2]);
    // Every mode was known (Cookie seen, or a credentialed request would have failed): no Max-Age saves the second.
    const omitFirst = preflightEndpoints(snap.exchanges).find((e) => pathOf(e.key.url) === '/cred/omit-first')!;
    expect(omitFirst.credentials).toEqual({ include: 2, omit: 2, unknown: 0 });
    expect([omitFirst.passed, omitFirst.savings?.possible]).toEqual([2, 0]);
  });
});

// Firefox drops a cached preflight when the host's DNS record is newer than the entry (CORSCacheEntry::CheckDNSCache);
// measured with an IP-literal API (127.0.0.1), the cache then missed for the first seconds of a run. The API is
// named `localhost` here, on its own port, so the run shows the cache itself.
describe('Firefox ESR: the engine predicts which preflights came from the cache', () => {
  let servers: Api;
  let ff: FirefoxWithExtension;
  let d: Driver;

  beforeAll(async () => {
    servers = await startServers('localhost');
    ff = await launchFirefox();
    const { page, tabId, snapshot } = await openWatchedFirefoxTab(ff, `${servers.page}/`, `${servers.api}/warm`);
    d = {
      browser: 'firefox',
      tabId,
      fetch: (url, init) => pageFetch(page, url, init),
      evaluate: async (expression) => String(await page.evaluate(expression)),
      snapshot,
    };
  });

  afterAll(async () => {
    await ff?.close();
    await servers?.close();
  });

  it('matches Firefox for Max-Age 2, 0, abc, -1, absent and a no-store fetch', async () => {
    expectEngineMatchesBrowser(await playRounds(d, servers), servers, 'firefox');
  });

  it('sees five parallel PUTs each send their OPTIONS, as the replay predicts', async () => {
    expectParallel(await playParallel(d, servers), servers);
  });

  it('keeps credentialed and uncredentialed preflights apart, and says when the mode is unknown', async () => {
    const snap = await playCredentials(d, servers);
    for (const name of Object.keys(CREDENTIAL_RUNS)) expectReplayMatches(snap, servers, `/cred/${name}`);
    // Measured: each mode sent its own OPTIONS in either order.
    expect([servers.optionsAt('/cred/include-first'), servers.optionsAt('/cred/omit-first')]).toEqual([2, 2]);
    // Firefox's webRequest cannot tell an uncredentialed request here (a credentialed one would fail only at the
    // response, which webRequest still reports completed), so the counts say they depend on it.
    for (const e of preflightEndpoints(snap.exchanges)) {
      expect(e.credentials, e.key.url).toEqual({ include: 2, omit: 0, unknown: 2 });
      expect(e.savings, e.key.url).toBeNull();
    }
  });
});
