// Local two-origin (plus a third) HTTP server that answers each conformance scenario exactly as scenarios.json says.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redirect, Scenario, ServerAnswer, Target } from './scenario.ts';

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
  close(): Promise<void>;
}

const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>Corsight conformance page</title><body>conformance</body>';

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

  const expand = (value: string, req: IncomingMessage): string | null => {
    if (value.includes('{requestOrigin}') && req.headers.origin === undefined) return null;
    return value
      .replaceAll('{requestOrigin}', req.headers.origin ?? '')
      .replaceAll('{origin}', origins.page)
      .replaceAll('{api}', origins.api)
      .replaceAll('{third}', origins.third);
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    spec: ServerAnswer & { redirect?: Redirect },
    at: { id: string; token: string; hop: number },
  ): void => {
    const flat: string[] = [];
    for (const [name, value] of spec.headers) {
      const v = expand(value, req);
      if (v !== null) flat.push(name, v);
    }
    if (spec.redirect) {
      flat.push('Location', hopUrl(spec.redirect.to, at.id, at.token, at.hop + 1, spec.redirect.userinfo));
    }
    if (!spec.headers.some(([n]) => n.toLowerCase() === 'cache-control')) flat.push('Cache-Control', 'no-store');
    const body = spec.status === 204 || spec.status === 304 ? '' : 'ok';
    flat.push('Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(body)));
    res.writeHead(spec.status, flat);
    res.end(body);
  };

  const handler = (which: keyof Omit<Origins, 'closed'>) => (req: IncomingMessage, res: ServerResponse) => {
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    seen.push({ origin: which, method: req.method ?? '', url: req.url ?? '', headers });
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /^\/s\/([^/]+)\/([^/]+)\/(\d+)$/.exec(path);
    if (m) {
      const scenario = byId.get(m[1]!);
      const hop = Number(m[3]);
      const behaviour = scenario?.hops[hop];
      if (scenario && behaviour) {
        const at = { id: scenario.id, token: m[2]!, hop };
        if (req.method === 'OPTIONS') {
          answer(req, res, behaviour.preflight ?? { status: 404, headers: [] }, at);
        } else {
          answer(req, res, behaviour.response, at);
        }
        return;
      }
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(PAGE_HTML);
      return;
    }
    // Warm-up and anything else: a CORS-open 200 so it never looks like a scenario failure.
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-store',
    });
    res.end('ok');
  };

  const servers = { page: createServer(handler('page')), api: createServer(handler('api')), third: createServer(handler('third')) };
  origins.page = `http://localhost:${await listen(servers.page, '127.0.0.1')}`;
  origins.api = `http://127.0.0.1:${await listen(servers.api, '127.0.0.1')}`;
  origins.third = `http://127.0.0.1:${await listen(servers.third, '127.0.0.1')}`;
  origins.closed = `http://127.0.0.1:${await closedPort()}`;
  for (const s of Object.values(servers)) s.keepAliveTimeout = 1000;

  return {
    origins,
    seen,
    urlFor: (scenario, token) => hopUrl(scenario.request.target, scenario.id, token, 0),
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
