// Turning captured strings into what the panel shows: visible control characters, URL parts, clock times.

/**
 * Characters a header value must not render raw: C0/C1 controls and DEL (a server can send them; Chromium passes
 * some through), zero-width and bidirectional controls (they can make a value read as something it is not), line
 * separators, the BOM, and unpaired surrogates (from `binaryValue` bytes).
 */
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The value with every invisible or layout-changing character shown as a `\uXXXX` escape. */
export function visible(value: string): string {
  return value.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The value cut into plain runs and escapes, so the escapes can be styled apart from text that looks the same. */
export function segments(value: string): Array<{ text: string; escaped: boolean }> {
  const out: Array<{ text: string; escaped: boolean }> = [];
  let from = 0;
  for (const m of value.matchAll(INVISIBLE)) {
    if (m.index > from) out.push({ text: value.slice(from, m.index), escaped: false });
    out.push({ text: visible(m[0]), escaped: true });
    from = m.index + m[0].length;
  }
  if (from < value.length) out.push({ text: value.slice(from), escaped: false });
  return out;
}

/** Host and the rest of a URL, as the Network panel's Name column shows them; the raw string when it won't parse. */
export function urlParts(url: string): { host: string; path: string } {
  try {
    const u = new URL(url);
    return { host: u.host, path: `${u.pathname}${u.search}` };
  } catch {
    return { host: '', path: url };
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local wall-clock time with milliseconds: requests of one page load start within the same second. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
