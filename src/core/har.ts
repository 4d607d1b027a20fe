// Reads a HAR 1.2 file (Chrome DevTools, Firefox, Playwright's recordHar) into observed exchanges for the engine,
// each with the list of what the HAR could not tell. Never throws: a file it cannot read is a clear error.
import type { Entry } from 'har-format';
import { hasHeader, headerValue } from './headers.ts';
import { originOf, sameOrigin } from './origin.ts';
import { classifyEnd } from './outcome.ts';
import { preflightTriggers } from './safelist.ts';
import type { BrowserName, HeaderList, ObservedEnd, ObservedExchange, ObservedHop, ObservedPreflight } from './types.ts';

/** What a HAR leaves out, measured on Chromium 156's HARs (Playwright 1.65 recordHar, DevTools' own HAR writer) and
 *  Firefox ESR 153's toolbox HAR (test/conformance/har.test.ts, test/unit/har.test.ts). */
export type HarGap = 'preflight' | 'blocked-response' | 'sent-headers' | 'ending' | 'credentials' | 'page-origin';

export const HAR_GAP_TEXT: Record<HarGap, string> = {
  preflight: 'the preflight: the request needed one and the HAR has no OPTIONS entry for it (Playwright records none; Chrome DevTools leaves out those its preflight cache answered)',
  'blocked-response': 'the response of a blocked request: the HAR kept neither its status nor its headers, so not why the browser refused it',
  'sent-headers': 'the headers the browser added (Origin, Cookie, Sec-Fetch-Mode): for a failed request the HAR kept only the page’s own',
  ending: 'how the request ended: the HAR has no response and no browser error for it',
  credentials: 'the credentials mode: a HAR never records it, only a Cookie header that was sent',
  'page-origin': 'the page’s origin: no Origin header and no document entry to take it from',
};

export interface HarExchange {
  /** `har-<n>`: n is the HAR entry index of the first hop. */
  id: string;
  /** ms since the epoch (the first hop's startedDateTime). */
  startedAt: number;
  exchange: ObservedExchange;
  /** What this HAR could not tell about this exchange, in HAR_GAP_TEXT order. */
  gaps: HarGap[];
}

export interface HarSource {
  /** The HAR's creator and browser, e.g. "Playwright 1.65.1 (chromium 156.0.8078.108)". */
  creator: string;
  browser: BrowserName;
  entries: number;
}

export type HarImport =
  | { ok: true; source: HarSource; exchanges: HarExchange[]; gaps: HarGap[] }
  | { ok: false; error: string };

const GAP_ORDER = Object.keys(HAR_GAP_TEXT) as HarGap[];

/** Resource types (DevTools / Playwright `_resourceType`) as webRequest names them. */
const RESOURCE_TYPES: Partial<Record<NonNullable<Entry['_resourceType']>, string>> = {
  fetch: 'xmlhttprequest',
  xhr: 'xmlhttprequest',
  document: 'main_frame',
  script: 'script',
  stylesheet: 'stylesheet',
  image: 'image',
  font: 'font',
  media: 'media',
  websocket: 'websocket',
  ping: 'ping',
};

/** Sec-Fetch-Dest values, for HARs without `_resourceType`. */
const DEST_TYPES: Record<string, string> = { empty: 'xmlhttprequest', document: 'main_frame', iframe: 'sub_frame', script: 'script', style: 'stylesheet', image: 'image', font: 'font' };

/** Names a page can never set: their presence proves the HAR shows the headers as they went out. */
const SENT_ONLY = ['host', 'connection', 'origin', 'sec-fetch-mode', 'accept-encoding'];

interface Parsed {
  index: number;
  started: number;
  /** When the response had arrived (start plus the entry's `time`), or null when the HAR does not say. */
  finished: number | null;
  method: string;
  url: string;
  headers: HeaderList;
  /** Names and values of request.cookies, for HARs that list cookies but drop the Cookie header. */
  cookies: string[];
  status: number;
  responseHeaders: HeaderList;
  redirectURL: string;
  failure: string | null;
  resourceType: string | null;
  page: string | null;
  frame: string | null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function text(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

/** HTTP/2 pseudo-headers (`:authority`) are not headers a browser check reads. */
function headersOf(x: unknown): HeaderList {
  if (!Array.isArray(x)) return [];
  const out: Array<readonly [string, string]> = [];
  for (const h of x) {
    if (!isRecord(h)) continue;
    const name = text(h.name);
    const value = text(h.value);
    if (name !== null && value !== null && !name.startsWith(':')) out.push([name, value]);
  }
  return out;
}

function parseEntry(e: unknown, index: number): Parsed | string {
  if (!isRecord(e)) return `entry ${index} is not an object`;
  const req = e.request;
  if (!isRecord(req)) return `entry ${index} has no request`;
  const method = text(req.method);
  const url = text(req.url);
  if (!method || !url) return `entry ${index} has no request method or URL`;
  const res = isRecord(e.response) ? e.response : {};
  const started = Date.parse(text(e.startedDateTime) ?? '');
  const took = typeof e.time === 'number' && Number.isFinite(e.time) && e.time >= 0 ? e.time : null;
  const cookies = Array.isArray(req.cookies)
    ? req.cookies.flatMap((c) => (isRecord(c) && typeof c.name === 'string' ? [`${c.name}=${text(c.value) ?? ''}`] : []))
    : [];
  const failure = text(res._failureText) ?? text(res._error) ?? text(e._failureText) ?? text(e._error);
  return {
    index,
    started: Number.isFinite(started) ? started : 0,
    finished: Number.isFinite(started) && took !== null ? started + took : null,
    method,
    url,
    headers: headersOf(req.headers),
    cookies,
    status: typeof res.status === 'number' && Number.isFinite(res.status) ? res.status : 0,
    responseHeaders: headersOf(res.headers),
    redirectURL: text(res.redirectURL) ?? '',
    failure: failure === '' ? null : failure,
    resourceType: text(e._resourceType),
    page: text(e.pageref),
    frame: text(e._frameref),
  };
}

function resolve(url: string, base: string): string | null {
  try {
    return new URL(url, base).href;
  } catch {
    return null;
  }
}

function browserOf(log: Record<string, unknown>): BrowserName {
  const names = [log.creator, log.browser].map((x) => (isRecord(x) ? (text(x.name) ?? '') : ''));
  return names.some((n) => /firefox/i.test(n)) ? 'firefox' : 'chrome';
}

function describeSource(log: Record<string, unknown>): string {
  const label = (x: unknown): string => (isRecord(x) ? `${text(x.name) ?? ''} ${text(x.version) ?? ''}`.trim() : '');
  const creator = label(log.creator) || 'unknown creator';
  const browser = label(log.browser);
  return browser && browser !== creator ? `${creator} (${browser})` : creator;
}

function sentHeadersKnown(p: Parsed): boolean {
  return p.headers.some(([n]) => SENT_ONLY.includes(n.toLowerCase()));
}

/** The headers as sent, when the HAR shows them; cookies listed apart become the Cookie header they were. */
function requestHeadersOf(p: Parsed): HeaderList | null {
  if (!sentHeadersKnown(p)) return null;
  if (p.cookies.length === 0 || hasHeader(p.headers, 'cookie')) return p.headers;
  return [...p.headers, ['Cookie', p.cookies.join('; ')]];
}

/** A Chromium net:: or Firefox NS_ERROR code; Playwright also writes words of its own (`origin`) that say nothing. */
function isBrowserError(failure: string): boolean {
  return /^(net::ERR_|NS_ERROR_|NS_BINDING_)/.test(failure);
}

function endOf(last: Parsed): ObservedEnd | null {
  // A redirect nothing followed: refused (Firefox logs no target once it stops at 20 redirects), or cut off.
  if (redirectOf(last) !== null) return null;
  if (last.status > 0) {
    // Measured: a no-cors response whose body the page never read ends in net::ERR_ABORTED after it arrived.
    if (last.failure && last.failure !== 'net::ERR_ABORTED' && isBrowserError(last.failure)) return { state: 'error', error: last.failure };
    return { state: 'completed' };
  }
  return last.failure && isBrowserError(last.failure) ? { state: 'error', error: last.failure } : null;
}

/** Where a redirect response points (redirectURL, else Location), absolute; null for any other response. */
function redirectOf(p: Parsed): string | null {
  const location = p.redirectURL || (p.status >= 300 && p.status < 400 ? (headerValue(p.responseHeaders, 'location') ?? '') : '');
  return location ? resolve(location, p.url) : null;
}

function isPreflight(p: Parsed): boolean {
  return p.method === 'OPTIONS' && headerValue(p.headers, 'access-control-request-method') !== null;
}

interface Chain {
  entries: Parsed[];
  hops: ObservedHop[];
}

/** The page's origin: the Origin the browser sent, else the origin of the document its frame (or page) loaded last
 *  before it, else its Referer's. */
function pageOriginOf(first: Parsed, documents: readonly Parsed[]): string | null {
  const sent = headerValue(first.headers, 'origin');
  if (sent !== null && sent !== 'null' && originOf(sent) !== null) return sent;
  let doc: Parsed | null = null;
  for (const d of documents) {
    if (d.index >= first.index) break;
    if ((first.frame !== null && d.frame === first.frame) || (first.frame === null && first.page !== null && d.page === first.page)) doc = d;
  }
  const fromDoc = doc ? originOf(doc.url) : null;
  if (fromDoc && fromDoc !== 'null') return fromDoc;
  const referer = headerValue(first.headers, 'referer');
  const fromReferer = referer ? originOf(referer) : null;
  return fromReferer && fromReferer !== 'null' ? fromReferer : null;
}

/** Chains entries into requests: a redirect's target is a later entry of the same page whose URL is the
 *  redirectURL (or Location) of an open chain's last hop. */
function chainEntries(entries: readonly Parsed[]): Chain[] {
  const chains: Chain[] = [];
  const open: Array<{ chain: Chain; next: string }> = [];
  for (const p of entries) {
    if (isPreflight(p)) continue;
    const hop: ObservedHop = { url: p.url, method: p.method, requestHeaders: requestHeadersOf(p), preflight: null, response: null, redirectTo: null };
    if (p.status > 0) hop.response = { status: p.status, headers: p.responseHeaders };
    const at = open.findIndex((o) => o.next === p.url && o.chain.entries[0]!.page === p.page);
    // Firefox lists the target of a redirect it refused to follow: no response, no error, and neither the Origin
    // nor the Sec-Fetch-Mode that every request it sends after a CORS redirect carries. It was never requested.
    if (at !== -1 && p.status <= 0 && !p.failure && !hasHeader(p.headers, 'origin') && !hasHeader(p.headers, 'sec-fetch-mode')) {
      open.splice(at, 1);
      continue;
    }
    let chain: Chain;
    if (at !== -1) {
      chain = open[at]!.chain;
      open.splice(at, 1);
      chain.hops[chain.hops.length - 1]!.redirectTo = p.url;
      chain.entries.push(p);
      chain.hops.push(hop);
    } else {
      chain = { entries: [p], hops: [hop] };
      chains.push(chain);
    }
    const next = redirectOf(p);
    if (next) open.push({ chain, next });
  }
  return chains;
}

/** Pairs each preflight with the hop it was sent for: same page, URL and method (Access-Control-Request-Method),
 *  no preflight yet, nearest in start time. Not "the request after it": Chrome DevTools and Firefox both date the
 *  fetch before its preflight (measured on every one of 212 and 219 pairs). */
function pairPreflights(entries: readonly Parsed[], chains: readonly Chain[]): void {
  for (const p of entries) {
    if (!isPreflight(p)) continue;
    const method = headerValue(p.headers, 'access-control-request-method') ?? '';
    let best: ObservedHop | null = null;
    let bestDistance = Infinity;
    for (const c of chains) {
      for (let i = 0; i < c.hops.length; i++) {
        const hop = c.hops[i]!;
        const entry = c.entries[i]!;
        if (hop.preflight || hop.url !== p.url || hop.method !== method || entry.page !== p.page) continue;
        const distance = Math.abs(entry.started - p.started);
        if (distance < bestDistance) {
          best = hop;
          bestDistance = distance;
        }
      }
    }
    const preflight: ObservedPreflight = {
      url: p.url,
      requestHeaders: p.headers,
      response: p.status > 0 ? { status: p.status, headers: p.responseHeaders } : null,
      error: p.failure && isBrowserError(p.failure) ? p.failure : null,
      // The preflight cache holds an entry from its response on (src/core/preflight-cache.ts).
      ...(p.status > 0 && p.finished !== null ? { respondedAt: p.finished } : {}),
    };
    if (best) best.preflight = preflight;
  }
}

function typeOf(first: Parsed): string {
  if (first.resourceType) return RESOURCE_TYPES[first.resourceType.toLowerCase() as keyof typeof RESOURCE_TYPES] ?? 'other';
  const dest = headerValue(first.headers, 'sec-fetch-dest');
  return (dest && DEST_TYPES[dest.toLowerCase()]) || 'other';
}

function gapsOf(c: Chain, ex: ObservedExchange, browser: BrowserName): HarGap[] {
  const gaps = new Set<HarGap>();
  if (ex.end.state === 'pending') gaps.add('ending');
  // A page load has no page origin to check against, and CORS never applies to it.
  if (ex.type === 'main_frame') return GAP_ORDER.filter((g) => gaps.has(g));
  const origin = ex.origin;
  if (origin === null) gaps.add('page-origin');
  const crossOrigin = origin === null || ex.hops.some((h) => !sameOrigin(h.url, origin));
  c.entries.forEach((p, i) => {
    const hop = ex.hops[i]!;
    // After a preflight the HAR shows, a request without headers or response never went out: nothing is missing.
    const stoppedByPreflight = hop.preflight?.response != null && !hop.response;
    if (!hop.requestHeaders && !stoppedByPreflight) gaps.add('sent-headers');
    // Only a CORS failure had a response to hide; a refused connection had none.
    if (!hop.response && !stoppedByPreflight && i === c.entries.length - 1 && classifyEnd(ex) === 'cors-failure') gaps.add('blocked-response');
    const hopCrossOrigin = origin === null || !sameOrigin(hop.url, origin);
    // The page's own headers are in the HAR even when the rest is not: enough to tell a preflight was needed.
    if (hopCrossOrigin && !hop.preflight && preflightTriggers(p.method, p.headers, browser).length > 0) gaps.add('preflight');
  });
  if (crossOrigin && !ex.hops.some((h) => hasHeader(h.requestHeaders, 'cookie'))) gaps.add('credentials');
  return GAP_ORDER.filter((g) => gaps.has(g));
}

/** Reads a HAR already parsed from JSON. */
export function importHar(data: unknown): HarImport {
  if (!isRecord(data) || !isRecord(data.log)) return { ok: false, error: 'not a HAR file: no "log" object at the top level' };
  const log = data.log;
  if (!Array.isArray(log.entries)) return { ok: false, error: 'not a HAR file: "log.entries" is not a list' };
  const parsed: Parsed[] = [];
  for (let i = 0; i < log.entries.length; i++) {
    const p = parseEntry(log.entries[i], i);
    if (typeof p === 'string') return { ok: false, error: `malformed HAR: ${p}` };
    parsed.push(p);
  }
  // Stable: entries that started in the same millisecond keep the file's order.
  parsed.sort((a, b) => a.started - b.started);
  const browser = browserOf(log);
  // Playwright's recordHar never writes an OPTIONS entry (measured on 392 fetches, 212 of them preflighted).
  const preflightsUnrecorded = isRecord(log.creator) && /playwright/i.test(text(log.creator.name) ?? '');
  const chains = chainEntries(parsed);
  pairPreflights(parsed, chains);
  const documents = parsed.filter((p) => p.resourceType === 'document' || headerValue(p.headers, 'sec-fetch-dest') === 'document');
  const exchanges: HarExchange[] = chains.map((c) => {
    const first = c.entries[0]!;
    const exchange: ObservedExchange = {
      browser,
      origin: pageOriginOf(first, documents),
      type: typeOf(first),
      hops: c.hops,
      end: endOf(c.entries[c.entries.length - 1]!) ?? { state: 'pending' },
      ...(preflightsUnrecorded ? { preflightsUnrecorded: true as const } : {}),
    };
    return { id: `har-${first.index}`, startedAt: first.started, exchange, gaps: gapsOf(c, exchange, browser) };
  });
  const all = new Set(exchanges.flatMap((e) => e.gaps));
  return {
    ok: true,
    source: { creator: describeSource(log), browser, entries: parsed.length },
    exchanges,
    gaps: GAP_ORDER.filter((g) => all.has(g)),
  };
}

/** Reads a HAR file's text. */
export function parseHar(textContent: string): HarImport {
  let data: unknown;
  try {
    data = JSON.parse(textContent);
  } catch (e) {
    return { ok: false, error: `not a HAR file: the text is not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  return importHar(data);
}
