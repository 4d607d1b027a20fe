// The active check in real Chromium: the panel's "Check with a foreign origin" makes the background repeat the request
// with Origin https://corsight-probe.invalid (a declarativeNetRequest session rule), against a server that reflects any
// Origin and one that allows only the page; the page's own requests keep their Origin, and no rule is left behind.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_ORIGIN } from '../../src/core/probe.ts';
import { launchChromium, openExtensionPage, pageFetch, tabIdOf, type ChromiumWithExtension } from './harness.ts';

interface Seen {
  method: string;
  path: string;
  origin: string | null;
  cookie: string | null;
}

describe('active check: Check with a foreign origin (Chromium)', () => {
  let chromium: ChromiumWithExtension;
  let page: Page;
  let panel: Page;
  let pageOrigin = '';
  let api = '';
  const seen: Seen[] = [];
  const servers = [
    createServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><p>page</p>')),
    createServer((req: IncomingMessage, res: ServerResponse) => {
      const origin = req.headers.origin ?? null;
      const path = req.url ?? '/';
      seen.push({ method: req.method ?? '', path, origin, cookie: req.headers.cookie ?? null });
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Vary', 'Origin');
      // /reflect copies any Origin with credentials; /strict allows only the test page.
      if (origin !== null && (path.startsWith('/reflect') || origin === pageOrigin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    }),
  ];

  beforeAll(async () => {
    const ports = await Promise.all(
      servers.map((s) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)))),
    );
    pageOrigin = `http://localhost:${ports[0]}`;
    api = `http://127.0.0.1:${ports[1]}`;
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    await page.goto(`${pageOrigin}/`);
    const ext = await openExtensionPage(chromium.context, chromium.extensionId);
    const tabId = await tabIdOf(ext, `${pageOrigin}/`);
    await ext.close();
    // The background's listeners go live a moment after its worker starts (docs/browser-facts.md §3).
    await new Promise((r) => setTimeout(r, 500));
    for (const path of ['/reflect/messages', '/strict/profile']) {
      expect(await pageFetch(page, `${api}${path}`, { credentials: 'include' })).toBe('status 200');
    }
    panel = await chromium.context.newPage();
    await panel.goto(`chrome-extension://${chromium.extensionId}/panel.html?tabId=${tabId}`);
    await panel.getByTestId('request-row').nth(1).waitFor();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  async function check(path: string): Promise<{ verdict: string | null; text: string }> {
    await panel.getByTestId('request-row').filter({ hasText: path }).click();
    const detail = panel.getByTestId('detail').filter({ hasText: path });
    await detail.getByTestId('probe-button').click();
    const result = detail.getByTestId('probe-result');
    await result.waitFor();
    return { verdict: await result.getAttribute('data-verdict'), text: (await result.textContent()) ?? '' };
  }

  it('a server that reflects any Origin with credentials: any site can read it as the user', async () => {
    const before = seen.length;
    const { verdict, text } = await check('/reflect/messages');
    expect(verdict).toBe('reflects-with-credentials');
    expect(text).toContain('Reflects any origin, with credentials: any site can read this API as the user');
    // What the server received: one GET with the foreign Origin and no cookies.
    expect(seen.slice(before)).toEqual([{ method: 'GET', path: '/reflect/messages', origin: PROBE_ORIGIN, cookie: null }]);
  });

  it('a server with an allow-list refuses the foreign origin', async () => {
    const before = seen.length;
    const { verdict, text } = await check('/strict/profile');
    expect(verdict).toBe('refuses');
    expect(text).toContain('Refuses a foreign origin');
    expect(seen.slice(before)).toEqual([{ method: 'GET', path: '/strict/profile', origin: PROBE_ORIGIN, cookie: null }]);
  });

  it('leaves no rule behind: the page\'s next request to the same URL carries its own Origin', async () => {
    const rules = await panel.evaluate(() =>
      (globalThis as unknown as { chrome: { declarativeNetRequest: { getSessionRules(): Promise<unknown[]> } } }).chrome.declarativeNetRequest.getSessionRules(),
    );
    expect(rules).toEqual([]);
    const before = seen.length;
    expect(await pageFetch(page, `${api}/reflect/messages`, { credentials: 'include' })).toBe('status 200');
    expect(seen.slice(before).map((s) => s.origin)).toEqual([pageOrigin]);
  });
});
