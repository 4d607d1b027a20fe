// A background that really stops loses nothing: exchanges captured before the stop, one request in flight across it
// (its preflight answered only after the stop) and requests made after it all reach a panel that connects later.
// Chromium: the worker is stopped over CDP, Playwright's attachment would otherwise keep it alive (browser-facts §3a).
// Firefox: the event page suspends itself after a short idle timeout (pref), as it does after 30 s by default.
import type { CDPSession, Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLUSH_DELAY_MS } from '../../src/background/persist.ts';
import { judge } from '../../src/core/judge.ts';
import type { TabSnapshot, ExchangeRecord } from '../../src/protocol/messages.ts';
import {
  badgeOf,
  firefoxSnapshotOf,
  openWatchedChromiumTab,
  openWatchedFirefoxTab,
  launchChromium,
  launchFirefox,
  pageFetch,
  sleep,
  snapshotOf,
  startOrigins,
  waitFor,
  type ChromiumWithExtension,
  type FirefoxWithExtension,
  type Snapshots,
  type TestOrigins,
} from './harness.ts';

/** Path (without the run token) and verdict of each exchange, in start order. */
function summary(snap: TabSnapshot): string[] {
  return snap.exchanges.map((r: ExchangeRecord) => {
    const path = new URL(r.exchange.hops[0]!.url).pathname.replace(/\/[^/]+$/, '');
    return `${r.exchange.hops[0]!.method} ${path} ${judge(r.exchange).verdict}`;
  });
}

const EXPECTED_BEFORE = ['GET /allowed allowed', 'GET /blocked blocked', 'PUT /no-foo blocked', 'PUT /held pending'];
const EXPECTED_AFTER = [
  'GET /allowed allowed',
  'GET /blocked blocked',
  'PUT /no-foo blocked',
  'PUT /held allowed',
  'GET /blocked blocked',
  'GET /allowed allowed',
];

/** Three finished requests and one whose preflight the server holds (so it is in flight across the stop). */
async function captureBefore(
  fetchUrl: (url: string, init?: RequestInit) => Promise<string>,
  snapshot: Snapshots,
  origins: TestOrigins,
  token: string,
): Promise<{ before: TabSnapshot; inFlight: Promise<string> }> {
  await fetchUrl(`${origins.api}/allowed/${token}`);
  await fetchUrl(`${origins.api}/blocked/${token}`);
  await fetchUrl(`${origins.api}/no-foo/${token}`, { method: 'PUT', headers: { 'X-Foo': '1' } });
  const inFlight = fetchUrl(`${origins.api}/held/${token}`, { method: 'PUT', headers: { 'X-Foo': '1' } });
  const before = await waitFor('three finished and one pending exchange', async () => {
    const s = await snapshot();
    const pending = s.exchanges.filter((r) => r.exchange.end.state === 'pending');
    return s.exchanges.length === 4 && pending.length === 1 && pending[0]!.exchange.hops[0]!.preflight?.requestHeaders ? s : undefined;
  });
  expect(summary(before)).toEqual(EXPECTED_BEFORE);
  return { before, inFlight };
}

/** After the stop: the held preflight is answered, two more requests go out; each event can only reach a restarted
 *  background. */
async function captureAfter(fetchUrl: (url: string) => Promise<string>, inFlight: Promise<string>, origins: TestOrigins, token: string): Promise<void> {
  origins.releaseHeld();
  expect(await inFlight).toBe('status 200');
  await fetchUrl(`${origins.api}/blocked/after-${token}`);
  await fetchUrl(`${origins.api}/allowed/after-${token}`);
}

async function checkAfter(snapshot: Snapshots, before: TabSnapshot): Promise<void> {
  const after = await waitFor('all six exchanges finished', async () => {
    const s = await snapshot();
    return s.exchanges.length === 6 && s.exchanges.every((r) => r.exchange.end.state !== 'pending') ? s : undefined;
  });
  expect(summary(after)).toEqual(EXPECTED_AFTER);
  // The exchanges from before the stop are the same records, not re-captures.
  for (const r of before.exchanges.slice(0, 3)) expect(after.exchanges.find((a) => a.id === r.id)).toEqual(r);
  // The held request: its preflight, paired before the stop, got its answer after it.
  const held = after.exchanges[3]!;
  expect(held.id).toBe(before.exchanges[3]!.id);
  expect(held.exchange.hops[0]!.preflight?.response?.status).toBe(204);
  expect(held.exchange.hops[0]!.response?.status).toBe(200);
  expect(held.revision).toBeGreaterThan(before.exchanges[3]!.revision);
}

describe('Chromium: a stopped service worker loses no exchange', () => {
  let origins: TestOrigins;
  let browser: ChromiumWithExtension;
  let page: Page;
  let ext: Page;
  let cdp: CDPSession;
  let tabId = 0;
  /** runningStatus of the extension's worker, as CDP reports each change. */
  const statuses: string[] = [];
  const token = Date.now().toString(36);

  beforeAll(async () => {
    origins = await startOrigins();
    browser = await launchChromium();
    ({ page, ext, tabId } = await openWatchedChromiumTab(browser, `${origins.page}/`, origins.api));
    cdp = await browser.context.newCDPSession(page);
    const script = `chrome-extension://${browser.extensionId}/background.js`;
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) if (v.scriptURL === script) statuses.push(v.runningStatus);
    });
    await cdp.send('ServiceWorker.enable');
  });

  afterAll(async () => {
    await browser?.close();
    await origins?.close();
  });

  it('restores what it had, resumes the request in flight, and wakes for new requests', async () => {
    const snapshot: Snapshots = (commands) => snapshotOf(ext, tabId, commands);
    const { before, inFlight } = await captureBefore((url, init) => pageFetch(page, url, init), snapshot, origins, token);
    await sleep(FLUSH_DELAY_MS + 500);

    statuses.length = 0;
    await cdp.send('ServiceWorker.stopAllWorkers');
    await waitFor('the worker to stop', () => (statuses.at(-1) === 'stopped' ? true : undefined));

    // No panel is connected: only webRequest events can wake the worker now.
    await captureAfter((url) => pageFetch(page, url), inFlight, origins, token);
    await waitFor('a webRequest event to restart the worker', () => (statuses.at(-1) === 'running' ? true : undefined));
    expect(statuses).toContain('starting');

    await checkAfter(snapshot, before);
    expect((await badgeOf(ext, tabId)).text).toBe('3');
  });

  it('an open panel reconnects when the worker stops, and keeps showing every request', async () => {
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/panel.html?tabId=${tabId}`);
    const rows = panel.getByTestId('request-row');
    const known = (await snapshotOf(ext, tabId)).exchanges.length;
    await waitFor('the panel to list the tab', async () => ((await rows.count()) === known ? true : undefined));
    // The previous test's last changes must be written first (an idle worker only stops after ~30 s).
    await sleep(FLUSH_DELAY_MS + 500);

    statuses.length = 0;
    await cdp.send('ServiceWorker.stopAllWorkers');
    // The panel's port drops with the worker; connecting again starts a new one.
    await waitFor('the panel to restart the worker', () => (statuses.includes('stopped') && statuses.at(-1) === 'running' ? true : undefined));
    await pageFetch(page, `${origins.api}/blocked/panel-${token}`);
    await waitFor('the panel to show the new request', async () => ((await rows.count()) === known + 1 ? true : undefined));
    await panel.close();
  });
});

describe('Firefox: a suspended event page loses no exchange', () => {
  let origins: TestOrigins;
  let ff: FirefoxWithExtension;
  let page: PuppeteerPage;
  let ext = '';
  let tabId = 0;
  const token = Date.now().toString(36);
  const snapshot: Snapshots = (commands) => firefoxSnapshotOf(ff, ext, tabId, commands);

  beforeAll(async () => {
    origins = await startOrigins();
    // Firefox suspends an idle event page after 30 s by default; 1 s keeps the test short.
    ff = await launchFirefox({ 'extensions.background.idle.timeout': 1000 });
    ({ page, ext, tabId } = await openWatchedFirefoxTab(ff, `${origins.page}/`, origins.api));
  });

  afterAll(async () => {
    await ff?.close();
    await origins?.close();
  });

  it('restores what it had from storage.session, resumes the request in flight, and wakes for new requests', async () => {
    const { before, inFlight } = await captureBefore((url, init) => pageFetch(page, url, init), snapshot, origins, token);
    await waitFor('the event page to suspend', async () => ((await ff.backgroundState()) === 'stopped' ? true : undefined), 15_000);

    await captureAfter((url) => pageFetch(page, url), inFlight, origins, token);
    await waitFor('a webRequest event to restart the event page', async () => ((await ff.backgroundState()) === 'running' ? true : undefined));

    await checkAfter(snapshot, before);
  });
});
