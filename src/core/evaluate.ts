// Walks an exchange's chain (preflight, response, redirect per hop) the way Fetch does. The chain is planned once
// per exchange; each browser's rules then decide it per credentials mode, and the check rows are built once.
import { originChecks, preflightChecks, isRedirect, type Check, type Stage } from './checks.ts';
import type { BrowserRules, Failure } from './decide.ts';
import { headerValue } from './headers.ts';
import { originOf, urlHasCredentials } from './origin.ts';
import { explainListedHeaders, preflightTriggers, type PreflightTrigger } from './safelist.ts';
import { splitList } from './tokens.ts';
import type { CredentialsMode, ObservedExchange, ObservedHop } from './types.ts';

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

export interface ChainStep {
  index: number;
  hop: ObservedHop;
  /** The origin this hop is checked against ("null" after a tainting redirect). */
  origin: string;
  preflight: HopPreflight | null;
  /** Where this hop redirects to, when it does. */
  location: string | null;
}

export interface Chain {
  /** Steps from the first cross-origin hop on (where CORS starts); empty when the request stayed same-origin. */
  steps: ChainStep[];
  corsFrom: number | null;
}

export interface Decision<Code extends string> {
  /** true/false when decided; null when what was observed does not reach a decision (request still in flight…). */
  blocked: boolean | null;
  failure: (Failure<Code> & { hop: number; stage: Stage }) | null;
}

/** Method and unsafe header names this hop's preflight is about, preferring the browser's own preflight headers. */
function preflightPlan(hop: ObservedHop, index: number): HopPreflight | null {
  const pre = hop.preflight;
  if (pre) {
    const acrm = headerValue(pre.requestHeaders, 'access-control-request-method') ?? hop.method;
    const acrh = headerValue(pre.requestHeaders, 'access-control-request-headers');
    const names = acrh !== null ? splitList(acrh).map((n) => n.toLowerCase()) : unsafeNames(hop);
    return {
      hop: index,
      url: pre.url,
      method: acrm,
      headerNames: names,
      triggers: explainListedHeaders(names, hop.requestHeaders, acrm),
      seen: true,
      fromCacheInferred: false,
    };
  }
  if (!hop.requestHeaders) return null;
  const triggers = preflightTriggers(hop.method, hop.requestHeaders);
  if (triggers.length === 0) return null;
  return {
    hop: index,
    url: hop.url,
    method: hop.method,
    headerNames: namesOf(triggers),
    triggers,
    seen: false,
    fromCacheInferred: hop.response !== null,
  };
}

/** Lowercased, sorted, de-duplicated names as Fetch's "CORS-unsafe request-header names" returns them. */
function namesOf(triggers: readonly PreflightTrigger[]): string[] {
  return [...new Set(triggers.filter((t) => t.kind === 'header').map((t) => t.name))].sort();
}

function unsafeNames(hop: ObservedHop): string[] {
  return hop.requestHeaders ? namesOf(preflightTriggers(hop.method, hop.requestHeaders)) : [];
}

export function planChain(exchange: ObservedExchange): Chain {
  const pageOrigin = exchange.origin ?? 'null';
  const steps: ChainStep[] = [];
  let corsFrom: number | null = null;
  let tainted = false;
  for (let i = 0; i < exchange.hops.length; i++) {
    const hop = exchange.hops[i]!;
    const hopOrigin = originOf(hop.url);
    if (corsFrom === null && (hopOrigin === null || hopOrigin === 'null' || hopOrigin !== pageOrigin)) corsFrom = i;
    const next = exchange.hops[i + 1];
    const location = hop.redirectTo ?? (hop.response && next && isRedirect(hop.response) ? next.url : null);
    if (corsFrom !== null) {
      steps.push({ index: i, hop, origin: tainted ? 'null' : pageOrigin, preflight: preflightPlan(hop, i), location });
    }
    // Fetch "tainted origin": leaving a hop whose origin differs from both the page and the next URL.
    if (location !== null && originOf(location) !== hopOrigin && hopOrigin !== pageOrigin) tainted = true;
  }
  return { steps, corsFrom };
}

export function decide<Code extends string>(chain: Chain, rules: BrowserRules<Code>, creds: CredentialsMode): Decision<Code> {
  for (const { index, hop, origin, preflight: plan, location } of chain.steps) {
    if (plan && hop.preflight) {
      const response = hop.preflight.response;
      // An OPTIONS without a response is still in flight, or died of a network failure the caller handles.
      if (!response) return { blocked: null, failure: null };
      const f = rules.preflight({ response, origin, creds, method: plan.method, headerNames: plan.headerNames });
      if (f) return { blocked: true, failure: { code: f.code, parameter: f.parameter, hop: index, stage: 'preflight' } };
    }
    if (!hop.response) return { blocked: null, failure: null };
    const f = rules.access(hop.response, origin, creds);
    if (f) return { blocked: true, failure: { code: f.code, parameter: f.parameter, hop: index, stage: 'response' } };
    if (location !== null && urlHasCredentials(location)) {
      const r = rules.redirectCredentials;
      return { blocked: true, failure: { code: r.code, parameter: r.parameter, hop: index, stage: 'redirect' } };
    }
  }
  return { blocked: false, failure: null };
}

/** Every check row up to where the decision stopped (rows past the failing hop were never evaluated). */
export function chainChecks(chain: Chain, creds: CredentialsMode, stopAt: number | null): Check[] {
  const rows: Check[] = [];
  for (const { index, hop, origin, preflight: plan, location } of chain.steps) {
    if (stopAt !== null && index > stopAt) break;
    const pre = hop.preflight;
    if (plan && pre?.response) {
      rows.push(...originChecks(pre.response, origin, creds, index, 'preflight', pre.url));
      rows.push(...preflightChecks(pre.response, plan.method, plan.headerNames, creds, index, pre.url));
    }
    if (hop.response) rows.push(...originChecks(hop.response, origin, creds, index, 'response', hop.url));
    if (location !== null) {
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
