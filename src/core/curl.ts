// "Copy as curl": an exchange's preflight and actual request as POSIX shell commands, to replay them against the
// server outside the browser; secrets are replaced by a visible placeholder unless asked for.
import { explainPreflights } from './evaluate.ts';
import { headerValue } from './headers.ts';
import { judge } from './judge.ts';
import { PROBE_ORIGIN } from './probe.ts';
import { isSecretHeader, REDACTED } from './report.ts';
import type { HeaderList, ObservedExchange } from './types.ts';

/** Headers curl writes itself from the URL and the body it sends (no body is captured). */
const CURL_OWNED = new Set(['host', 'content-length', 'connection']);

export interface CurlOptions {
  /** Keep Cookie, Authorization and Proxy-Authorization values (default: the placeholder). */
  includeSecrets?: boolean;
  /** Replace the Origin the browser sent (the probe). */
  origin?: string;
}

export interface CurlCommands {
  /** The hop's preflight: as the browser sent it when seen, else as it would have sent it; null without one. */
  preflight: string | null;
  /** Whether `preflight` repeats an OPTIONS that was seen (false: rebuilt from the request). */
  preflightSeen: boolean;
  /** The actual request with the page's Origin and its headers as sent. */
  request: string;
  /** Whether the request's headers were seen (Chrome never shows those of a request its preflight stopped). */
  requestHeadersSeen: boolean;
}

/** POSIX single quotes: every byte but `'` is literal inside them, so `'` closes, is escaped and reopens. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** curl drops a header given as `Name:`; `Name;` sends it with an empty value. */
function headerArg(name: string, value: string): string {
  return shellQuote(value === '' ? `${name};` : `${name}: ${value}`);
}

function command(method: string, url: string, headers: HeaderList, opts: CurlOptions): string {
  // HEAD through -X would wait for a body that never comes; -I sends HEAD and prints the headers.
  const flags = method === 'HEAD' ? '-I' : method === 'GET' ? '-i' : `-i -X ${shellQuote(method)}`;
  // --globoff: curl would read `[…]` and `{…}` in the URL as its own ranges and lists (`?filter[name]=x` is an error,
  // `?a={b,c}` two requests); the browser's URL holds them literally.
  const lines = [`curl --globoff ${flags} ${shellQuote(url)}`];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (CURL_OWNED.has(lower)) continue;
    const shown = lower === 'origin' && opts.origin !== undefined ? opts.origin : opts.includeSecrets !== true && isSecretHeader(name) ? REDACTED : value;
    lines.push(`-H ${headerArg(name, shown)}`);
  }
  // One header per line; the backslash-newline continuations sit outside any quotes.
  return lines.join(' \\\n  ');
}

/** The headers the browser sends on a preflight it did not show: Origin and the Access-Control-Request-* pair
 *  (names lowercased, sorted, comma-joined, as both browsers write them). */
function rebuiltPreflight(origin: string, method: string, headerNames: readonly string[]): HeaderList {
  const out: Array<[string, string]> = [['Origin', origin], ['Access-Control-Request-Method', method]];
  if (headerNames.length > 0) out.push(['Access-Control-Request-Headers', [...headerNames].sort().join(',')]);
  return out;
}

/** curl commands for hop `hop` of an exchange (the page's own request by default). */
export function curlCommands(ex: ObservedExchange, hop = 0, opts: CurlOptions = {}): CurlCommands {
  const { chain } = judge(ex);
  const step = chain.steps[hop];
  if (!step) throw new Error(`the exchange has no hop ${hop}`);
  const { hop: observed } = step;
  const needed = explainPreflights(chain, ex.browser).find((p) => p.hop === hop) ?? null;
  const pre = observed.preflight;
  let preflight: string | null = null;
  if (pre?.requestHeaders) preflight = command('OPTIONS', pre.url, pre.requestHeaders, opts);
  else if (needed) preflight = command('OPTIONS', needed.url, rebuiltPreflight(step.preflightOrigin, needed.method, needed.headerNames), opts);

  const sent = observed.requestHeaders;
  // Unseen headers: at least the Origin every CORS request carries, so the command still asks the CORS question.
  const headers: HeaderList = sent ?? [['Origin', step.origin]];
  const withOrigin: HeaderList = headerValue(headers, 'origin') === null && opts.origin !== undefined ? [...headers, ['Origin', opts.origin]] : headers;
  return {
    preflight,
    preflightSeen: (pre?.requestHeaders ?? null) !== null,
    request: command(observed.method, observed.url, withOrigin, opts),
    requestHeadersSeen: sent !== null,
  };
}

/** The same commands with the panel check's foreign PROBE_ORIGIN: replay them to see whether the server trusts any
 *  origin. */
export function curlProbe(ex: ObservedExchange, hop = 0, opts: Omit<CurlOptions, 'origin'> = {}): CurlCommands {
  return curlCommands(ex, hop, { ...opts, origin: PROBE_ORIGIN });
}
