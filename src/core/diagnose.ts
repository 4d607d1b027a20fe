// The engine's entry point: one observed exchange in, the browser's verdict, reasons, checks and fix out.
import type { Check } from './checks.ts';
import { chromeRules, firefoxRules } from './decide.ts';
import { chainChecks, decide, planChain, redirectTarget, type Chain, type Decision, type HopPreflight } from './evaluate.ts';
import { buildFix, type Fix } from './fix.ts';
import { lint, type Finding } from './lint.ts';
import { hasHeader, headerValue } from './headers.ts';
import { classifyEnd } from './outcome.ts';
import { sameOrigin } from './origin.ts';
import { describeChromeError, describeFirefoxReason, mdnUrl, type CorsError, type FirefoxReason } from './reasons.ts';
import type { BrowserName, CredentialsMode, ObservedExchange, Verdict } from './types.ts';

export type RequestMode = 'cors' | 'no-cors' | 'navigate' | 'same-origin';

export interface BrowserVerdict {
  browser: BrowserName;
  verdict: Verdict;
  /** CorsError for Chromium, security.properties key for Firefox. */
  reason: string | null;
  parameter: string | null;
  sentence: string;
}

export interface Diagnosis {
  browser: BrowserName;
  verdict: Verdict;
  mode: RequestMode;
  corsError: CorsError | null;
  failedParameter: string | null;
  firefoxReason: FirefoxReason | null;
  firefoxParameter: string | null;
  /** One plain sentence for the developer, in the observing browser's terms. */
  summary: string;
  checks: Check[];
  preflights: HopPreflight[];
  credentials: CredentialsMode | 'unknown';
  credentialsInferred: boolean;
  credentialsNote: string;
  /** Set when credentials mode could not be told and would change the outcome: what happens with credentials. */
  ifCredentialed: BrowserVerdict | null;
  /** Other reasons this browser may have given for what was observed (webRequest hides what decides between them). */
  alternatives: BrowserVerdict[];
  /** The same exchange as the other browser would decide it. */
  otherBrowser: BrowserVerdict;
  /** Set when the two browsers decide this exchange differently (verdict, or a reason that is not the usual twin). */
  divergence: string | null;
  /** Real HTTP status that a CORS error hides from the page (a 500 behind a failed preflight, say). */
  hiddenStatus: number | null;
  mdn: string | null;
  notes: string[];
  fix: Fix | null;
  findings: Finding[];
}

/** The Firefox key that names the same failure as each Chromium error, to tell vocabulary from real divergence. */
const FIREFOX_TWIN: Partial<Record<CorsError, FirefoxReason>> = {
  WildcardOriginNotAllowed: 'CORSNotSupportingCredentials',
  MissingAllowOriginHeader: 'CORSMissingAllowOrigin2',
  MultipleAllowOriginValues: 'CORSMultipleAllowOriginNotAllowed',
  InvalidAllowOriginValue: 'CORSAllowOriginNotMatchingOrigin',
  AllowOriginMismatch: 'CORSAllowOriginNotMatchingOrigin',
  InvalidAllowCredentials: 'CORSMissingAllowCredentials',
  PreflightInvalidStatus: 'CORSPreflightDidNotSucceed3',
  PreflightDisallowedRedirect: 'CORSExternalRedirectNotAllowed',
  PreflightWildcardOriginNotAllowed: 'CORSNotSupportingCredentials',
  PreflightMissingAllowOriginHeader: 'CORSMissingAllowOrigin2',
  PreflightMultipleAllowOriginValues: 'CORSMultipleAllowOriginNotAllowed',
  PreflightInvalidAllowOriginValue: 'CORSAllowOriginNotMatchingOrigin',
  PreflightAllowOriginMismatch: 'CORSAllowOriginNotMatchingOrigin',
  PreflightInvalidAllowCredentials: 'CORSMissingAllowCredentials',
  InvalidAllowMethodsPreflightResponse: 'CORSInvalidAllowMethod',
  InvalidAllowHeadersPreflightResponse: 'CORSInvalidAllowHeader',
  MethodDisallowedByPreflightResponse: 'CORSMethodNotFound',
  HeaderDisallowedByPreflightResponse: 'CORSMissingAllowHeaderFromPreflight2',
  RedirectContainsCredentials: 'CORSDidNotSucceed2',
};

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

/** Credentials are only visible when they are on the wire: a Cookie header on a cross-origin hop. */
function observedCredentials(ex: ObservedExchange): CredentialsMode | null {
  const origin = ex.origin ?? 'null';
  return ex.hops.some((h) => !sameOrigin(h.url, origin) && hasHeader(h.requestHeaders, 'cookie')) ? 'include' : null;
}

interface Pair {
  chrome: Decision<CorsError>;
  firefox: Decision<FirefoxReason>;
}

function decideBoth(chain: Chain, creds: CredentialsMode): Pair {
  return { chrome: decide(chain, chromeRules, creds), firefox: decide(chain, firefoxRules, creds) };
}

function own(ex: ObservedExchange, pair: Pair): Decision<string> {
  return ex.browser === 'chrome' ? pair.chrome : pair.firefox;
}

function sameOutcome(a: Decision<string>, b: Decision<string>): boolean {
  return a.blocked === b.blocked && a.failure?.code === b.failure?.code && a.failure?.parameter === b.failure?.parameter;
}

/** Which credentials mode agrees with how the request ended, when the listener could tell. */
function consistentWithEnd(ex: ObservedExchange, ev: Decision<string>): boolean | null {
  const end = classifyEnd(ex);
  if (end === 'cors-failure') return ev.blocked === true;
  if (end === 'completed') {
    // Chromium completes only allowed requests; Firefox also completes blocked simple requests, but never one
    // whose preflight failed.
    if (ex.browser === 'chrome') return ev.blocked === false;
    return ev.failure?.stage === 'preflight' ? false : null;
  }
  return null;
}

function sentence(browser: BrowserName, ev: Decision<string>): string {
  if (!ev.failure) return '';
  const prefix = ev.failure.hop > 0 ? `After redirect ${ev.failure.hop}: ` : '';
  const text =
    browser === 'chrome'
      ? describeChromeError(ev.failure.code as CorsError, ev.failure.parameter)
      : describeFirefoxReason(ev.failure.code as FirefoxReason, ev.failure.parameter);
  return prefix + text;
}

function verdictOf(ev: Decision<string>): Verdict {
  return ev.blocked === true ? 'blocked' : ev.blocked === false ? 'allowed' : 'pending';
}

function browserVerdict(browser: BrowserName, ev: Decision<string>): BrowserVerdict {
  return {
    browser,
    verdict: verdictOf(ev),
    reason: ev.failure?.code ?? null,
    parameter: ev.failure?.parameter ?? null,
    sentence: sentence(browser, ev) || (ev.blocked === false ? 'Allowed.' : 'Not decided yet.'),
  };
}

function notCors(ex: ObservedExchange, mode: RequestMode, chain: Chain): Diagnosis {
  const other: BrowserName = ex.browser === 'chrome' ? 'firefox' : 'chrome';
  const ownRules = ex.browser === 'chrome' ? chromeRules : firefoxRules;
  const otherRules = ex.browser === 'chrome' ? firefoxRules : chromeRules;
  // CORS headers don't matter here, but redirects still can be refused (mode same-origin, user:pass targets).
  const mine = decide<string>(chain, ownRules, 'omit');
  const theirs = decide<string>(chain, otherRules, 'omit');
  const end = classifyEnd(ex);
  if (mine.blocked === true && mine.note) {
    const d = emptyDiagnosis(ex.browser, 'blocked', mode, mine.note);
    d.checks = chainChecks(chain, 'omit', null);
    if (theirs.blocked === false) {
      d.otherBrowser = { browser: other, verdict: 'not-cors', reason: null, parameter: null, sentence: 'Followed the redirect.' };
      d.divergence = `${other === 'chrome' ? 'Chrome' : 'Firefox'} would follow this redirect.`;
    }
    return d;
  }
  const summary =
    mode === 'same-origin'
      ? 'Same-origin request: CORS does not apply.'
      : mode === 'navigate'
        ? 'Navigation: CORS does not apply.'
        : 'no-cors request: the browser does not check CORS headers, and the page gets an opaque response it cannot read.';
  const verdict: Verdict = end === 'network-error' ? 'network-error' : end === 'pending' ? 'pending' : 'not-cors';
  const d = emptyDiagnosis(ex.browser, verdict, mode, summary);
  if (theirs.blocked === true && theirs.note) {
    d.otherBrowser = { browser: other, verdict: 'blocked', reason: null, parameter: null, sentence: theirs.note };
    d.divergence = `${other === 'chrome' ? 'Chrome' : 'Firefox'} would block this request: ${theirs.note}`;
  }
  return d;
}

function emptyDiagnosis(browser: BrowserName, verdict: Verdict, mode: RequestMode, summary: string): Diagnosis {
  const other: BrowserName = browser === 'chrome' ? 'firefox' : 'chrome';
  return {
    browser,
    verdict,
    mode,
    corsError: null,
    failedParameter: null,
    firefoxReason: null,
    firefoxParameter: null,
    summary,
    checks: [],
    preflights: [],
    credentials: 'unknown',
    credentialsInferred: false,
    credentialsNote: 'Not relevant.',
    ifCredentialed: null,
    alternatives: [],
    otherBrowser: { browser: other, verdict, reason: null, parameter: null, sentence: summary },
    divergence: null,
    hiddenStatus: null,
    mdn: null,
    notes: [],
    fix: null,
    findings: [],
  };
}

function networkError(ex: ObservedExchange, mode: RequestMode): Diagnosis {
  const error = ex.end.state === 'error' ? ex.end.error : '';
  const summary = `The request failed before the browser got a response to check (${error}): the server is unreachable, not misconfigured.`;
  const d = emptyDiagnosis(ex.browser, 'network-error', mode, summary);
  d.firefoxReason = firefoxRules.networkFailure?.code ?? null;
  d.firefoxParameter = firefoxRules.networkFailure?.parameter ?? null;
  d.mdn = d.firefoxReason ? mdnUrl(d.firefoxReason) : null;
  return d;
}

export function diagnose(ex: ObservedExchange): Diagnosis {
  const mode = requestMode(ex);
  const chain = planChain(ex, mode === 'cors');
  if (mode !== 'cors') return notCors(ex, mode, chain);

  const preflights = chain.steps.flatMap((s) => (s.preflight ? [s.preflight] : []));
  const observed = observedCredentials(ex);
  let creds: CredentialsMode;
  let credentialsInferred = true;
  let credentialsNote: string;
  let ifCredentialed: BrowserVerdict | null = null;
  let pair: Pair;
  if (observed) {
    creds = observed;
    credentialsInferred = false;
    credentialsNote = 'Observed: the request carried a Cookie header.';
    pair = decideBoth(chain, creds);
  } else {
    const omit = decideBoth(chain, 'omit');
    const include = decideBoth(chain, 'include');
    if (sameOutcome(own(ex, omit), own(ex, include))) {
      creds = 'omit';
      pair = omit;
      credentialsNote = 'Not visible to webRequest, and it does not change the outcome here.';
    } else {
      const omitFits = consistentWithEnd(ex, own(ex, omit));
      const includeFits = consistentWithEnd(ex, own(ex, include));
      if (includeFits === true && omitFits !== true) {
        creds = 'include';
        pair = include;
        credentialsNote = 'Inferred: only a request with credentials ends the way this one did.';
      } else if (omitFits === true && includeFits !== true) {
        creds = 'omit';
        pair = omit;
        credentialsNote = 'Inferred: only a request without credentials ends the way this one did.';
      } else {
        creds = 'omit';
        pair = omit;
        credentialsNote =
          "Unknown: webRequest does not show the credentials mode, and this outcome fits both. Shown as sent without credentials (fetch's default for other origins).";
        ifCredentialed = browserVerdict(ex.browser, own(ex, include));
      }
    }
  }

  const mine = own(ex, pair);
  // A failure the headers explain wins over the error string: Firefox ends some CORS-blocked redirects in
  // NS_ERROR_NET_ON_RECEIVING_FROM or NS_ERROR_UNEXPECTED rather than NS_ERROR_DOM_BAD_URI.
  if (classifyEnd(ex) === 'network-error' && mine.failure === null) return networkError(ex, mode);
  const otherName: BrowserName = ex.browser === 'chrome' ? 'firefox' : 'chrome';
  const theirs = ex.browser === 'chrome' ? pair.firefox : pair.chrome;
  const notes: string[] = [];

  let verdict = verdictOf(mine);
  const end = classifyEnd(ex);
  const fits = consistentWithEnd(ex, mine);
  let unexplained = false;
  if (fits === false) {
    if (end === 'completed') {
      verdict = 'allowed';
      notes.push('The browser let this request through although the captured headers say it should fail; something was not visible to the extension.');
    } else {
      verdict = 'blocked';
      unexplained = true;
      notes.push('The browser blocked this request, but the headers webRequest showed do not explain why.');
    }
  } else if (mine.blocked === null) {
    verdict = end === 'pending' ? 'pending' : end === 'cors-failure' ? 'blocked' : 'allowed';
    if (end === 'cors-failure') {
      unexplained = true;
      notes.push('The browser blocked this request before any response the extension could see.');
    }
  }

  const failure = verdict === 'blocked' && !unexplained ? mine.failure : null;
  const chromeFailure = ex.browser === 'chrome' ? (failure as Decision<CorsError>['failure']) : pair.chrome.failure;
  const firefoxFailure = ex.browser === 'firefox' ? (failure as Decision<FirefoxReason>['failure']) : pair.firefox.failure;

  for (const p of preflights) {
    if (p.fromCacheInferred) {
      notes.push(`No preflight was seen for ${p.method} ${p.url}; it was presumably served from the preflight cache (inferred).`);
    }
  }

  let hiddenStatus: number | null = null;
  if (failure) {
    const hop = ex.hops[failure.hop];
    const status = failure.stage === 'preflight' ? hop?.preflight?.response?.status : hop?.response?.status;
    if (status !== undefined && status >= 400) {
      hiddenStatus = status;
      notes.push(`The server answered ${status}: the CORS error hides that status from the page. Fix the server error too.`);
    }
  }

  const otherVerdict = browserVerdict(otherName, theirs);
  let divergence: string | null = null;
  if (verdict !== 'pending' && otherVerdict.verdict !== 'pending') {
    const chromeCode = pair.chrome.failure?.code;
    const twin = chromeCode ? FIREFOX_TWIN[chromeCode] : undefined;
    if (otherVerdict.verdict !== verdict) {
      divergence = `${otherName === 'chrome' ? 'Chrome' : 'Firefox'} would ${otherVerdict.verdict === 'blocked' ? 'block' : 'allow'} this request: ${otherVerdict.sentence}`;
    } else if (verdict === 'blocked' && twin !== undefined && pair.firefox.failure && twin !== pair.firefox.failure.code) {
      divergence = `${otherName === 'chrome' ? 'Chrome' : 'Firefox'} names a different problem first: ${otherVerdict.sentence}`;
    }
  }

  const summary = unexplained
    ? notes[notes.length - 1]!
    : verdict === 'allowed'
      ? 'Allowed: every CORS check passed.'
      : verdict === 'pending'
        ? 'Still in flight.'
        : (mine.note ?? sentence(ex.browser, mine));

  return {
    browser: ex.browser,
    verdict,
    mode,
    corsError: verdict === 'blocked' ? (chromeFailure?.code ?? null) : null,
    failedParameter: verdict === 'blocked' && chromeFailure ? chromeFailure.parameter : null,
    firefoxReason: verdict === 'blocked' ? (firefoxFailure?.code ?? null) : null,
    firefoxParameter: verdict === 'blocked' && firefoxFailure ? firefoxFailure.parameter : null,
    summary,
    checks: chainChecks(chain, creds, mine.failure?.hop ?? null),
    preflights,
    credentials: ifCredentialed ? 'unknown' : creds,
    credentialsInferred,
    credentialsNote,
    ifCredentialed,
    alternatives: (failure?.alternatives ?? []).map((a) => ({
      browser: ex.browser,
      verdict: 'blocked' as const,
      reason: a.code,
      parameter: a.parameter,
      sentence: sentence(ex.browser, { blocked: true, failure: { ...a, hop: failure!.hop, stage: failure!.stage } }),
    })),
    otherBrowser: otherVerdict,
    divergence,
    hiddenStatus,
    mdn: firefoxFailure ? mdnUrl(firefoxFailure.code) : null,
    notes,
    fix: verdict === 'blocked' ? buildFix(chain, mine.failure, creds) : null,
    findings: lint(ex, creds),
  };
}
