// Walks an exchange's chain (preflight, response, redirect per hop) the way Fetch does, for one browser's rules
// and one credentials mode, and records every check on the way.
import { originChecks, preflightChecks, isRedirect, type Check, type Stage } from './checks.ts';
import type { BrowserRules, Failure } from './decide.ts';
import { headerValue } from './headers.ts';
import { originOf, sameOrigin, urlHasCredentials } from './origin.ts';
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

export interface Evaluation<Code extends string> {
  /** true/false when decided; null when what was observed does not reach a decision (request still in flight…). */
  blocked: boolean | null;
  failure: (Failure<Code> & { hop: number; stage: Stage }) | null;
  checks: Check[];
  preflights: HopPreflight[];
  /** The origin each hop was checked against ("null" after a tainting redirect). */
  originPerHop: string[];
  /** Index of the first hop that went cross-origin (where CORS starts), or null when none did. */
  corsFrom: number | null;
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
    headerNames: unsafeNames(hop),
    triggers,
    seen: false,
    fromCacheInferred: hop.response !== null,
  };
}

/** Lowercased, sorted, de-duplicated names as Fetch's "CORS-unsafe request-header names" returns them. */
function unsafeNames(hop: ObservedHop): string[] {
  if (!hop.requestHeaders) return [];
  const names = preflightTriggers(hop.method, hop.requestHeaders)
    .filter((t) => t.kind === 'header')
    .map((t) => t.name);
  return [...new Set(names)].sort();
}

export function evaluate<Code extends string>(
  exchange: ObservedExchange,
  rules: BrowserRules<Code>,
  creds: CredentialsMode,
): Evaluation<Code> {
  const checks: Check[] = [];
  const preflights: HopPreflight[] = [];
  const originPerHop: string[] = [];
  const pageOrigin = exchange.origin ?? 'null';
  let corsFrom: number | null = null;
  let tainted = false;

  const fail = (f: Failure<Code>, hop: number, stage: Stage): Evaluation<Code> => ({
    blocked: true,
    failure: { ...f, hop, stage },
    checks,
    preflights,
    originPerHop,
    corsFrom,
  });

  for (let i = 0; i < exchange.hops.length; i++) {
    const hop = exchange.hops[i]!;
    const origin = tainted ? 'null' : pageOrigin;
    originPerHop.push(origin);
    if (corsFrom === null && !sameOrigin(hop.url, pageOrigin)) corsFrom = i;
    if (corsFrom === null) continue;

    const plan = preflightPlan(hop, i);
    if (plan) {
      preflights.push(plan);
      const pre = hop.preflight;
      if (pre?.response) {
        const at = { hop: i, stage: 'preflight' as const, url: pre.url };
        checks.push(...originChecks(pre.response, origin, creds, at));
        checks.push(...preflightChecks(pre.response, plan.method, plan.headerNames, creds, at));
        const f = rules.preflight({ response: pre.response, origin, creds, method: plan.method, headerNames: plan.headerNames });
        if (f) return fail(f, i, 'preflight');
      } else if (pre) {
        // The OPTIONS got no response (still in flight, or a network failure handled by the caller).
        return { blocked: null, failure: null, checks, preflights, originPerHop, corsFrom };
      }
    }

    if (!hop.response) {
      return { blocked: null, failure: null, checks, preflights, originPerHop, corsFrom };
    }
    checks.push(...originChecks(hop.response, origin, creds, { hop: i, stage: 'response', url: hop.url }));
    const f = rules.access(hop.response, origin, creds);
    if (f) return fail(f, i, 'response');

    const next = exchange.hops[i + 1];
    const location = hop.redirectTo ?? (isRedirect(hop.response) && next ? next.url : null);
    if (location !== null) {
      const leaks = urlHasCredentials(location);
      checks.push({
        hop: i,
        stage: 'redirect',
        url: hop.url,
        header: 'Location',
        required: 'a URL without user name or password',
        received: location,
        ok: !leaks,
      });
      if (leaks) return fail(rules.redirectCredentials, i, 'redirect');
      // Fetch "tainted origin": leaving a hop whose origin differs from both the page and the next URL.
      if (!sameOrigin(location, hop.url) && originOf(hop.url) !== pageOrigin) tainted = true;
    }
  }
  return { blocked: false, failure: null, checks, preflights, originPerHop, corsFrom };
}
