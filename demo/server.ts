// Starts the demo: the gallery page on http://localhost:<port>, its API on 127.0.0.1:<port+1>, a third origin on <port+2>.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GALLERY, type DemoEndpoint, type DemoOrigins, type DemoReply, type DemoServer } from './gallery.ts';
import { renderPage } from './page.ts';

export const DEFAULT_PORT = 5173;

export interface DemoOptions {
  /** The page's port; the API takes port + 1 and the third origin port + 2. 0 picks three free ports (tests). */
  port?: number;
  /** Called once per request a demo server answers (for a verbose terminal). */
  log?: (line: string) => void;
}

export interface RunningDemo {
  pageOrigin: string;
  apiOrigin: string;
  thirdOrigin: string;
  close(): Promise<void>;
}

/** Everything binds to the loopback address only; `localhost` reaches it too, which gives the page its own origin. */
const HOST = '127.0.0.1';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${HOST} is already in use: pick another with --port <n> (the demo uses n, n+1 and n+2)`)
          : err,
      );
    });
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

function send(res: ServerResponse, reply: DemoReply, endpoint: DemoEndpoint): void {
  const body = reply.body ?? (reply.status === 204 || reply.status === 304 ? '' : JSON.stringify({ endpoint: endpoint.id }));
  const headers: Array<[string, string]> = [...reply.headers];
  const has = (name: string): boolean => headers.some(([n]) => n.toLowerCase() === name);
  // The preflight cache (Access-Control-Max-Age) still applies; no-store only keeps the HTTP cache out of the demo.
  if (!has('cache-control')) headers.push(['Cache-Control', 'no-store']);
  if (body !== '' && !has('content-type')) headers.push(['Content-Type', 'application/json']);
  headers.push(['Content-Length', String(Buffer.byteLength(body))]);
  if (reply.raw) {
    // Node refuses control characters in header values (ERR_INVALID_CHAR), and a hostile server would not care: write
    // the head ourselves. latin1 maps each UTF-16 unit to one byte, so what the gallery says is what goes out.
    let head = `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Status'}\r\nConnection: close\r\n`;
    for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
    res.socket?.end(Buffer.from(`${head}\r\n${body}`, 'latin1'));
    return;
  }
  // A flat list keeps duplicates as separate lines (two Access-Control-Allow-Origin headers stay two).
  res.writeHead(reply.status, headers.flat());
  res.end(body);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
  res.end('not found');
}

/** An API-like server: each path belongs to one gallery endpoint, which decides the whole answer. */
function endpointServer(which: DemoServer, origins: DemoOrigins, log: (line: string) => void): Server {
  const routes = new Map<string, DemoEndpoint>();
  for (const endpoint of GALLERY) {
    for (const route of endpoint.routes) if (route.server === which) routes.set(route.path, endpoint);
  }
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    const endpoint = routes.get(path);
    log(`${which} ${req.method ?? '?'} ${path} ${endpoint ? `→ ${endpoint.id}` : '→ 404'}`);
    if (!endpoint) return notFound(res);
    const origin = req.headers.origin ?? null;
    send(res, endpoint.serve({ server: which, method: req.method ?? 'GET', path, origin }, origins), endpoint);
  });
}

function pageServer(origins: DemoOrigins): Server {
  return createServer((req, res) => {
    req.resume();
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(renderPage(GALLERY, origins));
      return;
    }
    // Browsers ask for it on every page load; an empty answer keeps a 404 out of the console.
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    notFound(res);
  });
}

async function close(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const port = options.port ?? DEFAULT_PORT;
  const log = options.log ?? (() => {});
  // Filled in once the ports are known; the handlers read it per request, never before.
  const origins: DemoOrigins = { page: '', api: '', third: '' };
  const servers = { page: pageServer(origins), api: endpointServer('api', origins, log), third: endpointServer('third', origins, log) };
  try {
    origins.page = `http://localhost:${await listen(servers.page, port)}`;
    origins.api = `http://${HOST}:${await listen(servers.api, port === 0 ? 0 : port + 1)}`;
    origins.third = `http://${HOST}:${await listen(servers.third, port === 0 ? 0 : port + 2)}`;
  } catch (err) {
    await Promise.all(Object.values(servers).map(close));
    throw err;
  }
  // Short keep-alive so close() and a browser's idle sockets do not hold each other up.
  for (const s of Object.values(servers)) s.keepAliveTimeout = 1000;
  return {
    pageOrigin: origins.page,
    apiOrigin: origins.api,
    thirdOrigin: origins.third,
    close: async () => {
      await Promise.all(Object.values(servers).map(close));
    },
  };
}

// `npm run demo [-- --port <n>]`: the demo alone, for a browser with Corsight loaded by hand (Firefox, for now).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: String(DEFAULT_PORT) } } });
  const demo = await startDemo({ port: Number(values.port), log: (line) => console.log(line) });
  console.log(`Corsight demo gallery: ${demo.pageOrigin}/  (API ${demo.apiOrigin}, third origin ${demo.thirdOrigin}). Ctrl-C stops it.`);
  process.once('SIGINT', () => void demo.close().then(() => process.exit(0)));
}
