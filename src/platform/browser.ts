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

/** Session rule id of the active check's Origin rewrite; removed again after each check and at startup. */
export const PROBE_RULE_ID = 1;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Fetches `url` from the background with `Origin: origin`, and returns the answer's CORS headers. fetch() cannot set
 * Origin itself, so a one-URL declarativeNetRequest session rule sets it for requests of no tab (tabIds -1: the
 * page's own requests keep their Origin) while this one fetch runs. No cookies (credentials "omit"), no cache, and
 * redirects are not followed (the rule covers this URL only). Measured in Chromium 156 and Firefox 153: the server
 * receives the rewritten Origin, and the background reads the response whatever its CORS headers say.
 */
export async function fetchWithOrigin(
  url: string,
  method: 'GET' | 'HEAD',
  origin: string,
  signal: AbortSignal,
): Promise<{ kind: 'response'; status: number; acao: string | null; acac: string | null } | { kind: 'redirect' }> {
  await browser.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [PROBE_RULE_ID],
    addRules: [
      {
        id: PROBE_RULE_ID,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'set', value: origin }] },
        condition: { regexFilter: `^${escapeRegex(url)}$`, resourceTypes: ['xmlhttprequest'], tabIds: [-1] },
      },
    ],
  });
  try {
    const response = await fetch(url, { method, credentials: 'omit', cache: 'no-store', redirect: 'manual', signal });
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) return { kind: 'redirect' };
    return {
      kind: 'response',
      status: response.status,
      acao: response.headers.get('access-control-allow-origin'),
      acac: response.headers.get('access-control-allow-credentials'),
    };
  } finally {
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [PROBE_RULE_ID] });
  }
}

/** Drops a rewrite rule a stopped background may have left behind (it only ever applies to requests of no tab). */
export async function removeProbeRule(): Promise<void> {
  await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [PROBE_RULE_ID] });
}
