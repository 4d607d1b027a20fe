// Walks an exchange's chain (preflight, response, redirect per hop) the way Fetch does. The chain is planned once
// per exchange; each browser's rules then decide it per credentials mode, and the check rows are built once.
import { originChecks, parseAllowList, preflightChecks, isRedirect, type AllowList, type Check, type Stage } from './checks.ts';
import type { BrowserRules, Failure } from './decide.ts';
import { headerValue } from './headers.ts';
import { originOf, urlHasCredentials } from './origin.ts';
import { explainListedHeaders, preflightTriggers, type PreflightTrigger } from './safelist.ts';
import { splitList } from './tokens.ts';
import type { BrowserName, CredentialsMode, ObservedExchange, ObservedHop } from './types.ts';

export interface HopPreflight {
  hop: number;
  url: string;
  /** Method and header names the preflight asked about (from the browser's own Access-Control-Request-* when seen). */
  method: string;
  headerNames: string[];
  triggers: PreflightTrigger[];
  seen: boolean;
  /** Needed but not seen while the request itself went out: served from the preflight cache (inferred). */
  fromCacheInferred: boolean;
}

/** What a seen preflight asked: Access-Control-Request-Method and -Headers, as the browser sent them. */
export interface PreflightAsk {
  method: string;
  /** Lowercased names: in the page's order when `headerOrderKnown`, else as listed (sorted). */
  headerNames: string[];
  headerOrderKnown: boolean;
  /** The preflight response's allow lists, once it arrived. */
  allow: { methods: AllowList; headers: AllowList } | null;
}

export interface ChainStep {
  index: number;
  hop: ObservedHop;
  /** Whether CORS applies to this hop (a cors-mode request from its first cross-origin hop on). */
  cors: boolean;
  /** The origin the response is checked against: the Origin the browser sent when visible, else Fetch's
   *  serialization ("null" after a tainting redirect). */
  origin: string;
  /** Same for this hop's preflight: Firefox sends the page's origin there even when the request's is "null". */
  preflightOrigin: string;
  /** Set when an OPTIONS was seen for this hop. */
  ask: PreflightAsk | null;
  /** Where this hop redirects to, when it does. */
  location: string | null;
  /** Whether the redirect target was seen being requested. */
  followed: boolean;
}

export interface Chain {
  steps: ChainStep[];
  /** Index of the first cross-origin hop (where CORS starts), or null when the request stayed same-origin. */
  corsFrom: number | null;
  /** Sec-Fetch-Mode of the first hop, when the browser sent it. */
  fetchMode: string | null;
  /** False when the source never records preflights, so one not seen was not necessarily served from the cache. */
  preflightsRecorded: boolean;
}

export interface Decision<Code extends string> {
  /** true/false when decided; null when what was observed does not reach a decision (request still in flight…). */
  blocked: boolean | null;
  failure: (Failure<Code> & { hop: number; stage: Stage }) | null;
  /** Why it was blocked when the browser has no reason code for it. */
  note?: string;
}

function askOf(hop: ObservedHop): PreflightAsk | null {
  const pre = hop.preflight;
  if (!pre) return null;
  const acrh = headerValue(pre.requestHeaders, 'access-control-request-headers');
  const listed = acrh !== null ? splitList(acrh).map((n) => n.toLowerCase()) : [];
  const inPageOrder = pageOrder(listed, hop);
  return {
    method: headerValue(pre.requestHeaders, 'access-control-request-method') ?? hop.method,
    headerNames: inPageOrder ?? listed,
    headerOrderKnown: inPageOrder !== null || listed.length < 2,
    allow: pre.response
      ? {
          methods: parseAllowList(pre.response.headers, 'access-control-allow-methods'),
          headers: parseAllowList(pre.response.headers, 'access-control-allow-headers'),
        }
      : null,
  };
}

/** The listed names in the order the page set them, when the actual request's headers were visible. */
function pageOrder(listed: readonly string[], hop: ObservedHop): string[] | null {
  if (!hop.requestHeaders || listed.length < 2) return null;
  const order: string[] = [];
  for (const [name] of hop.requestHeaders) {
    const lower = name.toLowerCase();
    if (listed.includes(lower) && !order.includes(lower)) order.push(lower);
  }
  return order.length === listed.length ? order : null;
}

/** Why each CORS hop needed a preflight, rule by rule, and whether it was seen or inferred from the cache. */
export function explainPreflights(chain: Chain, browser: BrowserName): HopPreflight[] {
  const out: HopPreflight[] = [];
  for (const { index, hop, cors, ask } of chain.steps) {
    if (!cors) continue;
    if (ask && hop.preflight) {
      const listed = [...ask.headerNames].sort();
      out.push({
        hop: index,
        url: hop.preflight.url,
        method: ask.method,
        headerNames: ask.headerNames,
        triggers: explainListedHeaders(listed, hop.requestHeaders, ask.method, browser),
        seen: true,
        fromCacheInferred: false,
      });
      continue;
    }
    if (!hop.requestHeaders) continue;
    const triggers = preflightTriggers(hop.method, hop.requestHeaders, browser);
    if (triggers.length === 0) continue;
    out.push({
      hop: index,
      url: hop.url,
      method: hop.method,
      headerNames: [...new Set(triggers.filter((t) => t.kind === 'header').map((t) => t.name))].sort(),
      triggers,
      seen: false,
      fromCacheInferred: hop.response !== null && chain.preflightsRecorded,
    });
  }
  return out;
}

/** Location of a redirect response, resolved against the hop's URL (webRequest shows it before following). */
export function redirectTarget(hop: ObservedHop): string | null {
  if (hop.redirectTo !== null) return hop.redirectTo;
  if (!hop.response || !isRedirect(hop.response)) return null;
  const location = headerValue(hop.response.headers, 'location') ?? '';
  if (/^https?:\/\//i.test(location)) return location;
  try {
    return new URL(location, hop.url).href;
  } catch {
    return null;
  }
}

export function planChain(exchange: ObservedExchange, corsMode: boolean): Chain {
  const pageOrigin = exchange.origin ?? 'null';
  const steps: ChainStep[] = [];
  let corsFrom: number | null = null;
  let tainted = false;
  for (let i = 0; i < exchange.hops.length; i++) {
    const hop = exchange.hops[i]!;
    const hopOrigin = originOf(hop.url);
    if (corsFrom === null && (hopOrigin === null || hopOrigin === 'null' || hopOrigin !== pageOrigin)) corsFrom = i;
    const location = redirectTarget(hop);
    const computed = tainted ? 'null' : pageOrigin;
    const sent = headerValue(hop.requestHeaders, 'origin');
    const origin = sent ?? computed;
    steps.push({
      index: i,
      hop,
      cors: corsMode && corsFrom !== null,
      origin,
      preflightOrigin: headerValue(hop.preflight?.requestHeaders ?? null, 'origin') ?? origin,
      ask: askOf(hop),
      location,
      followed: i + 1 < exchange.hops.length,
    });
    // Fetch "tainted origin": leaving a hop whose origin differs from both the page and the next URL.
    if (location !== null && originOf(location) !== hopOrigin && hopOrigin !== pageOrigin) tainted = true;
  }
  return {
    steps,
    corsFrom,
    fetchMode: headerValue(exchange.hops[0]?.requestHeaders ?? null, 'sec-fetch-mode'),
    preflightsRecorded: exchange.preflightsUnrecorded !== true,
  };
}

/** Explicit construction: spreading rule results of several shapes made this the engine's hottest line. */
function located<Code extends string>(f: Failure<Code>, hop: number, stage: Stage): Failure<Code> & { hop: number; stage: Stage } {
  return f.alternatives
    ? { code: f.code, parameter: f.parameter, alternatives: f.alternatives, hop, stage }
    : { code: f.code, parameter: f.parameter, hop, stage };
}

export function decide<Code extends string>(chain: Chain, rules: BrowserRules<Code>, creds: CredentialsMode): Decision<Code> {
  for (const { index, hop, cors, origin, preflightOrigin, ask, location, followed } of chain.steps) {
    if (cors) {
      if (ask && hop.preflight) {
        const response = hop.preflight.response;
        // An OPTIONS without a response is still in flight, or died of a network failure the caller handles.
        if (!response || !ask.allow) return { blocked: null, failure: null };
        const f = rules.preflight({
          response,
          origin: preflightOrigin,
          creds,
          method: ask.method,
          headerNames: ask.headerNames,
          pageOrder: ask.headerOrderKnown,
          methods: ask.allow.methods,
          headers: ask.allow.headers,
        });
        if (f) return { blocked: true, failure: located(f, index, 'preflight') };
      }
      if (!hop.response) return { blocked: null, failure: null };
      const f = rules.access(hop.response, origin, creds);
      if (f) return { blocked: true, failure: located(f, index, 'response') };
    }
    if (location === null) continue;
    const leaving = originOf(location) !== originOf(hop.url);
    if (urlHasCredentials(location)) {
      // Fetch refuses user:pass in a redirect once CORS is involved: a cors-mode request, or a target on
      // another origin than the request's.
      if (cors || (chain.fetchMode !== 'no-cors' && originOf(location) !== origin)) {
        return { blocked: true, failure: located(rules.redirectCredentials, index, 'redirect') };
      }
      if (rules.refusesEveryCredentialedRedirect) {
        return { blocked: true, failure: null, note: 'Chrome refuses to follow a redirect to a URL containing a user name and password, even where the Fetch standard and Firefox allow it.' };
      }
    }
    if (chain.fetchMode === 'same-origin' && leaving) {
      return { blocked: true, failure: null, note: "The request's mode is same-origin, so the browser refused to follow a redirect to another origin." };
    }
    // The browser announced the redirect but never requested the target: it refused to follow it.
    if (!followed) return { blocked: null, failure: null };
  }
  return { blocked: false, failure: null };
}

/** Every check row up to where the decision stopped (rows past the failing hop were never evaluated). */
export function chainChecks(chain: Chain, creds: CredentialsMode, stopAt: number | null): Check[] {
  const rows: Check[] = [];
  for (const { index, hop, cors, origin, preflightOrigin, ask, location } of chain.steps) {
    if (stopAt !== null && index > stopAt) break;
    const pre = hop.preflight;
    if (cors && ask && pre?.response) {
      rows.push(...originChecks(pre.response, preflightOrigin, creds, index, 'preflight', pre.url));
      rows.push(...preflightChecks(pre.response, ask.method, ask.headerNames, creds, index, pre.url));
    }
    if (cors && hop.response) rows.push(...originChecks(hop.response, origin, creds, index, 'response', hop.url));
    if (location !== null && (cors || urlHasCredentials(location))) {
      rows.push({
        hop: index,
        stage: 'redirect',
        url: hop.url,
        header: 'Location',
        required: 'a URL without user name or password',
        received: location,
        ok: !urlHasCredentials(location),
      });
    }
  }
  return rows;
}
