// Copy as curl: shell quoting that hostile header values never escape (checked by a real POSIX shell), the
// secrets placeholder, and the commands run with the real curl against a local server that must receive what the
// browser sent in the recorded Chromium exchanges.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlCommands, curlProbe, shellQuote } from '../../src/core/curl.ts';
import { headerValue } from '../../src/core/headers.ts';
import { PROBE_ORIGIN } from '../../src/core/probe.ts';
import { REDACTED } from '../../src/core/report.ts';
import type { HeaderList, ObservedExchange } from '../../src/core/types.ts';
import { recordOf } from '../panel/recorded.ts';

const run = promisify(execFile);

/** Every byte but NUL (which no argv can hold): quotes, $(), backticks, newlines, escapes, DEL, non-ASCII. */
const HOSTILE = [
  "it's",
  "'; touch /tmp/corsight-pwned; echo '",
  '"$(touch /tmp/corsight-pwned)" `id` $HOME \\ \\\'',
  'line1\nline2\r\n-H evil: 1',
  Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('') + '\x7f',
  '\x1b[201~\necho pwned\n',
  "''''",
  'é 🦀 \u2028',
];

/** The argv a POSIX shell builds from `script` with `curl` defined to print its arguments NUL-separated. */
async function argvOf(script: string): Promise<string[]> {
  const { stdout } = await run('/bin/sh', ['-c', `curl() { printf '%s\\0' "$@"; }\n${script}`]);
  return stdout.split('\0').slice(0, -1);
}

const exchange = (headers: HeaderList): ObservedExchange => ({
  browser: 'chrome',
  origin: 'http://localhost:5173',
  type: 'xmlhttprequest',
  hops: [{ url: 'http://127.0.0.1:5174/x', method: 'GET', requestHeaders: headers, preflight: null, response: { status: 200, headers: [] }, redirectTo: null }],
  end: { state: 'completed' },
});

describe('shellQuote', () => {
  it('round-trips every hostile value through /bin/sh as one argument', async () => {
    for (const v of HOSTILE) expect(await argvOf(`curl ${shellQuote(v)}`)).toEqual([v]);
  });

  it('keeps a hostile header value inside its -H argument in a whole command', async () => {
    const headers = HOSTILE.map((v, i): readonly [string, string] => [`X-H${i}`, v]);
    const cmd = curlCommands(exchange([['Origin', 'http://localhost:5173'], ...headers])).request;
    expect(await argvOf(cmd)).toEqual([
      '--globoff', '-i', 'http://127.0.0.1:5174/x', '-H', 'Origin: http://localhost:5173', ...HOSTILE.flatMap((v, i) => ['-H', `X-H${i}: ${v}`]),
    ]);
  });
});

describe('curlCommands', () => {
  const secrets: HeaderList = [['Origin', 'http://localhost:5173'], ['Cookie', 'session=s3cret'], ['Authorization', 'Bearer t0ken'], ['Proxy-Authorization', 'Basic cHJveHk='], ['X-Foo', '']];

  it('replaces Cookie, Authorization and Proxy-Authorization with a visible placeholder unless asked', async () => {
    const redacted = await argvOf(curlCommands(exchange(secrets)).request);
    expect(redacted).toEqual(expect.arrayContaining([`Cookie: ${REDACTED}`, `Authorization: ${REDACTED}`, `Proxy-Authorization: ${REDACTED}`]));
    expect(redacted.join('\n')).not.toMatch(/s3cret|t0ken|cHJveHk/);
    const kept = await argvOf(curlCommands(exchange(secrets), 0, { includeSecrets: true }).request);
    expect(kept).toEqual(expect.arrayContaining(['Cookie: session=s3cret', 'Authorization: Bearer t0ken', 'Proxy-Authorization: Basic cHJveHk=']));
  });

  it('sends an empty header value the way curl keeps it (Name;)', async () => {
    expect(await argvOf(curlCommands(exchange(secrets)).request)).toContain('X-Foo;');
  });

  it('probes with the foreign origin instead of the page', async () => {
    const argv = await argvOf(curlProbe(exchange(secrets)).request);
    expect(argv).toContain(`Origin: ${PROBE_ORIGIN}`);
    expect(argv).not.toContain('Origin: http://localhost:5173');
  });
});

interface Received {
  method: string;
  url: string;
  headers: Array<[string, string]>;
}

describe('the commands run with the real curl', () => {
  let server: Server;
  let base = '';
  const received: Received[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      received.push({ method: req.method ?? '', url: req.url ?? '', headers });
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** The recorded exchange with its API host:port pointed at this server (the page origin stays). */
  function retarget(ex: ObservedExchange): ObservedExchange {
    const to = (url: string): string => `${base}${new URL(url).pathname}${new URL(url).search}`;
    return { ...ex, hops: ex.hops.map((h) => ({ ...h, url: to(h.url), preflight: h.preflight ? { ...h.preflight, url: to(h.preflight.url) } : null })) };
  }

  async function replay(cmd: string): Promise<Received> {
    const before = received.length;
    await run('/bin/sh', ['-c', `${cmd} -s -o /dev/null`]);
    expect(received).toHaveLength(before + 1);
    return received[before]!;
  }

  /** Every header the browser sent (but those curl writes itself) arrived with the same value. */
  function expectSameHeaders(got: Received, sent: HeaderList): void {
    for (const [name, value] of sent) {
      if (['host', 'content-length', 'connection'].includes(name.toLowerCase())) continue;
      expect(headerValue(got.headers, name.toLowerCase()), name).toBe(value);
    }
  }

  it.each(['trigger-put-and-header-preflight-ok', 'trigger-authorization-preflight-ok', 'trigger-several-custom-headers-preflight-ok', 'simple-head-acao-exact'])(
    'replays %s: the preflight and the request reach the server as Chromium sent them',
    async (scenario) => {
      const ex = retarget(recordOf(scenario).exchange);
      const hop = ex.hops[0]!;
      const cmds = curlCommands(ex, 0, { includeSecrets: true });
      if (hop.preflight) {
        expect(cmds.preflightSeen).toBe(true);
        const got = await replay(cmds.preflight!);
        expect(got.method).toBe('OPTIONS');
        expect(`${base}${got.url}`).toBe(hop.preflight.url);
        for (const name of ['origin', 'access-control-request-method', 'access-control-request-headers']) {
          expect(headerValue(got.headers, name), name).toBe(headerValue(hop.preflight.requestHeaders, name));
        }
        expectSameHeaders(got, hop.preflight.requestHeaders!);
      }
      const got = await replay(cmds.request);
      expect(got.method).toBe(hop.method);
      expect(`${base}${got.url}`).toBe(hop.url);
      expectSameHeaders(got, hop.requestHeaders!);
    },
  );

  it('sends a URL with brackets and braces in its query once and unchanged (curl globbing off)', async () => {
    const ex = retarget(recordOf('trigger-put-and-header-preflight-ok').exchange);
    const url = `${base}/x?filter[name]=a&page[1-3]&f={b,c}`;
    const odd: ObservedExchange = { ...ex, hops: ex.hops.map((h) => ({ ...h, url, preflight: h.preflight ? { ...h.preflight, url } : null })) };
    const cmds = curlCommands(odd);
    expect(`${base}${(await replay(cmds.preflight!)).url}`).toBe(url);
    expect(`${base}${(await replay(cmds.request)).url}`).toBe(url);
  });

  it('rebuilds the preflight the browser served from its cache, with the same Access-Control-Request-*', async () => {
    const first = retarget(recordOf('preflight-cache-max-age').exchange);
    const cached = { ...first, hops: first.hops.map((h) => ({ ...h, preflight: null })) };
    const cmds = curlCommands(cached);
    expect(cmds.preflightSeen).toBe(false);
    const got = await replay(cmds.preflight!);
    const sent = first.hops[0]!.preflight!.requestHeaders;
    expect(got.method).toBe('OPTIONS');
    for (const name of ['origin', 'access-control-request-method', 'access-control-request-headers']) {
      expect(headerValue(got.headers, name), name).toBe(headerValue(sent, name));
    }
  });

  it('probes with the foreign Origin: the server receives it on both commands', async () => {
    const ex = retarget(recordOf('trigger-put-and-header-preflight-ok').exchange);
    const probe = curlProbe(ex);
    expect(headerValue((await replay(probe.preflight!)).headers, 'origin')).toBe(PROBE_ORIGIN);
    expect(headerValue((await replay(probe.request)).headers, 'origin')).toBe(PROBE_ORIGIN);
  });
});
