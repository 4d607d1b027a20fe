// The engine's vocabulary: what a webRequest listener observed, and the diagnosis the engine derives from it.

export type BrowserName = 'chrome' | 'firefox';

/** Headers in the order they were seen, duplicates kept (two `Access-Control-Allow-Origin` lines stay two entries). */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

export interface ObservedResponse {
  status: number;
  headers: HeaderList;
}

/** The OPTIONS request the browser sent before a hop, as webRequest showed it. */
export interface ObservedPreflight {
  url: string;
  /** Request headers (Origin, Access-Control-Request-*); null when the listener never saw them. */
  requestHeaders: HeaderList | null;
  response: ObservedResponse | null;
  /** webRequest error string on the OPTIONS itself (Firefox ends a failed preflight in an error). */
  error: string | null;
  /** When the preflight's response arrived (ms since the epoch; webRequest's timeStamp, or a HAR entry's start plus
   *  its time): a passed preflight is in the browser's preflight cache from then on, not from when the request
   *  started. Absent in older captures and in HARs without timings. */
  respondedAt?: number;
}

/** One URL of the request's chain: the initial request, then one per redirect target. */
export interface ObservedHop {
  url: string;
  method: string;
  /** Headers as sent (page-set and browser-added alike); null when the request never reached onSendHeaders. */
  requestHeaders: HeaderList | null;
  preflight: ObservedPreflight | null;
  response: ObservedResponse | null;
  /** Set when webRequest reported onBeforeRedirect for this hop. */
  redirectTo: string | null;
  /** The address webRequest says the response came from (`ip`; a proxy's address when one is used). Chromium
   *  reports it only once a response was let through (onResponseStarted, onCompleted, onBeforeRedirect). */
  ip?: string;
}

export type ObservedEnd =
  | { state: 'completed' }
  | { state: 'error'; error: string }
  | { state: 'pending' };

/** Everything a webRequest listener can know about one request the page made. */
export interface ObservedExchange {
  browser: BrowserName;
  /** Serialized origin of the page that made the request (Chromium `initiator`; derived from Firefox `originUrl`). */
  origin: string | null;
  /** webRequest resource type (`xmlhttprequest` for fetch/XHR). */
  type: string;
  hops: ObservedHop[];
  end: ObservedEnd;
  /** Set when the source never records preflights (Playwright's HAR): a missing OPTIONS then says nothing about the
   *  preflight cache. webRequest and the DevTools HARs show every preflight that went out. */
  preflightsUnrecorded?: true;
}

export type Verdict = 'allowed' | 'blocked' | 'not-cors' | 'network-error' | 'pending';

export type CredentialsMode = 'include' | 'omit';
