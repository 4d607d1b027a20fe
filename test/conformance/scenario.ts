// Shape of the conformance corpus (scenarios.json): what the page asks for and how the local servers answer.

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
}
