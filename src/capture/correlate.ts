// Turns the stream of webRequest events into observed exchanges: hops per requestId, each preflight paired with
// the request it was sent for (browser-facts.md §8: requestId arithmetic is unreliable, so pair by URL and method).
import { originOf } from '../core/origin.ts';
import type { BrowserName, HeaderList, ObservedExchange, ObservedHop, ObservedPreflight } from '../core/types.ts';
import { headerLine, headerList, internString } from './intern.ts';
import type { WebRequestDetails, WebRequestEvent, WebRequestHeader } from './webrequest.ts';

export interface CorrelatedExchange {
  /** The actual request's webRequest requestId. */
  id: string;
  tabId: number;
  frameId: number;
  startedAt: number;
  exchange: ObservedExchange;
}

interface Tracked extends CorrelatedExchange {
  documentKey: string;
  /** True once the current hop's onBeforeSendHeaders was seen. */
  sentHeaders: boolean;
}

interface PendingPreflight {
  requestId: string;
  details: WebRequestDetails;
  preflight: ObservedPreflight;
  /** The exchange it was paired with, once known. */
  owner: Tracked | null;
}

/** The in-flight part of a Correlator as plain data (JSON-safe), so a restarted background can resume pairing. */
export interface CorrelatorState {
  requests: Tracked[];
  /** `owner`/`hop` name the request and hop the preflight was paired with; a preflight shares its object with that
   *  hop, which the restore re-establishes. */
  preflights: Array<{ requestId: string; details: WebRequestDetails; preflight: ObservedPreflight; owner: string | null; hop: number }>;
}

/** Header values arrive as strings, or as bytes (`binaryValue`) when they are not valid UTF-8. */
export function toHeaderList(headers: WebRequestHeader[] | undefined): HeaderList {
  if (!headers) return [];
  return headerList(headers.map((h) => headerLine(h.name, h.value ?? String.fromCharCode(...(h.binaryValue ?? [])))));
}

function headerOf(headers: HeaderList, name: string): string | null {
  const found = headers.find(([n]) => n.toLowerCase() === name);
  return found ? found[1] : null;
}

/** Chromium gives `initiator` (an origin); Firefox gives `originUrl`, a full URL with a trailing slash. */
function pageOrigin(d: WebRequestDetails): string | null {
  if (d.initiator !== undefined) return d.initiator;
  if (d.originUrl !== undefined) return originOf(d.originUrl);
  return null;
}

/** What identifies the document that made a request: Chromium's documentId, else Firefox's frame and document URL. */
function documentKey(d: WebRequestDetails): string {
  return d.documentId ?? `${d.frameId}|${d.documentUrl ?? ''}`;
}

export class Correlator {
  private readonly byRequest = new Map<string, Tracked>();
  private readonly preflights = new Map<string, PendingPreflight>();
  /** Insertion order = start order, which the FIFO pairing rule relies on. */
  private readonly order: Tracked[] = [];

  constructor(private readonly browser: BrowserName) {}

  /** Feeds one event; returns the exchange it changed, if any. */
  push(e: WebRequestEvent): CorrelatedExchange | null {
    const d = e.details;
    const pre = this.preflights.get(d.requestId);
    if (pre) return this.pushPreflight(pre, e);
    if (d.method === 'OPTIONS' && e.event === 'onBeforeRequest' && !this.byRequest.has(d.requestId)) {
      // Whether an OPTIONS is a preflight shows only in its headers (Access-Control-Request-Method), so hold it.
      this.preflights.set(d.requestId, {
        requestId: d.requestId,
        details: d,
        preflight: { url: d.url, requestHeaders: null, response: null, error: null },
        owner: null,
      });
      return null;
    }
    return this.pushActual(e);
  }

  exchanges(): CorrelatedExchange[] {
    return this.order.map(({ id, tabId, frameId, startedAt, exchange }) => ({ id, tabId, frameId, startedAt, exchange }));
  }

  /** Stops tracking a request (a live capture calls this once the request ended), so memory holds only what is in
   *  flight. A preflight already paired with it keeps updating the same exchange object until it ends. */
  forget(id: string): void {
    if (!this.byRequest.delete(id)) return;
    const i = this.order.findIndex((t) => t.id === id);
    if (i !== -1) this.order.splice(i, 1);
  }

  /** What is in flight, to persist. Preflights whose request was forgotten are left out: nothing can pair with them. */
  saveState(): CorrelatorState {
    const preflights: CorrelatorState['preflights'] = [];
    for (const pre of this.preflights.values()) {
      const owner = pre.owner && this.byRequest.get(pre.owner.id) === pre.owner ? pre.owner : null;
      if (pre.owner && !owner) continue;
      const hop = owner ? owner.exchange.hops.findIndex((h) => h.preflight === pre.preflight) : -1;
      preflights.push({ requestId: pre.requestId, details: pre.details, preflight: pre.preflight, owner: owner?.id ?? null, hop });
    }
    return { requests: this.order.map((t) => ({ ...t })), preflights };
  }

  static fromState(browser: BrowserName, state: CorrelatorState): Correlator {
    const c = new Correlator(browser);
    for (const t of state.requests) {
      const tracked: Tracked = { ...t };
      c.byRequest.set(t.id, tracked);
      c.order.push(tracked);
    }
    for (const p of state.preflights) {
      const owner = p.owner === null ? null : (c.byRequest.get(p.owner) ?? null);
      const hop = owner?.exchange.hops[p.hop];
      // Re-link: after a JSON round trip the hop and the pending preflight are two copies of one object.
      const preflight = hop?.preflight ?? p.preflight;
      c.preflights.set(p.requestId, { requestId: p.requestId, details: p.details, preflight, owner });
    }
    return c;
  }

  private pushActual(e: WebRequestEvent): CorrelatedExchange | null {
    const d = e.details;
    let t = this.byRequest.get(d.requestId);
    if (e.event === 'onBeforeRequest') {
      if (t) {
        const last = t.exchange.hops[t.exchange.hops.length - 1];
        if (last?.redirectTo === null) return t;
        t.exchange.hops.push(newHop(d));
        t.sentHeaders = false;
        return t;
      }
      t = {
        id: d.requestId,
        tabId: d.tabId,
        frameId: d.frameId,
        startedAt: d.timeStamp,
        documentKey: documentKey(d),
        sentHeaders: false,
        exchange: { browser: this.browser, origin: shared(pageOrigin(d)), type: internString(d.type), hops: [newHop(d)], end: { state: 'pending' } },
      };
      this.byRequest.set(d.requestId, t);
      this.order.push(t);
      return t;
    }
    if (!t) return null;
    const hop = t.exchange.hops[t.exchange.hops.length - 1]!;
    if (d.ip) hop.ip = d.ip;
    switch (e.event) {
      case 'onBeforeSendHeaders':
      case 'onSendHeaders':
        hop.requestHeaders = toHeaderList(d.requestHeaders);
        t.sentHeaders = true;
        break;
      case 'onHeadersReceived':
        hop.response = { status: d.statusCode ?? 0, headers: toHeaderList(d.responseHeaders) };
        break;
      case 'onBeforeRedirect':
        hop.redirectTo = d.redirectUrl ?? null;
        if (!hop.response) hop.response = { status: d.statusCode ?? 0, headers: toHeaderList(d.responseHeaders) };
        break;
      case 'onResponseStarted':
      case 'onCompleted':
        if (!hop.response) hop.response = { status: d.statusCode ?? 0, headers: toHeaderList(d.responseHeaders) };
        if (e.event === 'onCompleted') t.exchange.end = { state: 'completed' };
        break;
      case 'onErrorOccurred':
        t.exchange.end = { state: 'error', error: d.error ?? 'unknown error' };
        break;
    }
    return t;
  }

  private pushPreflight(pre: PendingPreflight, e: WebRequestEvent): CorrelatedExchange | null {
    const d = e.details;
    const p = pre.preflight;
    switch (e.event) {
      case 'onBeforeSendHeaders':
      case 'onSendHeaders':
        p.requestHeaders = toHeaderList(d.requestHeaders);
        break;
      case 'onHeadersReceived':
      case 'onBeforeRedirect':
      case 'onResponseStarted':
      case 'onCompleted':
        if (!p.response) {
          p.response = { status: d.statusCode ?? 0, headers: toHeaderList(d.responseHeaders) };
          p.respondedAt = d.timeStamp;
        }
        break;
      case 'onErrorOccurred':
        p.error = d.error ?? 'unknown error';
        break;
      case 'onBeforeRequest':
        break;
    }
    // Nothing follows a preflight's own end, so stop holding it (its object lives on in the hop it was paired with).
    if (e.event === 'onCompleted' || e.event === 'onErrorOccurred') this.preflights.delete(pre.requestId);
    if (!pre.owner && p.requestHeaders) {
      const acrm = headerOf(p.requestHeaders, 'access-control-request-method');
      if (acrm === null) {
        // A page-made OPTIONS, not a preflight: track it as an ordinary request from here on.
        this.preflights.delete(pre.requestId);
        this.pushActual({ event: 'onBeforeRequest', details: pre.details });
        return this.pushActual(e);
      }
      pre.owner = this.findOwner(pre.details, acrm);
      if (pre.owner) pre.owner.exchange.hops[pre.owner.exchange.hops.length - 1]!.preflight = p;
    }
    return pre.owner;
  }

  /** Oldest unpaired request of the same document whose current hop has this URL and method and has not gone
   *  out yet: Chromium sends the preflight before the actual's onBeforeSendHeaders; Firefox fires the actual's
   *  onBeforeSendHeaders first but never its onHeadersReceived. */
  private findOwner(d: WebRequestDetails, method: string): Tracked | null {
    const key = documentKey(d);
    for (const t of this.order) {
      if (t.tabId !== d.tabId || t.documentKey !== key || t.exchange.end.state !== 'pending') continue;
      const hop = t.exchange.hops[t.exchange.hops.length - 1]!;
      if (hop.url !== d.url || hop.method !== method || hop.preflight || hop.response) continue;
      if (this.browser === 'chrome' && t.sentHeaders) continue;
      return t;
    }
    return null;
  }
}

const shared = (s: string | null): string | null => (s === null ? null : internString(s));

function newHop(d: WebRequestDetails): ObservedHop {
  return { url: d.url, method: d.method, requestHeaders: null, preflight: null, response: null, redirectTo: null };
}

/** Correlates a finished list of events in one go (fixtures, HAR-like replays). */
export function correlate(browser: BrowserName, events: readonly WebRequestEvent[]): CorrelatedExchange[] {
  const c = new Correlator(browser);
  for (const e of events) c.push(e);
  return c.exchanges();
}

