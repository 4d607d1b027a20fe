// Origin serialization and comparison as the Fetch standard defines them (scheme://host[:port], no trailing slash).

interface ParsedUrl {
  origin: string | null;
  host: string;
  hostname: string;
  hasCredentials: boolean;
  path: string;
}

/** A page repeats the same few URLs, and URL parsing dominates the engine's cost, so parses are memoized
 *  (bounded: the memo is dropped whole when it fills). */
const memo = new Map<string, ParsedUrl>();
const MEMO_LIMIT = 4096;

function parse(url: string): ParsedUrl {
  let p = memo.get(url);
  if (p) return p;
  try {
    const u = new URL(url);
    p = { origin: u.origin, host: u.host, hostname: u.hostname, hasCredentials: u.username !== '' || u.password !== '', path: u.pathname };
  } catch {
    p = { origin: null, host: '', hostname: '', hasCredentials: false, path: url };
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(url, p);
  return p;
}

/** Serialized origin of a URL, or null for an unparsable URL. Opaque origins serialize as "null". */
export function originOf(url: string): string | null {
  return parse(url).origin;
}

export function sameOrigin(a: string, b: string): boolean {
  const oa = originOf(a);
  return oa !== null && oa !== 'null' && oa === originOf(b);
}

/** True when the URL carries a username or password (Fetch: "includes credentials"). */
export function urlHasCredentials(url: string): boolean {
  return parse(url).hasCredentials;
}

/** Path of a URL for messages; the raw string when it does not parse. */
export function pathOf(url: string): string {
  return parse(url).path;
}

/** Whether a string parses as a URL with a host (Chromium's test for a "valid" Access-Control-Allow-Origin). */
export function isUrlWithHost(value: string): boolean {
  return parse(value).host !== '';
}

/** Host name without port (IPv6 without brackets), or null for an unparsable URL. */
export function hostnameOf(url: string): string | null {
  const p = parse(url);
  return p.origin === null && p.hostname === '' ? null : p.hostname.replace(/^\[|\]$/g, '');
}
