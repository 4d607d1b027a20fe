// The demo gallery: one API endpoint per common real-world CORS failure (plus passes and risky passes), as data.
import type { CorsError } from '../src/core/reasons.ts';

/** The demo's origins: the page, the API it calls, and a third origin that the API redirects to. */
export interface DemoOrigins {
  page: string;
  api: string;
  third: string;
}

export type DemoServer = 'api' | 'third';

/** What the page sends (the arguments of its `fetch`). */
export interface DemoRequest {
  method: string;
  /** Path (and query) on the API origin. */
  path: string;
  headers?: Array<[string, string]>;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
}

/** One request as a demo server received it. */
export interface DemoIncoming {
  server: DemoServer;
  method: string;
  /** Path without the query. */
  path: string;
  /** The `Origin` request header, or null when absent. */
  origin: string | null;
}

export interface DemoReply {
  status: number;
  headers: Array<[string, string]>;
  /** JSON text; defaults to `{"endpoint": id}` so each answer names the endpoint in DevTools' Network panel. */
  body?: string;
  /** Write the head byte for byte (latin1) past Node's header validation: only for the hostile endpoints, whose
   *  control characters Node refuses to send. */
  raw?: boolean;
}

export type DemoIntent = 'allowed' | 'blocked';

export interface DemoEndpoint {
  id: string;
  /** Short human title, shown on the demo page. */
  title: string;
  /** What the server does, in the words of someone who configured it. */
  story: string;
  request: DemoRequest;
  /** What the browser does with it. Certain: every entry is checked against Chromium's own verdict (test/e2e). */
  intent: DemoIntent;
  /** Chromium's CDP `Network.CorsError` for blocked entries, null for allowed ones. */
  corsError: CorsError | null;
  /** Engine finding ids the entry is expected to raise (src/core/lint.ts). */
  warns?: string[];
  /** A pass that exists to show a security finding. */
  risky?: boolean;
  /** Only a robustness probe (hostile headers): a button on the page, but not part of "Run all". */
  hidden?: boolean;
  /** Every path this endpoint answers, per server (the request path is on the API; redirects add targets). */
  routes: Array<{ server: DemoServer; path: string }>;
  /** The server's answer to one request on one of `routes` (OPTIONS included). */
  serve(req: DemoIncoming, origins: DemoOrigins): DemoReply;
}

type Headers = Array<[string, string]>;

/** What a typical CORS middleware sends once it accepted the page's origin (an allow-list, not a reflection). */
function allowPage(origins: DemoOrigins, extra: Headers = []): Headers {
  return [['Access-Control-Allow-Origin', origins.page], ['Vary', 'Origin'], ...extra];
}

/** A preflight answer that allows these methods and headers for the page's origin. */
function preflightOk(origins: DemoOrigins, methods: string, headers: string, extra: Headers = []): DemoReply {
  return {
    status: 204,
    headers: allowPage(origins, [
      ['Access-Control-Allow-Methods', methods],
      ['Access-Control-Allow-Headers', headers],
      ['Access-Control-Max-Age', '600'],
      ...extra,
    ]),
  };
}

/** The page origin with its host swapped between `localhost` and `127.0.0.1`: the classic dev-setup mismatch. */
function swappedHost(origin: string): string {
  const u = new URL(origin);
  u.hostname = u.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return u.origin;
}

const JSON_BODY = JSON.stringify({ item: 'lamp', quantity: 1 });
const BEARER = 'Bearer demo-token-7f3a9c';
/** Only stored and sent back cross-site by Chromium and Firefox as a partitioned cookie (test/conformance/server.ts). */
const SESSION_COOKIE = 'demo_session=s3cr3t-session-value; Path=/; HttpOnly; SameSite=None; Secure; Partitioned';

/** Header values a hostile or broken server can send; they must show as inert text (issue 3 §6). */
export const HOSTILE_VALUES = {
  markup: '<img src=x onerror=alert(1)>',
  script: '<script>alert(document.domain)</script>',
  /** 64 KiB: far above any sane header, below Chromium's 256 KiB limit for a response head. */
  big: 'A'.repeat(64 * 1024),
  /** C0 controls, an ANSI colour escape (terminals!) and DEL; CR and LF would end the header line. */
  control: 'start\u0001\u0007\u001b[31mred\u001b[0m\u007f\tend',
} as const;

function hostileHeaders(): Headers {
  return [
    ['X-Markup', HOSTILE_VALUES.markup],
    ['X-Script', HOSTILE_VALUES.script],
    ['X-Big', HOSTILE_VALUES.big],
    ['X-Control', HOSTILE_VALUES.control],
  ];
}

export const GALLERY: readonly DemoEndpoint[] = [
  // Passes first: the credentialed one stores the session cookie that later credentialed requests carry, so the
  // panel can show credentials as observed (a Cookie header went out) rather than inferred.
  {
    id: 'credentialed-allowed',
    title: 'Credentialed request allowed',
    story: 'GET /session with credentials; the API allows this origin by name with Allow-Credentials and sets a session cookie.',
    request: { method: 'GET', path: '/session', credentials: 'include' },
    intent: 'allowed',
    corsError: null,
    // webRequest cannot tell an allow-list from a reflection, so the engine reminds the developer to check.
    warns: ['origin-reflected-with-credentials'],
    routes: [{ server: 'api', path: '/session' }],
    serve: (_req, o) => ({
      status: 200,
      headers: allowPage(o, [['Access-Control-Allow-Credentials', 'true'], ['Set-Cookie', SESSION_COOKIE]]),
    }),
  },
  {
    id: 'simple-get-allowed',
    title: 'Simple GET allowed',
    story: 'A public status endpoint that answers every origin with Access-Control-Allow-Origin: *.',
    request: { method: 'GET', path: '/status' },
    intent: 'allowed',
    corsError: null,
    routes: [{ server: 'api', path: '/status' }],
    serve: () => ({ status: 200, headers: [['Access-Control-Allow-Origin', '*']] }),
  },
  {
    id: 'json-post-allowed',
    title: 'JSON POST allowed',
    story: 'POST /orders with a JSON body and a bearer token: the preflight allows POST, Content-Type and Authorization.',
    request: {
      method: 'POST',
      path: '/orders',
      headers: [['Content-Type', 'application/json'], ['Authorization', BEARER]],
      body: JSON_BODY,
    },
    intent: 'allowed',
    corsError: null,
    routes: [{ server: 'api', path: '/orders' }],
    serve: (req, o) =>
      req.method === 'OPTIONS'
        ? preflightOk(o, 'GET, POST', 'Content-Type, Authorization')
        : { status: 201, headers: allowPage(o) },
  },
  {
    id: 'missing-acao',
    title: 'No Access-Control-Allow-Origin',
    story: 'The API never heard of CORS: a 200 with the data, and no Access-Control-Allow-Origin at all.',
    request: { method: 'GET', path: '/products' },
    intent: 'blocked',
    corsError: 'MissingAllowOriginHeader',
    routes: [{ server: 'api', path: '/products' }],
    serve: () => ({ status: 200, headers: [] }),
  },
  {
    id: 'wrong-origin',
    title: 'Allows 127.0.0.1 instead of localhost',
    story: 'The allow-list has the dev server as http://127.0.0.1:<port>, but the page runs on http://localhost:<port>.',
    request: { method: 'GET', path: '/prices' },
    intent: 'blocked',
    corsError: 'AllowOriginMismatch',
    routes: [{ server: 'api', path: '/prices' }],
    serve: (_req, o) => ({ status: 200, headers: [['Access-Control-Allow-Origin', swappedHost(o.page)], ['Vary', 'Origin']] }),
  },
  {
    id: 'trailing-slash',
    title: 'Trailing slash in the allowed origin',
    story: 'The allowed origin was copied from the address bar: http://localhost:<port>/ (an origin has no path).',
    request: { method: 'GET', path: '/reviews' },
    intent: 'blocked',
    corsError: 'AllowOriginMismatch',
    routes: [{ server: 'api', path: '/reviews' }],
    serve: (_req, o) => ({ status: 200, headers: [['Access-Control-Allow-Origin', `${o.page}/`], ['Vary', 'Origin']] }),
  },
  {
    id: 'wildcard-with-credentials',
    title: '"*" with credentials',
    story: 'The page sends cookies; the API answers Access-Control-Allow-Origin: * (with Allow-Credentials: true).',
    request: { method: 'GET', path: '/cart', credentials: 'include' },
    intent: 'blocked',
    corsError: 'WildcardOriginNotAllowed',
    routes: [{ server: 'api', path: '/cart' }],
    serve: () => ({
      status: 200,
      headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Credentials', 'true']],
    }),
  },
  {
    id: 'credentials-without-allow-credentials',
    title: 'Credentials without Allow-Credentials',
    story: 'The page sends cookies; the API allows the origin but never sends Access-Control-Allow-Credentials: true.',
    request: { method: 'GET', path: '/wishlist', credentials: 'include' },
    intent: 'blocked',
    corsError: 'InvalidAllowCredentials',
    routes: [{ server: 'api', path: '/wishlist' }],
    serve: (_req, o) => ({ status: 200, headers: allowPage(o) }),
  },
  {
    id: 'two-allow-origin-values',
    title: 'Two Access-Control-Allow-Origin headers',
    story: 'nginx adds Access-Control-Allow-Origin: * and the app adds its own: the response carries both.',
    request: { method: 'GET', path: '/inventory' },
    intent: 'blocked',
    corsError: 'MultipleAllowOriginValues',
    routes: [{ server: 'api', path: '/inventory' }],
    serve: (_req, o) => ({
      status: 200,
      headers: [['Access-Control-Allow-Origin', '*'], ...allowPage(o)],
    }),
  },
  {
    id: 'preflight-404',
    title: 'Preflight 404: no OPTIONS route',
    story: 'DELETE /orders/42 exists, but the router has no OPTIONS route, so the preflight gets a bare 404.',
    request: { method: 'DELETE', path: '/orders/42' },
    intent: 'blocked',
    corsError: 'PreflightMissingAllowOriginHeader',
    routes: [{ server: 'api', path: '/orders/42' }],
    serve: (req, o) =>
      req.method === 'OPTIONS'
        ? { status: 404, headers: [], body: JSON.stringify({ error: 'Cannot OPTIONS /orders/42' }) }
        : { status: 204, headers: allowPage(o) },
  },
  {
    id: 'preflight-401',
    title: 'Preflight 401: auth middleware rejects OPTIONS',
    story: 'The CORS headers are there, but the auth middleware runs first and answers the token-less preflight 401.',
    request: { method: 'GET', path: '/account', headers: [['Authorization', BEARER]] },
    intent: 'blocked',
    corsError: 'PreflightInvalidStatus',
    routes: [{ server: 'api', path: '/account' }],
    serve: (req, o) =>
      req.method === 'OPTIONS'
        ? {
            status: 401,
            headers: [...preflightOk(o, 'GET', 'Authorization').headers, ['WWW-Authenticate', 'Bearer realm="api"']],
            body: JSON.stringify({ error: 'missing token' }),
          }
        : { status: 200, headers: allowPage(o) },
  },
  {
    id: 'error-500-behind-cors',
    title: 'A 500 hidden by CORS',
    story: 'The preflight passes; the POST crashes with a 500, and nginx adds CORS headers only to 2xx (add_header without "always").',
    request: { method: 'POST', path: '/checkout', headers: [['Content-Type', 'application/json']], body: JSON_BODY },
    intent: 'blocked',
    corsError: 'MissingAllowOriginHeader',
    routes: [{ server: 'api', path: '/checkout' }],
    serve: (req, o) =>
      req.method === 'OPTIONS'
        ? preflightOk(o, 'GET, POST', 'Content-Type')
        : { status: 500, headers: [], body: JSON.stringify({ error: 'database timeout' }) },
  },
  {
    id: 'header-not-allowed',
    title: 'Custom header not in Allow-Headers',
    story: 'The page adds X-Request-Id for tracing; the preflight allows only Content-Type and Authorization.',
    request: { method: 'GET', path: '/search?q=lamp', headers: [['X-Request-Id', 'req-2f9c']] },
    intent: 'blocked',
    corsError: 'HeaderDisallowedByPreflightResponse',
    routes: [{ server: 'api', path: '/search' }],
    serve: (req, o) =>
      req.method === 'OPTIONS' ? preflightOk(o, 'GET, POST', 'Content-Type, Authorization') : { status: 200, headers: allowPage(o) },
  },
  {
    id: 'method-not-allowed',
    title: 'PUT not in Allow-Methods',
    story: 'PUT /profile with JSON; the preflight allows GET and POST only.',
    request: { method: 'PUT', path: '/profile', headers: [['Content-Type', 'application/json']], body: JSON_BODY },
    intent: 'blocked',
    corsError: 'MethodDisallowedByPreflightResponse',
    routes: [{ server: 'api', path: '/profile' }],
    serve: (req, o) =>
      req.method === 'OPTIONS' ? preflightOk(o, 'GET, POST', 'Content-Type') : { status: 200, headers: allowPage(o) },
  },
  {
    id: 'lowercase-patch',
    title: 'Lowercase "patch"',
    story: 'fetch(url, {method: "patch"}): browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT, and the server allows "PATCH".',
    request: { method: 'patch', path: '/settings', headers: [['Content-Type', 'application/json']], body: JSON_BODY },
    intent: 'blocked',
    corsError: 'MethodDisallowedByPreflightResponse',
    routes: [{ server: 'api', path: '/settings' }],
    serve: (req, o) =>
      req.method === 'OPTIONS' ? preflightOk(o, 'GET, POST, PATCH', 'Content-Type') : { status: 200, headers: allowPage(o) },
  },
  {
    id: 'redirect-without-cors',
    title: 'Redirect to a path without CORS headers',
    story: 'GET /v1/catalog answers 302 to /v2/catalog; the new route was added without the CORS middleware.',
    request: { method: 'GET', path: '/v1/catalog' },
    intent: 'blocked',
    corsError: 'MissingAllowOriginHeader',
    routes: [
      { server: 'api', path: '/v1/catalog' },
      { server: 'api', path: '/v2/catalog' },
    ],
    serve: (req, o) =>
      req.path === '/v1/catalog'
        ? { status: 302, headers: allowPage(o, [['Location', '/v2/catalog']]) }
        : { status: 200, headers: [] },
  },
  {
    id: 'redirect-to-other-origin',
    title: 'Redirect to another origin: Origin becomes null',
    story: 'GET /avatar redirects to a file server on a third origin; after that cross-origin hop the browser sends Origin: null, and the file server allows only the page.',
    request: { method: 'GET', path: '/avatar' },
    intent: 'blocked',
    corsError: 'AllowOriginMismatch',
    routes: [
      { server: 'api', path: '/avatar' },
      { server: 'third', path: '/avatars/42.png' },
    ],
    serve: (req, o) =>
      req.server === 'api'
        ? { status: 302, headers: allowPage(o, [['Location', `${o.third}/avatars/42.png`]]) }
        : { status: 200, headers: allowPage(o) },
  },
  // Passes that deserve a security warning.
  {
    id: 'origin-reflected',
    title: 'Passes, but reflects any Origin with credentials',
    story: 'The API copies whatever Origin it receives into Access-Control-Allow-Origin and allows credentials: any site can read this user\'s data.',
    request: { method: 'GET', path: '/messages', credentials: 'include' },
    intent: 'allowed',
    corsError: null,
    warns: ['origin-reflected-with-credentials'],
    risky: true,
    routes: [{ server: 'api', path: '/messages' }],
    serve: (req) => ({
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', req.origin ?? '*'],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Vary', 'Origin'],
      ],
    }),
  },
  {
    id: 'null-origin-trusted',
    title: 'Passes, but trusts the origin "null"',
    story: 'The redirect problem "fixed" the wrong way: the file server allows Origin: null, which any sandboxed iframe can send.',
    request: { method: 'GET', path: '/download' },
    intent: 'allowed',
    corsError: null,
    warns: ['null-origin-trusted'],
    risky: true,
    routes: [
      { server: 'api', path: '/download' },
      { server: 'third', path: '/files/report.json' },
    ],
    serve: (req, o) =>
      req.server === 'api'
        ? { status: 302, headers: allowPage(o, [['Location', `${o.third}/files/report.json`]]) }
        : { status: 200, headers: [['Access-Control-Allow-Origin', 'null'], ['Vary', 'Origin']] },
  },
  {
    id: 'missing-vary-origin',
    title: 'Passes, but no "Vary: Origin"',
    story: 'The API picks the allowed origin per request but omits Vary: Origin, so a shared cache can hand one site\'s answer to another.',
    request: { method: 'GET', path: '/recommendations' },
    intent: 'allowed',
    corsError: null,
    warns: ['missing-vary-origin'],
    risky: true,
    routes: [{ server: 'api', path: '/recommendations' }],
    // Cacheable, as such answers are: without it no cache could keep the answer and Vary would not matter.
    serve: (_req, o) => ({ status: 200, headers: [['Access-Control-Allow-Origin', o.page], ['Cache-Control', 'public, max-age=60']] }),
  },
  // Robustness probes: a server can put anything in a header, and the panel must show it as text.
  {
    id: 'hostile-headers-blocked',
    title: 'Hostile headers (blocked)',
    story: 'Markup in Access-Control-Allow-Origin, a script tag, a 64 KB value and control characters in other headers.',
    request: { method: 'GET', path: '/hostile' },
    intent: 'blocked',
    // Chromium reads a space in the value as a list of origins (measured).
    corsError: 'MultipleAllowOriginValues',
    hidden: true,
    routes: [{ server: 'api', path: '/hostile' }],
    serve: () => ({
      status: 200,
      headers: [['Access-Control-Allow-Origin', HOSTILE_VALUES.markup], ...hostileHeaders()],
      raw: true,
    }),
  },
  {
    id: 'hostile-headers-allowed',
    title: 'Hostile headers (allowed)',
    story: 'The same hostile headers on a response that CORS allows.',
    request: { method: 'GET', path: '/hostile-allowed' },
    intent: 'allowed',
    corsError: null,
    hidden: true,
    routes: [{ server: 'api', path: '/hostile-allowed' }],
    serve: () => ({ status: 200, headers: [['Access-Control-Allow-Origin', '*'], ...hostileHeaders()], raw: true }),
  },
];

/** The entries "Run all" sends, in order. */
export const RUN_ALL: readonly DemoEndpoint[] = GALLERY.filter((e) => !e.hidden);

export function endpointById(id: string): DemoEndpoint {
  const found = GALLERY.find((e) => e.id === id);
  if (!found) throw new Error(`no demo endpoint "${id}"`);
  return found;
}
