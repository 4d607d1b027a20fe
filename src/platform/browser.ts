// The one gateway to extension APIs: the only importer of webextension-polyfill, plus feature flags per browser.
import browser, { type Runtime } from 'webextension-polyfill';

// Everything else imports `browser` from here, so replacing the polyfill (archived upstream, see
// docs/architecture-anchors.md, finding 7) by native `chrome.*`/`browser.*` later touches one file.
export { browser };
export type { Browser } from 'webextension-polyfill';
/** A runtime port (the panel ↔ background connection). */
export type Port = Runtime.Port;

/** webRequest's extraInfoSpec enums as Chromium exposes them at run time (absent from the polyfill's typings). */
interface ExtraInfoSpecEnums {
  OnBeforeSendHeadersOptions?: { EXTRA_HEADERS?: string };
}

/**
 * True when webRequest accepts the `extraHeaders` option. Chromium hides preflights, `Origin` and the headers of
 * blocked responses without it; Firefox reportedly rejects the value ("Invalid enumeration value",
 * simplesamlphp/SAML-tracer#82), so detect the feature (ipfs/ipfs-companion#787) instead of sniffing the user agent.
 * Both the polyfill's object and the raw `chrome.webRequest` are checked: the polyfill forwards unknown properties
 * today, but nothing in its typings promises that.
 */
export function supportsExtraHeaders(): boolean {
  const viaPolyfill = (browser.webRequest as ExtraInfoSpecEnums | undefined)?.OnBeforeSendHeadersOptions;
  const viaChrome = (globalThis as { chrome?: { webRequest?: ExtraInfoSpecEnums } }).chrome?.webRequest
    ?.OnBeforeSendHeadersOptions;
  return [viaPolyfill, viaChrome].some((options) => options?.EXTRA_HEADERS === 'extraHeaders');
}
