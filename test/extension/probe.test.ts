// The active check in real Chromium and Firefox ESR: the panel's "Check with a foreign origin" makes the background
// repeat the request with Origin https://corsight-probe.invalid (a declarativeNetRequest session rule), against a
// server that reflects any Origin and one that allows only the page; the page's own requests keep their Origin, and
// no rule is left behind.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bidiClick } from '../../scripts/firefox.ts';
import { PROBE_ORIGIN } from '../../src/core/probe.ts';
import {
  openWatchedChromiumTab,
  openWatchedFirefoxTab,
  launchChromium,
  launchFirefox,
  pageFetch,
  waitFor,
  type FirefoxWithExtension,
} from './harness.ts';

interface Seen {
  method: string;
  path: string;
  origin: string | null;
  cookie: string | null;
}

interface ProbeServers {
  /** http://localhost:<p>: the page. */
  pageOrigin: string;
  /** http://127.0.0.1:<q>: the API the page calls. */
  api: string;
  /** Every request the API received, in order. */
  seen: Seen[];
  close(): Promise<void>;
}

/**
 * The page and the API: /reflect/… copies any Origin with credentials, /strict/… allows only the page, and
 * /set-cookie (a top-level visit) gives the API origin a cookie of its own, so a probe that sent cookies would show it.
 */
async function startProbeServers(): Promise<ProbeServers> {
  const seen: Seen[] = [];
  let pageOrigin = '';
  const servers = [
    createServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><p>page</p>')),
    createServer((req: IncomingMessage, res: ServerResponse) => {
      const origin = req.headers.origin ?? null;
      const path = req.url ?? '/';
      seen.push({ method: req.method ?? '', path, origin, cookie: req.headers.cookie ?? null });
      res.setHeader('Cache-Control', 'no-store');
      if (path === '/set-cookie') {
        res.writeHead(200, { 'Content-Type': 'text/html', 'Set-Cookie': 'session=user-1; Path=/' }).end('<!doctype html><p>api</p>');
        return;
      }
      res.setHeader('Vary', 'Origin');
      if (origin !== null && (path.startsWith('/reflect') || origin === pageOrigin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    }),
  ];
  const ports = await Promise.all(
    servers.map((s) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)))),
  );
  pageOrigin = `http://localhost:${ports[0]}`;
  return {
    pageOrigin,
    api: `http://127.0.0.1:${ports[1]}`,
    seen,
    async close() {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

/** One browser with Corsight, its panel open on the test page's tab, which sent /reflect/messages and /strict/profile. */
interface ProbeDriver {
  /** Opens the row of `path` in the panel, clicks "Check with a foreign origin", and reads the result it shows. */
  check(path: string): Promise<{ verdict: string | null; text: string }>;
  /** A fetch from the test page. */
  pageFetch(url: string, init: RequestInit): Promise<string>;
  /** A fetch from the panel: an extension page in a tab of its own, so the probe's rule (no tab) never applies. */
  extensionFetch(url: string, init: RequestInit): Promise<string>;
  /** The extension's declarativeNetRequest session rules, as the panel reads them. */
  sessionRules(): Promise<unknown[]>;
  close(): Promise<void>;
}

/** Runs `setUp` on a launched browser, closing the browser when it throws (a failed beforeAll leaves no browser). */
async function orClose<T>(close: () => Promise<void>, setUp: () => Promise<T>): Promise<T> {
  try {
    return await setUp();
  } catch (error) {
    await close();
    throw error;
  }
}

/** The same user-visible checks in each browser. */
function probeSuite(browserName: string, open: (servers: ProbeServers) => Promise<ProbeDriver>): void {
  describe(`active check: Check with a foreign origin (${browserName})`, () => {
    let servers: ProbeServers;
    let driver: ProbeDriver;

    beforeAll(async () => {
      servers = await startProbeServers();
      driver = await open(servers);
    }, 60_000);

    afterAll(async () => {
      await driver?.close();
      await servers?.close();
    });

    it('the API origin has a cookie that a credentialed extension request sends (so "no cookie" below means something)', async () => {
      const before = servers.seen.length;
      expect(await driver.extensionFetch(`${servers.api}/reflect/control`, { credentials: 'include' })).toBe('status 200');
      expect(servers.seen.slice(before).map((s) => s.cookie)).toEqual(['session=user-1']);
    });

    it('a server that reflects any Origin with credentials: any site can read it as the user', async () => {
      const before = servers.seen.length;
      const { verdict, text } = await driver.check('/reflect/messages');
      expect(verdict).toBe('reflects-with-credentials');
      expect(text).toContain('Reflects any origin, with credentials: any site can read this API as the user');
      // What the server received: one GET with the foreign Origin and no cookies.
      expect(servers.seen.slice(before)).toEqual([{ method: 'GET', path: '/reflect/messages', origin: PROBE_ORIGIN, cookie: null }]);
    });

    it('a server with an allow-list refuses the foreign origin', async () => {
      const before = servers.seen.length;
      const { verdict, text } = await driver.check('/strict/profile');
      expect(verdict).toBe('refuses');
      expect(text).toContain('Refuses a foreign origin');
      expect(servers.seen.slice(before)).toEqual([{ method: 'GET', path: '/strict/profile', origin: PROBE_ORIGIN, cookie: null }]);
    });

    it('leaves no rule behind: the page\'s next request to the same URL carries its own Origin', async () => {
      expect(await driver.sessionRules()).toEqual([]);
      const before = servers.seen.length;
      expect(await driver.pageFetch(`${servers.api}/reflect/messages`, { credentials: 'include' })).toBe('status 200');
      expect(servers.seen.slice(before).map((s) => s.origin)).toEqual([servers.pageOrigin]);
    });
  });
}

/** What the test page sends before the panel opens: the two requests the checks repeat. */
const PAGE_REQUESTS = ['/reflect/messages', '/strict/profile'];

probeSuite('Chromium', async ({ pageOrigin, api }) => {
  const chromium = await launchChromium();
  return orClose(() => chromium.close(), async () => {
    // A top-level visit gives the API origin its cookie; warmed up on the API (no CORS headers, which does not matter).
    const { page, ext, tabId } = await openWatchedChromiumTab(chromium, `${pageOrigin}/`, api, async (p) => void (await p.goto(`${api}/set-cookie`)));
    await ext.close();
    for (const path of PAGE_REQUESTS) expect(await pageFetch(page, `${api}${path}`, { credentials: 'include' })).toBe('status 200');
    const panel: Page = await chromium.context.newPage();
    await panel.goto(`chrome-extension://${chromium.extensionId}/panel.html?tabId=${tabId}`);
    await panel.getByTestId('request-row').nth(PAGE_REQUESTS.length - 1).waitFor();
    return {
      async check(path) {
        await panel.getByTestId('request-row').filter({ hasText: path }).click();
        const detail = panel.getByTestId('detail').filter({ hasText: path });
        await detail.getByTestId('probe-button').click();
        const result = detail.getByTestId('probe-result');
        await result.waitFor();
        return { verdict: await result.getAttribute('data-verdict'), text: (await result.textContent()) ?? '' };
      },
      pageFetch: (url, init) => pageFetch(page, url, init),
      extensionFetch: (url, init) => pageFetch(panel, url, init),
      sessionRules: () =>
        panel.evaluate(() =>
          (globalThis as unknown as { chrome: { declarativeNetRequest: { getSessionRules(): Promise<unknown[]> } } }).chrome.declarativeNetRequest.getSessionRules(),
        ),
      close: () => chromium.close(),
    };
  });
});

// Firefox: BiDi cannot open the toolbox, so the panel is the full-tab view (panel.html?tabId=N), loaded the way
// docs/browser-facts.md §10a measured; clicks are real mouse input over BiDi (bidiClick).
probeSuite('Firefox ESR', async ({ pageOrigin, api }) => {
  const ff: FirefoxWithExtension = await launchFirefox();
  return orClose(() => ff.close(), async () => {
    // Warmed up on the API (answered without CORS headers, which does not matter here).
    const { page, tabId } = await openWatchedFirefoxTab(ff, `${pageOrigin}/`, api, async (p) => void (await p.goto(`${api}/set-cookie`)));
    for (const path of PAGE_REQUESTS) expect(await pageFetch(page, `${api}${path}`, { credentials: 'include' })).toBe('status 200');
    const panel = await ff.openExtensionPage(`panel.html?tabId=${tabId}`);
    const inPanel = (expression: string): Promise<string> => ff.evaluate(panel, expression);
    await waitFor('the rows in the panel', async () =>
      (await inPanel(`String(document.querySelectorAll('[data-testid="request-row"]').length)`)) === String(PAGE_REQUESTS.length) ? true : undefined,
    );

    return {
      async check(path) {
        // The Name cell's tooltip is the request's full URL; one detail view is open at a time.
        await bidiClick(ff.bidi, panel, `[data-testid="request-row"]:has([title="${api}${path}"])`);
        const detail = `document.querySelector('[data-testid="detail"]')`;
        await waitFor(`the detail of ${path}`, async () =>
          (await inPanel(`String(${detail}?.textContent.includes(${JSON.stringify(path)}) === true)`)) === 'true' ? true : undefined,
        );
        await bidiClick(ff.bidi, panel, '[data-testid="detail"] [data-testid="probe-button"]');
        return waitFor(
          `the check of ${path}`,
          async () => {
            const read = await inPanel(
              `(() => { const r = ${detail}.querySelector('[data-testid="probe-result"]');
                return JSON.stringify(r ? { verdict: r.getAttribute('data-verdict'), text: r.textContent } : null); })()`,
            );
            return (JSON.parse(read) as { verdict: string | null; text: string } | null) ?? undefined;
          },
          20_000,
        );
      },
      pageFetch: (url, init) => pageFetch(page, url, init),
      extensionFetch: (url, init) => pageFetch({ evaluate: inPanel }, url, init),
      sessionRules: async () => JSON.parse(await inPanel('browser.declarativeNetRequest.getSessionRules().then((rules) => JSON.stringify(rules))')) as unknown[],
      close: () => ff.close(),
    };
  });
});
