// The webRequest listeners (registered synchronously, so their events wake a stopped background) and what becomes of
// their events: one Correlator per tab, finished requests forgotten, only requests that leave the page's origin kept.
import { Correlator, type CorrelatedExchange, type CorrelatorState } from '../capture/correlate.ts';
import type { WebRequestDetails, WebRequestEvent, WebRequestEventName } from '../capture/webrequest.ts';
import { sameOrigin } from '../core/origin.ts';
import type { BrowserName, ObservedExchange } from '../core/types.ts';
import { browser, supportsExtraHeaders } from '../platform/browser.ts';

/**
 * Six listeners, the fewest the engine needs: every listener costs on every request (docs/browser-facts.md §3a).
 * A burst of 500 cross-origin fetches, half preflighted (Chromium 156, medians of 10 rounds) took 1.81x as long as
 * without an extension with all eight listeners empty, 1.64x with these six empty, and 1.64x with Corsight itself.
 * The recorded fetches of test/fixtures/conformance diagnose the same from these events as from all eight, in both
 * browsers (test/unit/background-capture.test.ts checks it):
 * - onSendHeaders, not onBeforeSendHeaders: the headers as finally sent (after other extensions), which is what the
 *   engine reads; every recorded onBeforeSendHeaders was followed by an onSendHeaders with identical headers.
 * - no onResponseStarted: onHeadersReceived already has the status and headers; onCompleted marks the end.
 * - onBeforeRedirect stays: without it redirect chains lose their hops.
 * Only onSendHeaders and onHeadersReceived read headers, so only they take `extraHeaders`, where the browser has it
 * (Chromium hides `Origin`, preflights and blocked responses' headers otherwise, §4; Firefox rejects the value).
 * With `extraHeaders` on those, Chromium reports preflights on the other listeners too (§4).
 */
export function listenToWebRequest(onEvent: (e: WebRequestEvent) => void): void {
  // http(s) only: webRequest also reports the extension's own pages (DevTools panel loads, tabId -1, §10) and
  // WebSocket handshakes (Chromium 156: type "websocket", ws:// URL, measured); neither is a CORS request.
  const filter = { urls: ['http://*/*', 'https://*/*'] };
  const extra = supportsExtraHeaders() ? (['extraHeaders'] as const) : [];
  const forward = (event: WebRequestEventName) => (details: WebRequestDetails) => {
    // tabId -1: requests of no tab (service workers, DevTools itself, the browser).
    if (details.tabId >= 0) onEvent({ event, details });
  };
  const events = browser.webRequest;
  events.onBeforeRequest.addListener(forward('onBeforeRequest'), filter);
  events.onSendHeaders.addListener(forward('onSendHeaders'), filter, ['requestHeaders', ...extra]);
  events.onHeadersReceived.addListener(forward('onHeadersReceived'), filter, ['responseHeaders', ...extra]);
  events.onBeforeRedirect.addListener(forward('onBeforeRedirect'), filter);
  events.onCompleted.addListener(forward('onCompleted'), filter);
  events.onErrorOccurred.addListener(forward('onErrorOccurred'), filter);
}

/**
 * The moment a tab's top-level document is replaced, as webRequest shows it: the main-frame response that will
 * commit. Not a redirect, not 204/205 (the old page stays) and not a download. Back/forward-cache restores send no
 * request and are not seen.
 */
export function topLevelCommit(e: WebRequestEvent): boolean {
  const d = e.details;
  if (e.event !== 'onHeadersReceived' || d.type !== 'main_frame') return false;
  const status = d.statusCode ?? 0;
  if ((status >= 300 && status < 400) || status === 204 || status === 205) return false;
  const disposition = d.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-disposition')?.value ?? '';
  return !/^\s*attachment/i.test(disposition);
}

/** True when some hop leaves the page's origin (or a same-origin request was redirected elsewhere). */
function leavesOrigin(x: ObservedExchange): boolean {
  const origin = x.origin;
  if (origin === null) return false;
  return x.hops.some((h) => !sameOrigin(h.url, origin) || (h.redirectTo !== null && !sameOrigin(h.redirectTo, origin)));
}

export class TabCapture {
  private readonly correlators = new Map<number, Correlator>();

  constructor(private readonly browserName: BrowserName) {}

  /** Feeds one event of a sub-resource or frame request; returns its exchange when the tab's list should show it. */
  push(e: WebRequestEvent): CorrelatedExchange | null {
    const d = e.details;
    // A WebSocket handshake is not a CORS request (the engine would read its 101 without CORS headers as blocked).
    // The URL filter keeps Chromium's ws:// events out; Firefox's URL for them was not measured.
    if (d.type === 'websocket') return null;
    let correlator = this.correlators.get(d.tabId);
    if (!correlator) {
      correlator = new Correlator(this.browserName);
      this.correlators.set(d.tabId, correlator);
    }
    const changed = correlator.push(e);
    if (!changed) return null;
    if (changed.exchange.end.state !== 'pending') correlator.forget(changed.id);
    return leavesOrigin(changed.exchange) ? changed : null;
  }

  /** The tab's in-flight requests and preflights, or null when nothing is in flight. */
  pending(tabId: number): CorrelatorState | null {
    const state = this.correlators.get(tabId)?.saveState();
    return state && (state.requests.length || state.preflights.length) ? state : null;
  }

  restore(tabId: number, state: CorrelatorState): void {
    this.correlators.set(tabId, Correlator.fromState(this.browserName, state));
  }

  remove(tabId: number): void {
    this.correlators.delete(tabId);
  }
}
