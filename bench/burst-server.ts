// The benchmarks' local servers: a page on http://localhost:P that fires bursts of cross-origin fetches at an API on
// http://127.0.0.1:Q, which answers after an optional latency (half the requests preflighted, some blocked).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BurstServers {
  pageUrl: string;
  apiOrigin: string;
  close(): Promise<void>;
}

/**
 * The page's `burst(n, tag, latencyMs)` starts n fetches at once and resolves with the milliseconds until all
 * settled. Request i: even ones are PUTs with a custom header (preflighted); i % 10 === 1 gets no
 * Access-Control-Allow-Origin (blocked), i % 10 === 4 a preflight without the header allowed (blocked at the
 * preflight). URLs are unique per burst (`tag`), so neither the preflight cache nor the HTTP cache answers.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>burst</title><body>burst
<script>
window.burst = async (n, tag, latency, api) => {
  const jobs = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const url = api + '/r?i=' + i + '&t=' + tag + '&d=' + latency + '&k=' + (i % 10);
    jobs.push(i % 2 === 0
      ? fetch(url, { method: 'PUT', headers: { 'x-bench': String(i) }, body: 'x' })
      : fetch(url));
  }
  const settled = await Promise.allSettled(jobs);
  return { ms: performance.now() - t0, failed: settled.filter((s) => s.status === 'rejected').length };
};
</script>`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function api(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const delay = Number(url.searchParams.get('d') ?? 0);
  const kind = Number(url.searchParams.get('k') ?? 0);
  const origin = req.headers.origin ?? '*';
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain' };
  if (req.method === 'OPTIONS') {
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Allow-Methods'] = 'PUT';
    if (kind !== 4) headers['Access-Control-Allow-Headers'] = 'x-bench';
  } else if (kind !== 1) {
    headers['Access-Control-Allow-Origin'] = origin;
  }
  const answer = (): void => {
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, headers);
    res.end(req.method === 'OPTIONS' ? '' : 'ok');
  };
  // Drain the body first: a PUT's body must be read before the connection can be reused.
  req.resume();
  req.on('end', () => (delay > 0 ? setTimeout(answer, delay) : answer()));
}

export async function startBurstServers(): Promise<BurstServers> {
  const apiServer = createServer(api);
  const pageServer = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(PAGE);
  });
  // Many fetches share few connections: keep them open across bursts, as a real API server would.
  apiServer.keepAliveTimeout = 60_000;
  const [pagePort, apiPort] = await Promise.all([listen(pageServer), listen(apiServer)]);
  const close = (s: Server): Promise<void> =>
    new Promise((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  return {
    pageUrl: `http://localhost:${pagePort}/`,
    apiOrigin: `http://127.0.0.1:${apiPort}`,
    close: async () => {
      await Promise.all([close(apiServer), close(pageServer)]);
    },
  };
}
