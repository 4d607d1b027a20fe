// Each browser's decision order: the first failing check, named in that browser's own vocabulary.
// Chromium: services/network/public/cpp/cors/cors.cc (CheckAccess), services/network/cors/preflight_result.cc.
// Firefox: netwerk/protocol/http/nsCORSListenerProxy.cpp (CheckRequestApproved, CheckPreflightRequestApproved).
import { headerAllowed, isOkStatus, isRedirect, methodAllowed, type AllowList } from './checks.ts';
import { isUrlWithHost } from './origin.ts';
import { headerValue, headerValues } from './headers.ts';
import type { CorsError, FirefoxReason } from './reasons.ts';
import type { BrowserName, CredentialsMode, ObservedResponse } from './types.ts';

export interface Failure<Code extends string> {
  code: Code;
  /** Chromium's failedParameter, or the argument Firefox puts into its message. */
  parameter: string;
  /** Other answers the browser may have given for the same observation, when webRequest hides what decides
   *  between them (the order the page set its headers; whether Firefox merged two header lines). */
  alternatives?: Array<{ code: Code; parameter: string }>;
}

export interface PreflightInput {
  response: ObservedResponse;
  origin: string;
  creds: CredentialsMode;
  method: string;
  /** CORS-unsafe request-header names, lowercased: in the page's order when `pageOrder` is true, else sorted. */
  headerNames: readonly string[];
  pageOrder: boolean;
  /** The response's Access-Control-Allow-Methods / -Headers, parsed once for every browser and mode. */
  methods: AllowList;
  headers: AllowList;
}

export interface BrowserRules<Code extends string> {
  browser: BrowserName;
  /** CORS check of an actual response (every hop, 3xx included). */
  access(response: ObservedResponse, origin: string, creds: CredentialsMode): Failure<Code> | null;
  preflight(input: PreflightInput): Failure<Code> | null;
  /** A redirect whose Location carries user:pass, on a request that is (or became) cross-origin. */
  redirectCredentials: Failure<Code>;
  /** No response at all (connection refused, DNS…): what the browser logs, if anything. */
  networkFailure: Failure<Code> | null;
  /** Whether a same-origin or no-cors redirect to a URL with user:pass is refused too (outside CORS). */
  refusesEveryCredentialedRedirect: boolean;
}

type ChromeAccessCode = 'WildcardOriginNotAllowed' | 'MissingAllowOriginHeader' | 'MultipleAllowOriginValues' | 'InvalidAllowOriginValue' | 'AllowOriginMismatch' | 'InvalidAllowCredentials';

function chromeAccess(response: ObservedResponse, origin: string, creds: CredentialsMode): Failure<ChromeAccessCode> | null {
  const acao = headerValue(response.headers, 'access-control-allow-origin');
  if (acao === '*') return creds === 'include' ? { code: 'WildcardOriginNotAllowed', parameter: '' } : null;
  if (acao === null) return { code: 'MissingAllowOriginHeader', parameter: '' };
  if (acao !== origin) {
    if (/[ ,]/.test(acao)) return { code: 'MultipleAllowOriginValues', parameter: acao };
    if (acao === 'null') return { code: 'AllowOriginMismatch', parameter: acao };
    if (!isUrlWithHost(acao)) return { code: 'InvalidAllowOriginValue', parameter: acao };
    return { code: 'AllowOriginMismatch', parameter: acao };
  }
  if (creds === 'include') {
    const acac = headerValue(response.headers, 'access-control-allow-credentials');
    if (acac !== 'true') return { code: 'InvalidAllowCredentials', parameter: acac ?? '' };
  }
  return null;
}

export const chromeRules: BrowserRules<CorsError> = {
  browser: 'chrome',
  access: chromeAccess,
  preflight({ response, origin, creds, method, headerNames, pageOrder, methods, headers }) {
    // The preflight loader refuses a redirect before any header is looked at.
    if (isRedirect(response)) return { code: 'PreflightDisallowedRedirect', parameter: '' };
    const access = chromeAccess(response, origin, creds);
    if (access) return { code: `Preflight${access.code}`, parameter: access.parameter };
    if (!isOkStatus(response.status)) return { code: 'PreflightInvalidStatus', parameter: '' };
    if (methods.invalid !== null) return { code: 'InvalidAllowMethodsPreflightResponse', parameter: '' };
    if (headers.invalid !== null) return { code: 'InvalidAllowHeadersPreflightResponse', parameter: '' };
    if (!methodAllowed(methods, method, creds)) return { code: 'MethodDisallowedByPreflightResponse', parameter: method };
    // Chromium names the first disallowed header in the order the page set them (measured); when the actual
    // request never reached onSendHeaders only the sorted Access-Control-Request-Headers list is known.
    const denied = headerNames.filter((n) => !headerAllowed(headers, n, creds));
    if (denied.length === 0) return null;
    const [first, ...rest] = denied as [string, ...string[]];
    return {
      code: 'HeaderDisallowedByPreflightResponse',
      parameter: first,
      ...(pageOrder || rest.length === 0 ? {} : { alternatives: rest.map((n) => ({ code: 'HeaderDisallowedByPreflightResponse' as const, parameter: n })) }),
    };
  },
  redirectCredentials: { code: 'RedirectContainsCredentials', parameter: '' },
  networkFailure: null,
  // Chromium also refuses page→page and no-cors redirects to user:pass URLs (net::ERR_ABORTED, no CORS error),
  // which the Fetch standard and Firefox allow (browser-facts.md §10b).
  refusesEveryCredentialedRedirect: true,
};

function firefoxAccess(response: ObservedResponse, origin: string, creds: CredentialsMode): Failure<FirefoxReason> | null {
  // Firefox counts header lines (VisitOriginalResponseHeaders) rather than looking for commas, but its own
  // webRequest merges repeated lines into one "a, b" value: such a value may have been two lines.
  const lines = headerValues(response.headers, 'access-control-allow-origin');
  if (lines.length > 1) return { code: 'CORSMultipleAllowOriginNotAllowed', parameter: '' };
  const acao = lines[0];
  if (acao === undefined) return { code: 'CORSMissingAllowOrigin2', parameter: String(response.status) };
  if (acao.includes(', ')) {
    const asOneLine = firefoxLineChecks(response, acao, origin, creds);
    return { code: 'CORSMultipleAllowOriginNotAllowed', parameter: '', ...(asOneLine ? { alternatives: [asOneLine] } : {}) };
  }
  return firefoxLineChecks(response, acao, origin, creds);
}

function firefoxLineChecks(response: ObservedResponse, acao: string, origin: string, creds: CredentialsMode): Failure<FirefoxReason> | null {
  if (creds === 'include' && acao === '*') return { code: 'CORSNotSupportingCredentials', parameter: '' };
  if ((creds === 'include' || acao !== '*') && acao !== origin) return { code: 'CORSAllowOriginNotMatchingOrigin', parameter: acao };
  if (creds === 'include' && headerValue(response.headers, 'access-control-allow-credentials') !== 'true') {
    return { code: 'CORSMissingAllowCredentials', parameter: '' };
  }
  return null;
}

export const firefoxRules: BrowserRules<FirefoxReason> = {
  browser: 'firefox',
  access: firefoxAccess,
  preflight({ response, origin, creds, method, headerNames, methods, headers }) {
    // Firefox walks the unsafe names sorted, as in Access-Control-Request-Headers (measured on 153).
    const access = firefoxAccess(response, origin, creds);
    if (access) return access;
    if (isRedirect(response)) return { code: 'CORSExternalRedirectNotAllowed', parameter: '' };
    if (!isOkStatus(response.status)) return { code: 'CORSPreflightDidNotSucceed3', parameter: String(response.status) };
    if (methods.invalid !== null) return { code: 'CORSInvalidAllowMethod', parameter: methods.invalid };
    if (!methodAllowed(methods, method, creds)) return { code: 'CORSMethodNotFound', parameter: '' };
    if (headers.invalid !== null) return { code: 'CORSInvalidAllowHeader', parameter: headers.invalid };
    const denied = [...headerNames].sort().find((n) => !headerAllowed(headers, n, creds));
    if (denied !== undefined) return { code: 'CORSMissingAllowHeaderFromPreflight2', parameter: denied };
    return null;
  },
  // Firefox fails such a redirect in UpdateChannel without a specific console reason.
  redirectCredentials: { code: 'CORSDidNotSucceed2', parameter: '(null)' },
  networkFailure: { code: 'CORSDidNotSucceed2', parameter: '(null)' },
  refusesEveryCredentialedRedirect: false,
};
