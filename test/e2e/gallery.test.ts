// The demo gallery says what the browser does with each endpoint; Chromium itself (CDP) must agree, so the demo,
// the panel tests built on it and the README stay honest.
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GALLERY } from '../../demo/gallery.ts';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { chromePath, NO_NETWORK_ARGS } from '../../scripts/chromium.ts';
import { runEndpoint, type DemoRunResult } from '../../demo/drive.ts';

/** How CDP saw one request the page made (redirect hops share the CDP request id, so the first URL names it). */
interface CdpOutcome {
  url: string;
  corsError: string | null;
  failedParameter: string | null;
  done: boolean;
}

describe('the demo gallery in Chromium (no extension)', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  const outcomes = new Map<string, CdpOutcome>();

  beforeAll(async () => {
    demo = await startDemo({ port: 0 });
    // The browser is the oracle here: Corsight is not loaded, so nothing but Chromium decides.
    browser = await chromium.launch({ executablePath: chromePath(), headless: true, args: NO_NETWORK_ARGS });
    page = await browser.newPage();
    cdp = await page.context().newCDPSession(page);
    cdp.on('Network.requestWillBeSent', (e) => {
      // Preflights are separate CDP requests (initiator "preflight"); only the page's own requests count here.
      if (e.initiator.type === 'preflight' || outcomes.has(e.requestId)) return;
      outcomes.set(e.requestId, { url: e.request.url, corsError: null, failedParameter: null, done: false });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const o = outcomes.get(e.requestId);
      if (o) o.done = true;
    });
    cdp.on('Network.loadingFailed', (e) => {
      const o = outcomes.get(e.requestId);
      if (!o) return;
      o.done = true;
      o.corsError = e.corsErrorStatus?.corsError ?? null;
      o.failedParameter = e.corsErrorStatus?.failedParameter ?? null;
    });
    await cdp.send('Network.enable');
    await page.goto(`${demo.pageOrigin}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('has unique ids and request URLs, and every route answers', () => {
    expect(new Set(GALLERY.map((e) => e.id)).size).toBe(GALLERY.length);
    expect(new Set(GALLERY.map((e) => `${e.request.method} ${e.request.path}`)).size).toBe(GALLERY.length);
    for (const e of GALLERY) expect(e.routes.some((r) => r.server === 'api' && e.request.path.split('?')[0] === r.path)).toBe(true);
  });

  it('blocks and allows each endpoint as the gallery says, for the reason it names', async () => {
    const seen: Array<{ id: string; page: DemoRunResult; corsError: string | null }> = [];
    // In gallery order, one at a time: the first entry stores the session cookie the later credentialed ones send.
    for (const endpoint of GALLERY) {
      const result = await runEndpoint(page, endpoint.id);
      const url = demo.apiOrigin + endpoint.request.path;
      await expect.poll(() => [...outcomes.values()].find((o) => o.url === url)?.done ?? false).toBe(true);
      const outcome = [...outcomes.values()].find((o) => o.url === url)!;
      seen.push({ id: endpoint.id, page: result, corsError: outcome.corsError });
    }
    const expected = GALLERY.map((e) => ({ id: e.id, ok: e.intent === 'allowed', corsError: e.corsError }));
    expect(seen.map((s) => ({ id: s.id, ok: s.page.ok, corsError: s.corsError }))).toEqual(expected);
  });
});
