// Local two-origin (plus a third) HTTP server that answers each conformance scenario exactly as scenarios.json says.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { PageFetchArgs, PageFetchResult } from './page-fetch.ts';
import type { PageSetup, Redirect, Scenario, ServerAnswer, Target } from './scenario.ts';
import { INSECURE_HOST, isPublicPage } from './setup.ts';

export interface Origins {
  page: string;
  api: string;
  third: string;
  closed: string;
}

export interface SeenRequest {
  origin: keyof Omit<Origins, 'closed'>;
  method: string;
  url: string;
  headers: Array<[string, string]>;
}

export interface ScenarioServer {
  origins: Origins;
  /** Every request a server received, in arrival order (for "the server saw it" checks). */
  seen: SeenRequest[];
  /** URL of hop 0 of a scenario for one run token. */
  urlFor(scenario: Scenario, token: string): string;
  /** URL on the scenario's target origin whose answer stores the scenario's cookie (see ScenarioRequest.cookie). */
  primeUrlFor(scenario: Scenario): string;
  /** Origin of the page a scenario fetches from: origins.page, or http://test.example:P for an insecure page. */
  pageOriginFor(page: PageSetup | undefined): string;
  /** URL of that page; a public page is served with `Content-Security-Policy: treat-as-public-address`. */
  pageUrlFor(page: PageSetup | undefined): string;
  close(): Promise<void>;
}

/**
 * Attributes of the scenario cookie. The page (localhost) and the API (127.0.0.1) are cross-site, so this is a
 * third-party cookie, and only this set is both stored and sent back cross-site by both browsers (measured):
 * Chromium 156 refuses every unpartitioned third-party cookie (CDP blockedReasons "UserPreferences", whatever the
 * SameSite value) and keeps only a Partitioned (CHIPS) one, which needs SameSite=None and Secure; Firefox 153 refuses
 * SameSite=None without Secure and a cross-site SameSite=Lax, and keeps this one. Secure over plain http is accepted
 * because 127.0.0.1 is potentially trustworthy.
 */
const COOKIE_ATTRIBUTES = 'SameSite=None; Secure; Partitioned';

const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>Corsight conformance page</title><body>conformance</body>';
/** Path of the page that Chromium treats as public (Local Network Access): the same page plus the CSP directive. */
const PUBLIC_PAGE_PATH = '/public';

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** A loopback port that is free now and that nothing will listen on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s, '127.0.0.1');
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startScenarioServer(scenarios: readonly Scenario[]): Promise<ScenarioServer> {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const seen: SeenRequest[] = [];
  const origins: Origins = { page: '', api: '', third: '', closed: '' };

  const hopUrl = (target: Target, id: string, token: string, hop: number, userinfo = false): string => {
    const origin = userinfo ? origins[target].replace('://', '://user:pass@') : origins[target];
    return `${origin}/s/${id}/${token}/${hop}`;
  };

  /** The request as the scenario logic needs it, from Node's parser or from a raw request line. */
  interface Incoming {
    method: string;
    url: string;
    headers: Array<[string, string]>;
  }

  interface Reply {
    status: number;
    headers: string[];
    body: string;
  }

  const pageOriginFor = (page: PageSetup | undefined): string =>
    page?.insecure ? origins.page.replace('//localhost:', `//${INSECURE_HOST}:`) : origins.page;

  const expand = (value: string, origin: string | undefined, pageOrigin: string): string | null => {
    if (value.includes('{requestOrigin}') && origin === undefined) return null;
    return value
      .replaceAll('{requestOrigin}', origin ?? '')
      .replaceAll('{origin}', pageOrigin)
      .replaceAll('{api}', origins.api)
      .replaceAll('{third}', origins.third);
  };

  const answer = (req: Incoming, spec: ServerAnswer & { redirect?: Redirect }, at: { id: string; token: string; hop: number }): Reply => {
    const origin = req.headers.find(([n]) => n.toLowerCase() === 'origin')?.[1];
    const flat: string[] = [];
    // `{origin}` is the origin of the page this scenario runs in, which is not localhost for an insecure page.
    const pageOrigin = pageOriginFor(byId.get(at.id)?.page);
    for (const [name, value] of spec.headers) {
      const v = expand(value, origin, pageOrigin);
      if (v !== null) flat.push(name, v);
    }
    if (spec.redirect) {
      flat.push('Location', hopUrl(spec.redirect.to, at.id, at.token, at.hop + 1, spec.redirect.userinfo));
    }
    if (!spec.headers.some(([n]) => n.toLowerCase() === 'cache-control')) flat.push('Cache-Control', 'no-store');
    const body = spec.status === 204 || spec.status === 304 ? '' : 'ok';
    flat.push('Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(body)));
    return { status: spec.status, headers: flat, body };
  };

  const route = (which: keyof Omit<Origins, 'closed'>, req: Incoming): Reply => {
    seen.push({ origin: which, ...req });
    const path = new URL(req.url, 'http://x').pathname;
    const m = /^\/s\/([^/]+)\/([^/]+)\/(\d+)$/.exec(path);
    if (m) {
      const scenario = byId.get(m[1]!);
      const hop = Number(m[3]);
      const behaviour = scenario?.hops[hop];
      if (scenario && behaviour) {
        const at = { id: scenario.id, token: m[2]!, hop };
        return req.method === 'OPTIONS'
          ? answer(req, behaviour.preflight ?? { status: 404, headers: [] }, at)
          : answer(req, behaviour.response, at);
      }
    }
    const prime = /^\/prime\/([^/]+)$/.exec(path);
    if (prime && byId.has(prime[1]!)) {
      // Credentialed CORS-allowed 200: the page's priming fetch must succeed for the cookie to be stored.
      const origin = req.headers.find(([n]) => n.toLowerCase() === 'origin')?.[1];
      const headers = ['Set-Cookie', `corsight=${prime[1]}; Path=/s/${prime[1]}/; ${COOKIE_ATTRIBUTES}`];
      if (origin !== undefined) headers.push('Access-Control-Allow-Origin', origin, 'Access-Control-Allow-Credentials', 'true', 'Vary', 'Origin');
      headers.push('Cache-Control', 'no-store', 'Content-Type', 'text/plain');
      return { status: 200, headers, body: 'ok' };
    }
    if (path === '/' || path === '/index.html') {
      return { status: 200, headers: ['Content-Type', 'text/html; charset=utf-8', 'Cache-Control', 'no-store'], body: PAGE_HTML };
    }
    if (which === 'page' && path === PUBLIC_PAGE_PATH) {
      const headers = ['Content-Type', 'text/html; charset=utf-8', 'Cache-Control', 'no-store', 'Content-Security-Policy', 'treat-as-public-address'];
      return { status: 200, headers, body: PAGE_HTML };
    }
    // Warm-up and anything else: a CORS-open 200 so it never looks like a scenario failure.
    return { status: 200, headers: ['Content-Type', 'text/plain', 'Access-Control-Allow-Origin', '*', 'Cache-Control', 'no-store'], body: 'ok' };
  };

  const handler = (which: keyof Omit<Origins, 'closed'>) => (req: IncomingMessage, res: ServerResponse) => {
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    req.resume();
    const reply = route(which, { method: req.method ?? '', url: req.url ?? '/', headers });
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  };

  /** Node's parser rejects methods it does not know or that are not upper case (`patch`, `FOO`) with a bare 400
   *  before any handler runs; browsers send them as written, so answer those from the raw request instead. */
  const rawMethodFallback = (which: keyof Omit<Origins, 'closed'>) => (err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex) => {
    const text = err.code === 'HPE_INVALID_METHOD' && err.rawPacket ? err.rawPacket.toString('latin1') : '';
    const [head = ''] = text.split('\r\n\r\n');
    const [line = '', ...rest] = head.split('\r\n');
    const m = /^(\S+) (\S+) HTTP\/1\.1$/.exec(line);
    if (!m) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const headers = rest.flatMap((h): Array<[string, string]> => {
      const i = h.indexOf(':');
      return i > 0 ? [[h.slice(0, i), h.slice(i + 1).trim()]] : [];
    });
    const reply = route(which, { method: m[1]!, url: m[2]!, headers });
    let out = `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Status'}\r\nConnection: close\r\n`;
    for (let i = 0; i < reply.headers.length; i += 2) out += `${reply.headers[i]}: ${reply.headers[i + 1]}\r\n`;
    socket.end(`${out}\r\n${reply.body}`);
  };

  const make = (which: keyof Omit<Origins, 'closed'>): Server => createServer(handler(which)).on('clientError', rawMethodFallback(which));
  const servers = { page: make('page'), api: make('api'), third: make('third') };
  origins.page = `http://localhost:${await listen(servers.page, '127.0.0.1')}`;
  origins.api = `http://127.0.0.1:${await listen(servers.api, '127.0.0.1')}`;
  origins.third = `http://127.0.0.1:${await listen(servers.third, '127.0.0.1')}`;
  origins.closed = `http://127.0.0.1:${await closedPort()}`;
  for (const s of Object.values(servers)) s.keepAliveTimeout = 1000;

  return {
    origins,
    seen,
    urlFor: (scenario, token) => hopUrl(scenario.request.target, scenario.id, token, 0),
    primeUrlFor: (scenario) => `${origins[scenario.request.target]}/prime/${scenario.id}`,
    pageOriginFor,
    pageUrlFor: (page) => `${pageOriginFor(page)}${isPublicPage(page) ? PUBLIC_PAGE_PATH : '/'}`,
    close: async () => {
      await Promise.all(
        Object.values(servers).map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}

/**
 * Stores a `cookie: true` scenario's cookie before its fetches (no-op for the others): `run` performs pageFetch in
 * the page, with credentials so the browser keeps the Set-Cookie. Its events never count for the scenario, whose
 * runners only take URLs containing `/s/<id>/<token>/`.
 */
export async function primeScenarioCookie(
  server: ScenarioServer,
  scenario: Scenario,
  run: (args: PageFetchArgs) => Promise<PageFetchResult>,
): Promise<void> {
  if (!scenario.request.cookie) return;
  if (scenario.request.target === 'closed') throw new Error(`${scenario.id}: a cookie needs a target that answers`);
  const result = await run({ url: server.primeUrlFor(scenario), method: 'GET', headers: [], credentials: 'include' });
  if (result.fetch !== 'resolved' || result.status !== 200) {
    throw new Error(`${scenario.id}: priming the cookie failed (${result.fetch} ${result.status ?? ''} ${result.error ?? ''})`);
  }
}
