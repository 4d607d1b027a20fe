// The background's capture layer: the six listeners and their options per browser, which requests a tab's list
// keeps (the recorded corpus replayed), forgetting finished requests, and what counts as a top-level navigation.
import { describe, expect, it, vi } from 'vitest';
import { correlate } from '../../src/capture/correlate.ts';
import type { WebRequestDetails, WebRequestEvent } from '../../src/capture/webrequest.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import { sameOrigin } from '../../src/core/origin.ts';
import { loadRecording } from '../conformance/corpus.ts';

interface Registration {
  event: string;
  filter: { urls: string[] };
  options: string[] | undefined;
  argCount: number;
  listener: (details: WebRequestDetails) => void;
}
const registrations: Registration[] = [];
function fakeEvent(event: string) {
  return {
    addListener: (listener: (d: WebRequestDetails) => void, filter: { urls: string[] }, ...rest: string[][]) =>
      registrations.push({ event, filter, options: rest[0], argCount: 2 + rest.length, listener }),
  };
}
const fakeBrowser: { webRequest: Record<string, unknown> } = { webRequest: {} };
vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const { TabCapture, listenToWebRequest, topLevelCommit } = await import('../../src/background/capture.ts');

const EVENTS = ['onBeforeRequest', 'onSendHeaders', 'onHeadersReceived', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred'];

function register(enumValues: Record<string, string>, onEvent: (e: WebRequestEvent) => void = () => {}): Registration[] {
  registrations.length = 0;
  fakeBrowser.webRequest = { OnBeforeSendHeadersOptions: enumValues, ...Object.fromEntries([...EVENTS, 'onBeforeSendHeaders', 'onResponseStarted'].map((e) => [e, fakeEvent(e)])) };
  listenToWebRequest(onEvent);
  return registrations;
}

describe('listenToWebRequest', () => {
  it('registers six listeners on http(s), extraHeaders only where headers are read (Chromium)', () => {
    const regs = register({ REQUEST_HEADERS: 'requestHeaders', EXTRA_HEADERS: 'extraHeaders' });
    expect(regs.map((r) => r.event)).toEqual(EVENTS);
    expect(Object.fromEntries(regs.map((r) => [r.event, r.options ?? null]))).toEqual({
      onBeforeRequest: null,
      onSendHeaders: ['requestHeaders', 'extraHeaders'],
      onHeadersReceived: ['responseHeaders', 'extraHeaders'],
      onBeforeRedirect: null,
      onCompleted: null,
      onErrorOccurred: null,
    });
    for (const r of regs) expect(r.filter).toEqual({ urls: ['http://*/*', 'https://*/*'] });
  });

  it('asks Firefox for no extraHeaders, and gives onErrorOccurred no options argument at all', () => {
    const regs = register({ REQUESTHEADERS: 'requestHeaders', BLOCKING: 'blocking' });
    expect(regs.find((r) => r.event === 'onSendHeaders')?.options).toEqual(['requestHeaders']);
    expect(regs.find((r) => r.event === 'onHeadersReceived')?.options).toEqual(['responseHeaders']);
    // Firefox throws "Incorrect argument types" even for an empty extraInfoSpec on onErrorOccurred.
    expect(regs.find((r) => r.event === 'onErrorOccurred')?.argCount).toBe(2);
  });

  for (const browser of ['chrome', 'firefox'] as const) {
    it(`hears enough: the recorded ${browser} fetches diagnose the same from these listeners' events as from all eight`, () => {
      const listened = new Set(register({}).map((r) => r.event));
      const rec = loadRecording(browser)!;
      let fetches = 0;
      for (const s of rec.scenarios) {
        for (const f of s.fetches) {
          const all = correlate(browser, f.events).map((c) => diagnose(c.exchange));
          const heard = correlate(browser, f.events.filter((e) => listened.has(e.event))).map((c) => diagnose(c.exchange));
          expect(heard, s.id).toEqual(all);
          fetches++;
        }
      }
      expect(fetches).toBeGreaterThan(300);
    });
  }

  it('passes on tab requests only (tabId -1: DevTools, service workers, the browser)', () => {
    const seen: WebRequestEvent[] = [];
    const regs = register({}, (e) => seen.push(e));
    const details = (tabId: number): WebRequestDetails => ({ requestId: '1', url: 'http://a.test/', method: 'GET', tabId, frameId: 0, type: 'xmlhttprequest', timeStamp: 1 });
    regs[0]!.listener(details(-1));
    regs[0]!.listener(details(4));
    expect(seen.map((e) => [e.event, e.details.tabId])).toEqual([['onBeforeRequest', 4]]);
  });
});

describe('TabCapture on the recorded corpus', () => {
  for (const browser of ['chrome', 'firefox'] as const) {
    it(`keeps exactly the ${browser} exchanges that leave the page's origin, and forgets every finished request`, () => {
      const rec = loadRecording(browser)!;
      const capture = new TabCapture(browser);
      let kept = 0;
      let sameOriginOnly = 0;
      for (const s of rec.scenarios) {
        for (const f of s.fetches) {
          const ids = new Set<string>();
          for (const e of f.events) {
            const x = capture.push(e);
            if (!x) continue;
            ids.add(x.id);
            const origin = x.exchange.origin!;
            const leaves = x.exchange.hops.some((h) => !sameOrigin(h.url, origin) || (h.redirectTo !== null && !sameOrigin(h.redirectTo, origin)));
            expect(leaves, s.id).toBe(true);
          }
          kept += ids.size;
          if (ids.size === 0 && f.events.length > 0) sameOriginOnly++;
        }
      }
      expect(kept).toBeGreaterThan(300);
      // The corpus has same-origin contrasts (same-origin GET, credentials 'same-origin', ...): none is kept.
      expect(sameOriginOnly).toBeGreaterThan(0);
      // Every recorded request ended, so nothing is left in flight in any tab.
      const tabs = new Set(rec.scenarios.flatMap((s) => s.fetches.flatMap((f) => f.events.map((e) => e.details.tabId))));
      for (const tabId of tabs) expect(capture.pending(tabId)).toBeNull();
    });
  }

  it('ignores WebSocket handshakes', () => {
    const capture = new TabCapture('firefox');
    const d: WebRequestDetails = { requestId: '9', url: 'http://127.0.0.1:1/ws', method: 'GET', tabId: 1, frameId: 0, type: 'websocket', timeStamp: 1, originUrl: 'http://localhost:2/' };
    expect(capture.push({ event: 'onBeforeRequest', details: d })).toBeNull();
    expect(capture.pending(1)).toBeNull();
  });
});

describe('topLevelCommit', () => {
  const hr = (statusCode: number, type = 'main_frame', disposition?: string): WebRequestEvent => ({
    event: 'onHeadersReceived',
    details: {
      requestId: '1',
      url: 'http://localhost:5173/',
      method: 'GET',
      tabId: 1,
      frameId: 0,
      type,
      timeStamp: 1,
      statusCode,
      responseHeaders: disposition ? [{ name: 'Content-Disposition', value: disposition }] : [],
    },
  });
  it('is the main-frame response that replaces the document', () => {
    expect(topLevelCommit(hr(200))).toBe(true);
    expect(topLevelCommit(hr(404))).toBe(true);
    expect(topLevelCommit(hr(200, 'main_frame', 'inline'))).toBe(true);
  });
  it('is not a redirect, a 204/205, a download, a frame, or another event', () => {
    expect(topLevelCommit(hr(302))).toBe(false);
    expect(topLevelCommit(hr(204))).toBe(false);
    expect(topLevelCommit(hr(205))).toBe(false);
    expect(topLevelCommit(hr(200, 'main_frame', 'attachment; filename="a.zip"'))).toBe(false);
    expect(topLevelCommit(hr(200, 'sub_frame'))).toBe(false);
    expect(topLevelCommit({ ...hr(200), event: 'onCompleted' })).toBe(false);
  });
});
