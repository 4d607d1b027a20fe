// Capture in real browsers with the built extension: the tab's cross-origin requests with the engine's verdicts reach
// a panel through the protocol, same-origin ones stay out, the badge counts the blocked ones, and navigation clears
// the list unless "Preserve log" is on. Chromium in full; Firefox ESR for the same behaviour where it differs inside
// (blocked simple requests complete there, the badge is reset by another code path).
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../../src/core/judge.ts';
import type { BrowserName } from '../../src/core/types.ts';
import { PANEL_PORT_NAME, PROTOCOL_VERSION, type BackgroundMessage, type ExchangeRecord, type TabSnapshot } from '../../src/protocol/messages.ts';
import {
  badgeOf,
  openWatchedChromiumTab,
  openWatchedFirefoxTab,
  launchChromium,
  launchFirefox,
  pageFetch,
  startOrigins,
  waitFor,
  type ChromiumWithExtension,
  type FirefoxWithExtension,
  type Snapshots,
  type TestOrigins,
} from './harness.ts';

declare const chrome: {
  runtime: { connect(info: { name: string }): { postMessage(m: object): void; onMessage: { addListener(l: (m: BackgroundMessage) => void): void } } };
};
declare const window: { corsightMessages: BackgroundMessage[] };

const BLOCKED_RED = [217, 48, 37, 255];

/** What a test does in the browser under test. */
interface Driver {
  browser: BrowserName;
  tabId: number;
  fetch(url: string, init?: RequestInit): Promise<string>;
  goto(url: string): Promise<void>;
  snapshot: Snapshots;
  badge(): Promise<{ text: string; color: number[] }>;
}

const pathOf = (r: ExchangeRecord): string => new URL(r.exchange.hops[0]!.url).pathname;
const settled = (snap: TabSnapshot, count: number): TabSnapshot | undefined =>
  snap.exchanges.length >= count && snap.exchanges.every((r) => r.exchange.end.state !== 'pending') ? snap : undefined;

/** The three cross-origin requests (allowed, blocked simple, failed preflight) and a same-origin one. */
async function captureFour(d: Driver, origins: TestOrigins, token: string): Promise<TabSnapshot> {
  expect(await d.fetch(`${origins.api}/allowed/${token}`)).toBe('status 200');
  expect(await d.fetch(`${origins.api}/blocked/${token}`)).toMatch(/^rejected TypeError/);
  expect(await d.fetch(`${origins.api}/no-foo/${token}`, { method: 'PUT', headers: { 'X-Foo': '1' } })).toMatch(/^rejected/);
  expect(await d.fetch(`${origins.page}/same/${token}`)).toBe('status 200');
  const snap = await waitFor('three finished exchanges', async () => settled(await d.snapshot(), 3));
  expect(snap.exchanges.map(pathOf)).toEqual([`/allowed/${token}`, `/blocked/${token}`, `/no-foo/${token}`]);
  expect(snap.url).toBe(`${origins.page}/`);
  for (const r of snap.exchanges) {
    expect(r.tabId).toBe(d.tabId);
    expect(r.exchange.origin).toBe(origins.page);
    expect(r.exchange.browser).toBe(d.browser);
  }
  const [allowed, blocked, noFoo] = snap.exchanges.map((r) => judge(r.exchange));
  expect(allowed!.verdict).toBe('allowed');
  expect(blocked!.verdict).toBe('blocked');
  expect(noFoo!.verdict).toBe('blocked');
  if (d.browser === 'chrome') {
    expect(blocked!.corsError).toBe('MissingAllowOriginHeader');
    expect([noFoo!.corsError, noFoo!.failedParameter]).toEqual(['HeaderDisallowedByPreflightResponse', 'x-foo']);
  } else {
    expect(blocked!.firefoxReason).toBe('CORSMissingAllowOrigin2');
    expect([noFoo!.firefoxReason, noFoo!.firefoxParameter]).toEqual(['CORSMissingAllowHeaderFromPreflight2', 'x-foo']);
  }
  // The preflight was paired with its PUT, with the headers that extraHeaders makes visible in Chromium.
  const preflight = snap.exchanges[2]!.exchange.hops[0]!.preflight!;
  expect(preflight.response?.status).toBe(204);
  expect(preflight.requestHeaders?.find(([n]) => n.toLowerCase() === 'access-control-request-headers')?.[1]).toBe('x-foo');
  expect(origins.seen.filter((s) => s.includes(`/no-foo/${token}`))).toEqual([`OPTIONS /no-foo/${token}`]);
  expect(await d.badge()).toEqual({ text: '2', color: BLOCKED_RED });
  return snap;
}

async function navigationClears(d: Driver, origins: TestOrigins): Promise<void> {
  await d.goto(`${origins.page}/next`);
  const snap = await waitFor('the list to empty', async () => {
    const s = await d.snapshot();
    return s.exchanges.length === 0 ? s : undefined;
  });
  expect(snap).toMatchObject({ url: `${origins.page}/next`, preserveLog: false, dropped: 0 });
  expect((await d.badge()).text).toBe('');
}

async function preserveLogKeeps(d: Driver, origins: TestOrigins, token: string): Promise<void> {
  const on = await d.snapshot([{ type: 'set-preserve-log', tabId: d.tabId, preserveLog: true }]);
  expect(on.preserveLog).toBe(true);
  await d.fetch(`${origins.api}/blocked/kept-${token}`);
  await waitFor('the blocked request', async () => settled(await d.snapshot(), 1));
  await d.goto(`${origins.page}/third`);
  await d.fetch(`${origins.api}/allowed/after-${token}`);
  const snap = await waitFor('both requests', async () => settled(await d.snapshot(), 2));
  expect(snap.exchanges.map(pathOf)).toEqual([`/blocked/kept-${token}`, `/allowed/after-${token}`]);
  expect(snap.url).toBe(`${origins.page}/third`);
  // The browser resets a tab's badge when a document commits; the background puts the preserved count back.
  await waitFor('the badge to show the preserved count', async () => ((await d.badge()).text === '1' ? true : undefined));

  // Clear empties it even so, and the badge with it; the setting stays.
  const cleared = await d.snapshot([{ type: 'clear', tabId: d.tabId }]);
  expect(cleared).toMatchObject({ preserveLog: true, exchanges: [] });
  expect((await d.badge()).text).toBe('');
}

describe('Chromium captures a tab’s cross-origin requests', () => {
  let origins: TestOrigins;
  let browser: ChromiumWithExtension;
  let page: Page;
  let ext: Page;
  let d: Driver;
  const token = Date.now().toString(36);

  beforeAll(async () => {
    origins = await startOrigins();
    browser = await launchChromium();
    const tab = await openWatchedChromiumTab(browser, `${origins.page}/`, origins.api);
    ({ page, ext } = tab);
    const { tabId, snapshot } = tab;
    d = {
      browser: 'chrome',
      tabId,
      fetch: (url, init) => pageFetch(page, url, init),
      goto: async (url) => void (await page.goto(url)),
      snapshot,
      badge: () => badgeOf(ext, tabId),
    };
  });

  afterAll(async () => {
    await browser?.close();
    await origins?.close();
  });

  it('keeps the allowed, the blocked and the failed-preflight requests with the engine’s verdicts, not the same-origin one', async () => {
    // A panel that is already open receives the changes as they happen.
    await ext.evaluate(
      ({ name, version, tabId }) => {
        window.corsightMessages = [];
        const port = chrome.runtime.connect({ name });
        port.onMessage.addListener((m) => window.corsightMessages.push(m));
        port.postMessage({ type: 'subscribe', version, tabId });
      },
      { name: PANEL_PORT_NAME, version: PROTOCOL_VERSION, tabId: d.tabId },
    );
    const snap = await captureFour(d, origins, token);

    // The open panel got its snapshot, then upserts carrying the same final records; never the same-origin one.
    const messages = await waitFor('the upserts', async () => {
      const ms = await ext.evaluate(() => window.corsightMessages);
      const finals = new Map<string, ExchangeRecord>();
      for (const m of ms) if (m.type === 'upsert') for (const r of m.exchanges) finals.set(r.id, r);
      return snap.exchanges.every((r) => finals.get(r.id)?.revision === r.revision) ? ms : undefined;
    });
    expect(messages[0]?.type).toBe('snapshot');
    const upserted = messages.flatMap((m) => (m.type === 'upsert' ? m.exchanges : []));
    expect(upserted.some((r) => r.exchange.hops[0]!.url.includes('/same/'))).toBe(false);
    // Batched: fewer messages than changes.
    expect(messages.filter((m) => m.type === 'upsert').length).toBeLessThan(upserted.length);
  });

  it('clears the list and the badge on navigation, with a reset to open panels', async () => {
    await navigationClears(d, origins);
    const reset = await ext.evaluate(() => window.corsightMessages.filter((m) => m.type === 'reset'));
    expect(reset).toEqual([{ type: 'reset', tabId: d.tabId, url: `${origins.page}/next`, dropped: 0, preserveLog: false }]);
  });

  it('keeps the list and the badge across navigations with "Preserve log" on; Clear still empties it', async () => {
    await preserveLogKeeps(d, origins, token);
  });
});

describe('Firefox ESR captures a tab’s cross-origin requests', () => {
  let origins: TestOrigins;
  let ff: FirefoxWithExtension;
  let page: PuppeteerPage;
  let d: Driver;
  const token = Date.now().toString(36);

  beforeAll(async () => {
    origins = await startOrigins();
    ff = await launchFirefox();
    const tab = await openWatchedFirefoxTab(ff, `${origins.page}/`, origins.api);
    const { ext, tabId } = tab;
    page = tab.page;
    d = {
      browser: 'firefox',
      tabId,
      fetch: (url, init) => pageFetch(page, url, init),
      goto: async (url) => void (await page.goto(url)),
      snapshot: tab.snapshot,
      badge: async () =>
        JSON.parse(
          await ff.evaluate(
            ext,
            `Promise.all([browser.action.getBadgeText({ tabId: ${tabId} }), browser.action.getBadgeBackgroundColor({ tabId: ${tabId} })]).then(([text, color]) => JSON.stringify({ text, color }))`,
          ),
        ) as { text: string; color: number[] },
    };
  });

  afterAll(async () => {
    await ff?.close();
    await origins?.close();
  });

  it('keeps the allowed, the blocked and the failed-preflight requests with the engine’s verdicts, not the same-origin one', async () => {
    await captureFour(d, origins, token);
  });

  it('clears the list and the badge on navigation', async () => {
    await navigationClears(d, origins);
  });

  it('keeps the list and the badge across navigations with "Preserve log" on; Clear still empties it', async () => {
    await preserveLogKeeps(d, origins, token);
  });
});
