// The preflight cache live: a page re-sends preflighted PUTs under short Access-Control-Max-Age values, Corsight's
// background captures them, and the engine's replay of the browser's cache (src/core/preflight-cache.ts) must say
// "from the cache" exactly where the real browser sent no OPTIONS (counted by the server itself).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveMaxAge, preflightEndpoints, preflightUses } from '../../src/core/preflight-cache.ts';
import type { BrowserName } from '../../src/core/types.ts';
import type { TabSnapshot } from '../../src/protocol/messages.ts';
import {
  firefoxSnapshotOf,
  launchChromium,
  launchFirefox,
  openExtensionPage,
  pageFetch,
  sleep,
  snapshotOf,
  tabIdOf,
  waitFor,
  warmUp,
  type ChromiumWithExtension,
  type FirefoxWithExtension,
  type Snapshots,
} from './harness.ts';

/** Access-Control-Max-Age per path segment; `none` sends no header. */
const MAX_AGES: Record<string, string | null> = { two: '2', zero: '0', abc: 'abc', minus: '-1', none: null, nostore: '60' };

interface Api {
  page: string;
  api: string;
  /** OPTIONS the API answered, per case. */
  options(name: string): number;
  close(): Promise<void>;
}

/** A page origin and an API origin on loopback; `apiHost` names the API (Firefox: see the Firefox block). */
async function startServers(apiHost: string): Promise<Api> {
  const options = new Map<string, number>();
  const api = createServer((req, res) => {
    const [, kind, name] = (req.url ?? '/').split('/');
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS' && kind === 'ma' && name !== undefined) {
      options.set(name, (options.get(name) ?? 0) + 1);
      res.setHeader('Access-Control-Allow-Methods', 'PUT');
      res.setHeader('Access-Control-Allow-Headers', 'x-foo');
      const maxAge = MAX_AGES[name];
      if (maxAge) res.setHeader('Access-Control-Max-Age', maxAge);
      res.writeHead(204).end();
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
    page: `http://localhost:${pagePort}`,
    api: `http://${apiHost}:${apiPort}`,
    options: (name) => options.get(name) ?? 0,
    async close() {
      for (const s of [page, api]) s.closeAllConnections();
      await Promise.all([page, api].map((s) => new Promise((r) => s.close(r))));
    },
  };
}

interface Driver {
  browser: BrowserName;
  fetch(url: string, init?: RequestInit): Promise<string>;
  snapshot: Snapshots;
}

/** Three rounds of PUTs with X-Foo: at 0, ~0.6 s and ~3.2 s (Max-Age 2 has expired by then, 5 s has not). */
async function playRounds(d: Driver, servers: Api): Promise<TabSnapshot> {
  const put = (name: string, init: RequestInit = {}): Promise<string> =>
    d.fetch(`${servers.api}/ma/${name}`, { method: 'PUT', headers: { 'X-Foo': '1' }, ...init });
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
  return waitFor('every PUT captured', async () => {
    const snap = await d.snapshot();
    return snap.exchanges.length >= count && snap.exchanges.every((r) => r.exchange.end.state !== 'pending') ? snap : undefined;
  });
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
    // The engine predicts from the cache exactly where the browser sent no OPTIONS.
    expect(mine.map((u) => u.predicted), `${browser} ${name}`).toEqual(mine.map((u) => u.observed));
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
    servers = await startServers('127.0.0.1');
    browser = await launchChromium();
    const page: Page = await browser.context.newPage();
    await page.goto(`${servers.page}/`);
    const ext = await openExtensionPage(browser.context, browser.extensionId);
    const tabId = await tabIdOf(ext, `${servers.page}/`);
    d = { browser: 'chrome', fetch: (url, init) => pageFetch(page, url, init), snapshot: (commands) => snapshotOf(ext, tabId, commands) };
    await warmUp(d.fetch, d.snapshot, tabId, `${servers.api}/warm`);
  });

  afterAll(async () => {
    await browser?.close();
    await servers?.close();
  });

  it('matches Chromium for Max-Age 2, 0, abc, -1, absent and a no-store fetch', async () => {
    expectEngineMatchesBrowser(await playRounds(d, servers), servers, 'chrome');
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
    const page: PuppeteerPage = await ff.browser.newPage();
    await page.goto(`${servers.page}/`);
    const ext = await ff.openExtensionPage('panel.html');
    const ids = await ff.evaluate(ext, `browser.tabs.query({}).then((tabs) => JSON.stringify(tabs.filter((t) => t.url === ${JSON.stringify(`${servers.page}/`)}).map((t) => t.id)))`);
    const tabId = (JSON.parse(ids) as number[])[0]!;
    d = { browser: 'firefox', fetch: (url, init) => pageFetch(page, url, init), snapshot: (commands) => firefoxSnapshotOf(ff, ext, tabId, commands) };
    await warmUp(d.fetch, d.snapshot, tabId, `${servers.api}/warm`);
  });

  afterAll(async () => {
    await ff?.close();
    await servers?.close();
  });

  it('matches Firefox for Max-Age 2, 0, abc, -1, absent and a no-store fetch', async () => {
    expectEngineMatchesBrowser(await playRounds(d, servers), servers, 'firefox');
  });
});
