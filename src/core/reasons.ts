// The two reason vocabularies (Chromium CDP Network.CorsError, Firefox security.properties keys) and their wording.

export const CORS_ERRORS = [
  'DisallowedByMode',
  'InvalidResponse',
  'WildcardOriginNotAllowed',
  'MissingAllowOriginHeader',
  'MultipleAllowOriginValues',
  'InvalidAllowOriginValue',
  'AllowOriginMismatch',
  'InvalidAllowCredentials',
  'CorsDisabledScheme',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
  'RedirectContainsCredentials',
  'InsecureLocalNetwork',
  'InvalidLocalNetworkAccess',
  'LocalNetworkAccessPermissionDenied',
] as const;
export type CorsError = (typeof CORS_ERRORS)[number];

export const FIREFOX_REASONS = [
  'CORSDisabled',
  'CORSDidNotSucceed2',
  'CORSRequestNotHttp',
  'CORSMultipleAllowOriginNotAllowed',
  'CORSMissingAllowOrigin2',
  'CORSNotSupportingCredentials',
  'CORSAllowOriginNotMatchingOrigin',
  'CORSMissingAllowCredentials',
  'CORSOriginHeaderNotAdded',
  'CORSExternalRedirectNotAllowed',
  'CORSPreflightDidNotSucceed3',
  'CORSInvalidAllowMethod',
  'CORSMethodNotFound',
  'CORSInvalidAllowHeader',
  'CORSMissingAllowHeaderFromPreflight2',
] as const;
export type FirefoxReason = (typeof FIREFOX_REASONS)[number];

/** The MDN page for a Firefox reason (MDN keeps one page per reason; the "2"/"3" suffixes are message revisions). */
export function mdnUrl(reason: FirefoxReason): string {
  const page = reason.replace(/\d+$/, '').replace('CORSMissingAllowCredentials', 'CORSMIssingAllowCredentials');
  return `https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/${page}`;
}

/** "…which is not the page's origin", or, once a cross-origin redirect made the request's Origin "null", that. */
function notTheOrigin(origin: string): string {
  return origin === 'null'
    ? ', but after a redirect through another origin the browser sent Origin "null", which it does not match'
    : `, which is not the page's origin${origin ? ` (${origin})` : ''}`;
}

/** A plain sentence for a Chromium error: what went wrong, in the developer's terms. `origin` is the Origin the
 *  failing response was checked against. */
export function describeChromeError(error: CorsError, parameter: string, origin = ''): string {
  const v = JSON.stringify(parameter);
  switch (error) {
    case 'DisallowedByMode':
      return "The request's mode is same-origin, so the browser refused to send it to another origin.";
    case 'InvalidResponse':
      return 'The response was invalid.';
    case 'WildcardOriginNotAllowed':
      return 'The response allows any origin (Access-Control-Allow-Origin: *), which does not count for a request with credentials.';
    case 'MissingAllowOriginHeader':
      return 'The response has no Access-Control-Allow-Origin header.';
    case 'MultipleAllowOriginValues':
      return `Access-Control-Allow-Origin holds several values (${v}); exactly one origin is allowed.`;
    case 'InvalidAllowOriginValue':
      return `Access-Control-Allow-Origin holds ${v}, which is not an origin.`;
    case 'AllowOriginMismatch':
      return `Access-Control-Allow-Origin is ${v}${notTheOrigin(origin)}.`;
    case 'InvalidAllowCredentials':
      return `The request carries credentials, but Access-Control-Allow-Credentials is ${parameter === '' ? 'missing' : v} instead of "true".`;
    case 'CorsDisabledScheme':
      return 'The URL scheme does not support cross-origin requests.';
    case 'PreflightInvalidStatus':
      return 'The preflight response did not have a 2xx status.';
    case 'PreflightDisallowedRedirect':
      return 'The preflight was answered with a redirect, which browsers never follow for a preflight.';
    case 'PreflightWildcardOriginNotAllowed':
      return 'The preflight response allows any origin (*), which does not count for a request with credentials.';
    case 'PreflightMissingAllowOriginHeader':
      return 'The preflight response has no Access-Control-Allow-Origin header.';
    case 'PreflightMultipleAllowOriginValues':
      return `The preflight response's Access-Control-Allow-Origin holds several values (${v}); exactly one is allowed.`;
    case 'PreflightInvalidAllowOriginValue':
      return `The preflight response's Access-Control-Allow-Origin holds ${v}, which is not an origin.`;
    case 'PreflightAllowOriginMismatch':
      return `The preflight response's Access-Control-Allow-Origin is ${v}${notTheOrigin(origin)}.`;
    case 'PreflightInvalidAllowCredentials':
      return `The request carries credentials, but the preflight response's Access-Control-Allow-Credentials is ${parameter === '' ? 'missing' : v} instead of "true".`;
    case 'InvalidAllowMethodsPreflightResponse':
      return 'The preflight response\'s Access-Control-Allow-Methods could not be parsed (one invalid entry voids the whole header).';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'The preflight response\'s Access-Control-Allow-Headers could not be parsed (one invalid entry voids the whole header).';
    case 'MethodDisallowedByPreflightResponse':
      return `The preflight response did not allow the method ${parameter}.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `The preflight response did not allow the request header ${parameter}.`;
    case 'RedirectContainsCredentials':
      return 'A redirect pointed to a URL with a user name or password, which is not allowed for cross-origin requests.';
    case 'InsecureLocalNetwork':
      return 'A page that is not a secure context asked for a more private network address space (Local Network Access).';
    case 'InvalidLocalNetworkAccess':
      return 'The request named a target address space that does not match where the server really is (Local Network Access).';
    case 'LocalNetworkAccessPermissionDenied':
      return 'The user has not granted this site access to the local network (Local Network Access).';
  }
}

/** A plain sentence for a Firefox reason key and its argument. */
export function describeFirefoxReason(reason: FirefoxReason, parameter: string | null, origin = ''): string {
  const v = parameter === null ? '' : JSON.stringify(parameter);
  switch (reason) {
    case 'CORSDisabled':
      return 'CORS is disabled in this browser.';
    case 'CORSDidNotSucceed2':
      return 'The request did not succeed at the network level (no response to check).';
    case 'CORSRequestNotHttp':
      return 'Cross-origin requests must use HTTP or HTTPS.';
    case 'CORSMultipleAllowOriginNotAllowed':
      return 'The response has more than one Access-Control-Allow-Origin header line.';
    case 'CORSMissingAllowOrigin2':
      return 'The response has no Access-Control-Allow-Origin header.';
    case 'CORSNotSupportingCredentials':
      return 'The request carries credentials, and Access-Control-Allow-Origin is "*", which does not count for them.';
    case 'CORSAllowOriginNotMatchingOrigin':
      return `Access-Control-Allow-Origin is ${v}${notTheOrigin(origin)}.`;
    case 'CORSMissingAllowCredentials':
      return 'The request carries credentials, but Access-Control-Allow-Credentials is not "true".';
    case 'CORSOriginHeaderNotAdded':
      return 'The browser could not add the Origin header.';
    case 'CORSExternalRedirectNotAllowed':
      return 'The preflight was answered with a redirect, which is not allowed.';
    case 'CORSPreflightDidNotSucceed3':
      return `The preflight response did not have a 2xx status${parameter ? ` (it was ${parameter})` : ''}.`;
    case 'CORSInvalidAllowMethod':
      return `Access-Control-Allow-Methods holds the invalid entry ${v}.`;
    case 'CORSMethodNotFound':
      return 'The method is not listed in the preflight response\'s Access-Control-Allow-Methods.';
    case 'CORSInvalidAllowHeader':
      return `Access-Control-Allow-Headers holds the invalid entry ${v}.`;
    case 'CORSMissingAllowHeaderFromPreflight2':
      return `The preflight response did not allow the request header ${parameter ?? ''}.`;
  }
}
