// The engine's entry point: one observed exchange in, the browser's verdict with its explanation out (the
// sentence, every check, why a preflight was needed, the fix, divergences and security findings).
import type { Check } from './checks.ts';
import { chainChecks, explainPreflights, type Chain, type Decision, type HopPreflight } from './evaluate.ts';
import { buildFix, type Fix } from './fix.ts';
import { dependsOnCredentials, judge, type Judgement, type RequestMode } from './judge.ts';
import { lint, type Finding } from './lint.ts';
import { describeChromeError, describeFirefoxReason, mdnUrl, type CorsError, type FirefoxReason } from './reasons.ts';
import type { BrowserName, CredentialsMode, ObservedExchange, Verdict } from './types.ts';

export type { RequestMode };

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

function sentence(browser: BrowserName, ev: Decision<string>, chain: Chain): string {
  const f = ev.failure;
  if (!f) return '';
  const step = chain.steps.find((s) => s.index === f.hop);
  const origin = (f.stage === 'preflight' ? step?.preflightOrigin : step?.origin) ?? '';
  const prefix = f.hop > 0 ? `After redirect ${f.hop}: ` : '';
  const text =
    browser === 'chrome'
      ? describeChromeError(f.code as CorsError, f.parameter, origin)
      : describeFirefoxReason(f.code as FirefoxReason, f.parameter, origin);
  // Firefox uses the same key for a preflight and an actual response; say which one it was.
  const where = browser === 'firefox' && f.stage === 'preflight' ? text.replace(/^The response\b/, 'The preflight response') : text;
  return prefix + where;
}

function verdictOf(ev: Decision<string>): Verdict {
  return ev.blocked === true ? 'blocked' : ev.blocked === false ? 'allowed' : 'pending';
}

function browserVerdict(browser: BrowserName, ev: Decision<string>, chain: Chain): BrowserVerdict {
  return {
    browser,
    verdict: verdictOf(ev),
    reason: ev.failure?.code ?? null,
    parameter: ev.failure?.parameter ?? null,
    sentence: sentence(browser, ev, chain) || (ev.blocked === false ? 'Allowed.' : 'Not decided yet.'),
  };
}

const CREDENTIALS_NOTE: Record<Judgement['credentialsSource'], string> = {
  observed: 'Observed: the request carried a Cookie header.',
  irrelevant: 'Not visible to webRequest, and it does not change the outcome here.',
  inferred: 'Inferred from how the request ended: only this credentials mode ends that way.',
  unknown:
    "Unknown: webRequest does not show the credentials mode, and this outcome fits both. Shown as sent without credentials (fetch's default for other origins).",
};

const MODE_SUMMARY: Record<Exclude<RequestMode, 'cors'>, string> = {
  'same-origin': 'Same-origin request: CORS does not apply.',
  navigate: 'Navigation: CORS does not apply.',
  'no-cors': 'no-cors request: the browser does not check CORS headers, and the page gets an opaque response it cannot read.',
};

const MISMATCH_NOTE = {
  'completed-despite-failure': 'The browser let this request through although the captured headers say it should fail; something was not visible to the extension.',
  'blocked-unexplained': 'The browser blocked this request, but the headers webRequest showed do not explain why.',
  'blocked-before-response': 'The browser blocked this request before any response Corsight could see.',
} as const;

function browserLabel(b: BrowserName): string {
  return b === 'chrome' ? 'Chrome' : 'Firefox';
}

/** What an "allowed" that depends on the credentials mode means (dependsOnCredentials), for the row and its sentence. */
export function credentialsCaveat(b: BrowserName): string {
  return `Allowed without credentials; blocked if the page sent cookies or HTTP auth (${browserLabel(b)} does not show which)`;
}

/** Firefox keeps preflighting every hop after a preflighted request, even once a 301/302/303 turned it into a
 *  plain GET or a cross-origin hop dropped Authorization; Chromium preflights only when the hop needs it (measured
 *  on 4 scenarios). What the server answers to the extra OPTIONS cannot be seen from the other browser. */
function redirectPreflightDivergence(ex: ObservedExchange, j: Judgement): string | null {
  const steps = j.chain.steps.filter((s) => s.cors);
  const firstPreflight = steps.findIndex((s) => s.hop.preflight !== null);
  if (firstPreflight === -1) return null;
  for (const s of steps.slice(firstPreflight + 1)) {
    if (ex.browser === 'chrome' && !s.hop.preflight && s.hop.requestHeaders) {
      return `Firefox would also send a preflight to ${s.hop.url} (it preflights every hop after a preflighted request); make that OPTIONS succeed too.`;
    }
    if (ex.browser === 'firefox' && s.ask && (s.ask.method === 'GET' || s.ask.method === 'HEAD' || s.ask.method === 'POST') && s.ask.headerNames.length === 0) {
      return `Chrome would not send the preflight to ${s.hop.url}: after the redirect the request needs none.`;
    }
  }
  return null;
}

export function diagnose(ex: ObservedExchange): Diagnosis {
  return explain(ex, judge(ex));
}

/** Adds the explanation to a judgement: only the detail view and the report need this part. */
export function explain(ex: ObservedExchange, j: Judgement): Diagnosis {
  const other: BrowserName = ex.browser === 'chrome' ? 'firefox' : 'chrome';
  const theirs: Decision<string> = ex.browser === 'chrome' ? j.firefox : j.chrome;
  const mine = j.mine;
  const notes: string[] = [];
  const failure = j.verdict === 'blocked' && j.mismatch === 'none' ? mine.failure : null;
  const preflights = j.mode === 'cors' ? explainPreflights(j.chain, ex.browser) : [];
  for (const p of preflights) {
    if (p.fromCacheInferred) {
      notes.push(`No preflight was seen for ${p.method} ${p.url}; it was presumably served from the preflight cache (inferred).`);
    } else if (!p.seen && !j.chain.preflightsRecorded) {
      notes.push(`The request needed a preflight (${p.method} ${p.url}), but this source records no preflights: whether one was sent or served from the preflight cache is unknown.`);
    }
  }
  if (j.mismatch !== 'none') notes.push(MISMATCH_NOTE[j.mismatch]);

  let hiddenStatus: number | null = null;
  if (failure) {
    const hop = ex.hops[failure.hop];
    const status = failure.stage === 'preflight' ? hop?.preflight?.response?.status : hop?.response?.status;
    if (status !== undefined && status >= 400) {
      hiddenStatus = status;
      notes.push(`The server answered ${status}: the CORS error hides that status from the page. Fix the server error too.`);
    }
  }

  let summary: string;
  if (j.verdict === 'network-error') {
    const error = ex.end.state === 'error' ? ex.end.error : '';
    summary = `The request failed before the browser got a response to check (${error}): the server is unreachable, not misconfigured.`;
  } else if (j.mode !== 'cors') {
    summary = j.verdict === 'blocked' && mine.note ? mine.note : MODE_SUMMARY[j.mode];
  } else if (j.mismatch === 'blocked-unexplained' || j.mismatch === 'blocked-before-response') {
    summary = MISMATCH_NOTE[j.mismatch];
  } else if (dependsOnCredentials(j)) {
    summary = `${credentialsCaveat(ex.browser)}. ${sentence(ex.browser, j.ifCredentialed, j.chain)}`;
  } else if (j.verdict === 'allowed') {
    summary = 'Allowed: every CORS check passed.';
  } else if (j.verdict === 'pending') {
    summary = 'Still in flight.';
  } else {
    summary = mine.note ?? sentence(ex.browser, mine, j.chain);
  }

  const otherVerdict = j.mode === 'cors' || theirs.note ? browserVerdict(other, theirs, j.chain) : null;
  const otherBrowser = otherVerdict && (j.mode === 'cors' || theirs.blocked === true)
    ? otherVerdict
    : { browser: other, verdict: j.verdict, reason: null, parameter: null, sentence: summary };
  let divergence: string | null = null;
  if (j.verdict !== 'pending' && otherBrowser.verdict !== 'pending' && j.verdict !== 'network-error') {
    const blockedHere = j.verdict === 'blocked';
    const blockedThere = otherBrowser.verdict === 'blocked';
    const twin = j.chrome.failure ? FIREFOX_TWIN[j.chrome.failure.code] : undefined;
    if (blockedHere !== blockedThere) {
      divergence = `${browserLabel(other)} would ${blockedThere ? 'block' : 'allow'} this request: ${otherBrowser.sentence}`;
    } else if (blockedHere && twin !== undefined && j.firefox.failure && twin !== j.firefox.failure.code) {
      divergence = `${browserLabel(other)} names a different problem first: ${otherBrowser.sentence}`;
    }
  }

  const hopNote = redirectPreflightDivergence(ex, j);
  if (hopNote) notes.push(hopNote);
  const credentialed = j.ifCredentialed;
  return {
    browser: ex.browser,
    verdict: j.verdict,
    mode: j.mode,
    corsError: j.corsError,
    failedParameter: j.failedParameter,
    firefoxReason: j.firefoxReason,
    firefoxParameter: j.firefoxParameter,
    summary,
    checks: chainChecks(j.chain, j.creds, mine.failure?.hop ?? null),
    preflights,
    credentials: j.mode !== 'cors' || j.credentialsSource === 'unknown' || j.credentialsSource === 'irrelevant' ? 'unknown' : j.creds,
    credentialsInferred: j.credentialsSource === 'inferred' || j.credentialsSource === 'unknown',
    credentialsNote: j.mode === 'cors' ? CREDENTIALS_NOTE[j.credentialsSource] : 'Not relevant.',
    ifCredentialed: credentialed ? browserVerdict(ex.browser, credentialed, j.chain) : null,
    alternatives: (failure?.alternatives ?? []).map((a) => ({
      browser: ex.browser,
      verdict: 'blocked' as const,
      reason: a.code,
      parameter: a.parameter,
      sentence: sentence(ex.browser, { blocked: true, failure: { ...a, hop: failure!.hop, stage: failure!.stage } }, j.chain),
    })),
    otherBrowser,
    divergence,
    hiddenStatus,
    mdn: j.firefoxReason ? mdnUrl(j.firefoxReason) : null,
    notes,
    fix: j.verdict === 'blocked' && j.mode === 'cors' ? buildFix(j.chain, mine.failure, j.creds, j.credentialsSource === 'observed' || j.credentialsSource === 'inferred', preflights) : null,
    findings: lint(j),
  };
}

