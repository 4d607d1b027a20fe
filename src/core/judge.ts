// The verdict alone: request mode, credentials mode (observed or inferred), and each browser's first failing
// check. Cheap enough to run on every webRequest event; diagnose.ts adds the explanation on top.
import { chromeRules, firefoxRules, type BrowserRules } from './decide.ts';
import { decide, planChain, redirectTarget, type Chain, type Decision } from './evaluate.ts';
import { addressSpaceOf, isPotentiallyTrustworthy } from './address-space.ts';
import { hasHeader, headerValue } from './headers.ts';
import { classifyEnd, type EndClass } from './outcome.ts';
import { sameOrigin } from './origin.ts';
import type { CorsError, FirefoxReason } from './reasons.ts';
import type { BrowserName, CredentialsMode, ObservedExchange, Verdict } from './types.ts';

export type RequestMode = 'cors' | 'no-cors' | 'navigate' | 'same-origin';

/** How the credentials mode used for the verdict was known. */
export type CredentialsSource = 'observed' | 'irrelevant' | 'inferred' | 'unknown';

/** Why the verdict differs from what the headers alone decide. */
export type Mismatch = 'none' | 'completed-despite-failure' | 'blocked-unexplained' | 'blocked-before-response';

export interface Judgement {
  browser: BrowserName;
  mode: RequestMode;
  verdict: Verdict;
  end: EndClass;
  chain: Chain;
  /** The credentials mode the decisions below were made with. */
  creds: CredentialsMode;
  credentialsSource: CredentialsSource;
  chrome: Decision<CorsError>;
  firefox: Decision<FirefoxReason>;
  /** The observing browser's decision (one of the two above). */
  mine: Decision<string>;
  /** With credentials unknown and outcome-changing: the observing browser's decision with credentials. */
  ifCredentialed: Decision<string> | null;
  mismatch: Mismatch;
  corsError: CorsError | null;
  failedParameter: string | null;
  firefoxReason: FirefoxReason | null;
  firefoxParameter: string | null;
}

/** Whether an "allowed" rests on the credentials mode alone: webRequest did not show it, and with cookies or HTTP
 *  auth the browser would have blocked (Firefox completes a CORS-blocked simple request like an allowed one, so
 *  nothing on the wire tells). Reads what judge() already decided for both modes, so a row pays nothing for it.
 *  Only "allowed" can hinge on it: credentials add checks, they never lift one. */
export function dependsOnCredentials(j: Judgement): j is Judgement & { ifCredentialed: Decision<string> } {
  return j.verdict === 'allowed' && j.mismatch === 'none' && j.credentialsSource === 'unknown' && j.ifCredentialed?.blocked === true;
}

function requestMode(ex: ObservedExchange): RequestMode {
  if (ex.type === 'main_frame' || ex.type === 'sub_frame') return 'navigate';
  const origin = ex.origin ?? 'null';
  const first = ex.hops.findIndex((h) => !sameOrigin(h.url, origin));
  if (first === -1) {
    // A same-origin request whose redirect to another origin was refused before the target was requested.
    const last = ex.hops[ex.hops.length - 1];
    const target = last ? redirectTarget(last) : null;
    const secMode = headerValue(ex.hops[0]?.requestHeaders ?? null, 'sec-fetch-mode');
    const leaves = target !== null && !sameOrigin(target, origin);
    return leaves && secMode !== 'no-cors' && secMode !== 'same-origin' && secMode !== 'navigate' ? 'cors' : 'same-origin';
  }
  const hop = ex.hops[first]!;
  if (hop.preflight) return 'cors';
  const secMode = headerValue(hop.requestHeaders, 'sec-fetch-mode');
  if (secMode === 'no-cors' || secMode === 'navigate') return secMode;
  if (secMode === 'cors') return 'cors';
  // Without Sec-Fetch-Mode (sent only to potentially trustworthy URLs), a cross-origin GET/HEAD without Origin
  // is a no-cors load: browsers add Origin to every CORS request.
  if (hop.requestHeaders && !hasHeader(hop.requestHeaders, 'origin') && (hop.method === 'GET' || hop.method === 'HEAD')) {
    return 'no-cors';
  }
  return 'cors';
}

/** Credentials show only as a Cookie header on a cross-origin hop (Firefox shows the headers it prepared even for a
 *  request its failed preflight then stopped; they still prove the credentials mode). */
function observedCredentials(ex: ObservedExchange): boolean {
  const origin = ex.origin ?? 'null';
  return ex.hops.some((h) => !sameOrigin(h.url, origin) && hasHeader(h.requestHeaders, 'cookie'));
}

const LNA_NOTE = {
  certain: 'Local Network Access: the browser refused to let this page reach a more private address space (loopback or local network) without permission.',
  inferred: 'Inferred Local Network Access refusal: the browser stopped the request to a more private address before any response, the way only Local Network Access does.',
  targetSpace: 'Inferred: the request named a target address space (fetch targetAddressSpace) that does not match where the server is; Chrome refuses it before any response.',
} as const;

interface LnaRefusal {
  chrome: Decision<CorsError>;
  firefox: Decision<FirefoxReason>;
}

/** Local Network Access refusals. Certain when the error string says so; for Chromium's preflighted requests,
 *  which end in plain net::ERR_FAILED with the OPTIONS never answered, inferred from the target's address space;
 *  a simple request refused after its headers but before any response can only be a targetAddressSpace mismatch
 *  (measured on Chromium 156 with --ip-address-space-overrides). */
function localNetworkRefusal(ex: ObservedExchange, end: EndClass, mine: Decision<string>): LnaRefusal | null {
  if (end !== 'lna-blocked' && (ex.browser !== 'chrome' || end !== 'cors-failure' || mine.blocked !== null)) return null;
  const gated: CorsError = isPotentiallyTrustworthy(ex.origin ?? 'null') ? 'LocalNetworkAccessPermissionDenied' : 'InsecureLocalNetwork';
  const target = ex.hops[ex.hops.length - 1];
  const refusal = (code: CorsError, note: string): LnaRefusal => ({
    chrome: { blocked: true, failure: { code, parameter: '', hop: ex.hops.length - 1, stage: 'request' }, note },
    firefox: { blocked: true, failure: { code: 'CORSDidNotSucceed2', parameter: '(null)', hop: ex.hops.length - 1, stage: 'request' }, note },
  });
  if (end === 'lna-blocked') return refusal(gated, LNA_NOTE.certain);
  if (ex.browser !== 'chrome' || end !== 'cors-failure' || mine.blocked !== null || !target || target.response) return null;
  const space = addressSpaceOf(target.url);
  if (target.preflight && !target.preflight.response && target.preflight.error && (space === 'loopback' || space === 'local')) {
    return refusal(gated, LNA_NOTE.inferred);
  }
  if (target.requestHeaders && (!target.preflight || target.preflight.response)) {
    return refusal('InvalidLocalNetworkAccess', LNA_NOTE.targetSpace);
  }
  return null;
}

function sameOutcome(a: Decision<string>, b: Decision<string>): boolean {
  return a.blocked === b.blocked && a.failure?.code === b.failure?.code && a.failure?.parameter === b.failure?.parameter;
}

/** Whether a decision agrees with how the request ended, when the listener can tell (null: can't tell). */
function consistentWithEnd(ex: ObservedExchange, end: EndClass, d: Decision<string>): boolean | null {
  const f = d.failure;
  // Chromium never lets a request whose preflight failed reach onBeforeSendHeaders (browser-facts.md §5: BR>ERR).
  if (ex.browser === 'chrome' && f?.stage === 'preflight' && ex.hops[f.hop]?.requestHeaders) return false;
  // A browser requests a redirect's target only once the redirect passed its checks (what a HAR still shows when it
  // hides the target's response).
  if (f && f.hop + 1 < ex.hops.length) return false;
  if (d.blocked === null) return null;
  if (end === 'cors-failure') return d.blocked;
  if (end === 'completed') {
    // Chromium completes only allowed requests; Firefox also completes blocked simple requests, but never one
    // whose preflight failed.
    if (ex.browser === 'chrome') return !d.blocked;
    return f?.stage === 'preflight' ? false : null;
  }
  return null;
}

export function judge(ex: ObservedExchange): Judgement {
  const mode = requestMode(ex);
  const chain = planChain(ex, mode === 'cors');
  const end = classifyEnd(ex);
  const ownRules: BrowserRules<string> = ex.browser === 'chrome' ? chromeRules : firefoxRules;

  let creds: CredentialsMode = 'omit';
  let credentialsSource: CredentialsSource = 'irrelevant';
  let ifCredentialed: Decision<string> | null = null;
  let mine: Decision<string>;
  if (mode !== 'cors') {
    // CORS headers don't matter here, but redirects can still be refused (mode same-origin, user:pass targets).
    mine = decide(chain, ownRules, 'omit');
  } else if (observedCredentials(ex)) {
    creds = 'include';
    credentialsSource = 'observed';
    mine = decide(chain, ownRules, 'include');
  } else {
    const omit = decide(chain, ownRules, 'omit');
    const include = decide(chain, ownRules, 'include');
    mine = omit;
    if (!sameOutcome(omit, include)) {
      const omitFits = consistentWithEnd(ex, end, omit);
      const includeFits = consistentWithEnd(ex, end, include);
      credentialsSource = 'inferred';
      // A mode that contradicts how the request ended is out; of the rest, one that the ending confirms wins.
      const includeWins = includeFits !== false && (omitFits === false || (includeFits === true && omitFits !== true));
      const omitWins = omitFits !== false && (includeFits === false || (omitFits === true && includeFits !== true));
      if (includeWins) {
        creds = 'include';
        mine = include;
      } else if (!omitWins) {
        credentialsSource = 'unknown';
        ifCredentialed = include;
      }
    }
  }
  // The other browser is asked only with the credentials mode settled above.
  const chromeDecision = ex.browser === 'chrome' ? (mine as Decision<CorsError>) : decide(chain, chromeRules, creds);
  const firefoxDecision = ex.browser === 'firefox' ? (mine as Decision<FirefoxReason>) : decide(chain, firefoxRules, creds);
  const pair: { chrome: Decision<CorsError>; firefox: Decision<FirefoxReason> } = { chrome: chromeDecision, firefox: firefoxDecision };

  let verdict: Verdict;
  let mismatch: Mismatch = 'none';
  const lna = mode === 'cors' ? localNetworkRefusal(ex, end, mine) : null;
  if (lna) {
    verdict = 'blocked';
    pair.chrome = lna.chrome;
    pair.firefox = lna.firefox;
    mine = ex.browser === 'chrome' ? lna.chrome : lna.firefox;
  } else if (mode !== 'cors') {
    verdict = mine.blocked === true ? 'blocked' : end === 'network-error' ? 'network-error' : end === 'pending' ? 'pending' : 'not-cors';
  } else if (end === 'network-error' && mine.failure === null) {
    // A failure the headers explain wins over the error string: Firefox ends some CORS-blocked redirects in
    // NS_ERROR_NET_ON_RECEIVING_FROM or NS_ERROR_UNEXPECTED rather than NS_ERROR_DOM_BAD_URI.
    verdict = 'network-error';
  } else {
    const fits = consistentWithEnd(ex, end, mine);
    verdict = mine.blocked === true ? 'blocked' : mine.blocked === false ? 'allowed' : 'pending';
    if (fits === false) {
      verdict = end === 'completed' ? 'allowed' : 'blocked';
      mismatch = end === 'completed' ? 'completed-despite-failure' : 'blocked-unexplained';
    } else if (mine.blocked === null) {
      verdict = end === 'pending' ? 'pending' : end === 'cors-failure' ? 'blocked' : 'allowed';
      if (end === 'cors-failure') mismatch = 'blocked-before-response';
    }
  }

  if (verdict === 'network-error' && mode === 'cors') {
    // Firefox logs CORSDidNotSucceed2 for any cross-origin request that got no response at all.
    const f = firefoxRules.networkFailure;
    return { browser: ex.browser, mode, verdict, end, chain, creds, credentialsSource, chrome: pair.chrome, firefox: pair.firefox, mine, ifCredentialed, mismatch, corsError: null, failedParameter: null, firefoxReason: f?.code ?? null, firefoxParameter: f?.parameter ?? null };
  }
  const explained = verdict === 'blocked' && mismatch === 'none';
  const chrome = ex.browser === 'chrome' && !explained ? null : pair.chrome.failure;
  const firefox = ex.browser === 'firefox' && !explained ? null : pair.firefox.failure;
  const cors = mode === 'cors' && verdict === 'blocked';
  return {
    browser: ex.browser,
    mode,
    verdict,
    end,
    chain,
    creds,
    credentialsSource,
    chrome: pair.chrome,
    firefox: pair.firefox,
    mine,
    ifCredentialed,
    mismatch,
    corsError: cors ? (chrome?.code ?? null) : null,
    failedParameter: cors && chrome ? chrome.parameter : null,
    firefoxReason: cors ? (firefox?.code ?? null) : null,
    firefoxParameter: cors && firefox ? firefox.parameter : null,
  };
}
