// Shape of the conformance corpora (scenarios.json, lna-scenarios.json): what the page asks for and how the local servers answer.

/** Which local origin a URL points at. `page` = http://localhost:P, `api` = http://127.0.0.1:Q,
 *  `third` = http://127.0.0.1:R (a third origin for redirect chains), `closed` = a port nothing listens on. */
export type Target = 'page' | 'api' | 'third' | 'closed';

/** Header values may use `{origin}` (the page origin), `{requestOrigin}` (echo the request's Origin header,
 *  or nothing when it has none), `{api}` / `{third}` (those origins). */
export type ScenarioHeaders = Array<[string, string]>;

export interface ServerAnswer {
  status: number;
  headers: ScenarioHeaders;
}

export interface Redirect {
  /** Where the Location header points. */
  to: Target;
  /** Put `user:pass@` into the Location URL. */
  userinfo?: boolean;
}

/** How the server answers one hop (hop 0 is the URL the page fetched; hop n+1 is the target of hop n's redirect). */
export interface HopBehaviour {
  /** Answer to an OPTIONS at this hop; absent = 404 without headers. */
  preflight?: ServerAnswer & { redirect?: Redirect };
  /** Answer to the actual request; with `redirect`, Location is added (status should be 3xx). */
  response: ServerAnswer & { redirect?: Redirect };
}

export interface ScenarioRequest {
  target: Target;
  method: string;
  headers?: ScenarioHeaders;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
  mode?: 'cors' | 'no-cors' | 'same-origin';
  /** Before the fetch(es), the runner stores a cookie for this scenario on the request's target origin (a
   *  credentialed fetch of `/prime/<id>` there), scoped with `Path=/s/<id>/` so no other scenario sends it. Whether
   *  the fetch then carries it is up to `credentials` (and the browser): it lets webRequest *see* credentials. */
  cookie?: boolean;
  /** Local Network Access: the fetch option `targetAddressSpace` (Chromium checks it against the address space the
   *  target turns out to be in; other browsers ignore an unknown option). */
  targetAddressSpace?: 'local' | 'loopback';
}

/** How the page that fetches is served (Local Network Access scenarios only). Absent: a secure loopback page,
 *  http://localhost:P, which Local Network Access never gates when it fetches loopback targets. */
export interface PageSetup {
  /** Treat the page as if it came from the public internet: Chromium honours the page's
   *  `Content-Security-Policy: treat-as-public-address`; Firefox 153 ignores that directive (measured), so its
   *  runner also sets the pref `network.lna.address_space.public.override` for the page port. */
  addressSpace?: 'public';
  /** Load the page from http://test.example:P (resolved to 127.0.0.1), which is not a secure context, instead of
   *  http://localhost:P. */
  insecure?: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  /** The rule it exercises, e.g. `cors-check/acao-missing`, `preflight/acah`, `redirect/taint`. */
  rule: string;
  request: ScenarioRequest;
  hops: HopBehaviour[];
  /** Fetch the same URL this many times in a row (preflight cache); default 1. */
  repeat?: number;
  /** Local Network Access: see PageSetup. Scenarios that need a different page setup from the previous one make
   *  the runner switch pages (and, in Firefox, relaunch when prefs differ), so keep such scenarios together. */
  page?: PageSetup;
  /** Local Network Access permission of the page origin, set before its fetches. Absent or `denied`: not granted,
   *  and both runners make sure that means a refusal, never a prompt. Chromium cannot grant it to a non-secure
   *  origin at all (CDP refuses), so `granted` on an insecure page only takes effect in Firefox. */
  lna?: 'granted' | 'denied';
}
