// Why a request needs a preflight: Fetch's CORS-safelisted methods and request headers, rule by rule.
import type { BrowserName, HeaderList } from './types.ts';

export type TriggerRule =
  | 'method'
  | 'header-name'
  | 'value-too-long'
  | 'unsafe-byte'
  | 'content-type-unparsable'
  | 'content-type-essence'
  | 'language-chars'
  | 'range-form'
  | 'total-too-long'
  | 'listed-by-browser';

export interface PreflightTrigger {
  kind: 'method' | 'header';
  /** Method as sent, or the lowercased header name. */
  name: string;
  /** Header value when it was visible. */
  value: string | null;
  rule: TriggerRule;
  message: string;
}

const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const SAFE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** Fetch normalizes only these six methods to upper case; `patch` stays `patch` and needs `patch` allowed. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.has(method);
}

const FORBIDDEN_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** Names a page cannot set (Fetch "forbidden request-header"), so they never trigger a preflight. */
export function isForbiddenHeaderName(name: string): boolean {
  const n = name.toLowerCase();
  return FORBIDDEN_NAMES.has(n) || n.startsWith('proxy-') || n.startsWith('sec-');
}

/** Headers browsers add on their own that webRequest shows next to the page's (whatwg/fetch#1005: only
 *  author headers count). `priority` is added by both browsers; `user-agent` by the network layer. */
const BROWSER_ADDED = new Set(['user-agent', 'priority', 'upgrade-insecure-requests']);

export function isBrowserAddedHeaderName(name: string): boolean {
  return BROWSER_ADDED.has(name.toLowerCase()) || isForbiddenHeaderName(name);
}

/** UTF-8 length without encoding (this runs for every header of every request). */
function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function firstUnsafeByte(value: string): string | null {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || '"():<>?@[\\]{}'.includes(ch)) return ch;
  }
  return null;
}

function describeChar(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x20 || c === 0x7f ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : `"${ch}"`;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Essence of a MIME type with Fetch's strict parser, or null when it does not parse. */
export function mimeEssence(value: string): string | null {
  const trimmed = value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
  const slash = trimmed.indexOf('/');
  if (slash <= 0) return null;
  const type = trimmed.slice(0, slash);
  const rest = trimmed.slice(slash + 1);
  const semi = rest.indexOf(';');
  const subtype = (semi === -1 ? rest : rest.slice(0, semi)).replace(/[\t\n\r ]+$/, '');
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}

/** Why a single header is not CORS-safelisted, or null when it is. */
function headerRule(name: string, value: string): { rule: TriggerRule; message: string } | null {
  const n = name.toLowerCase();
  if (!['accept', 'accept-language', 'content-language', 'content-type', 'range'].includes(n)) {
    return { rule: 'header-name', message: `${name} is not one of the CORS-safelisted request headers.` };
  }
  if (byteLength(value) > 128) {
    return { rule: 'value-too-long', message: `${name} is ${byteLength(value)} bytes long; safelisted values are at most 128 bytes.` };
  }
  if (n === 'accept' || n === 'content-type') {
    const bad = firstUnsafeByte(value);
    if (bad !== null) return { rule: 'unsafe-byte', message: `${name} contains ${describeChar(bad)}, a CORS-unsafe byte.` };
  }
  if (n === 'accept-language' || n === 'content-language') {
    const bad = [...value].find((ch) => !/[0-9A-Za-z *,\-.;=]/.test(ch));
    if (bad !== undefined) {
      return { rule: 'language-chars', message: `${name} contains ${describeChar(bad)}; only letters, digits, space and *,-.;= are safelisted.` };
    }
  }
  if (n === 'content-type') {
    const essence = mimeEssence(value);
    if (essence === null) return { rule: 'content-type-unparsable', message: `Content-Type "${value}" is not a valid MIME type.` };
    if (!SAFE_CONTENT_TYPES.has(essence)) {
      return {
        rule: 'content-type-essence',
        message: `Content-Type ${essence} is not text/plain, multipart/form-data or application/x-www-form-urlencoded.`,
      };
    }
  }
  if (n === 'range' && !/^bytes=\d+-\d*$/.test(value)) {
    return { rule: 'range-form', message: `Range "${value}" is not a single "bytes=start-[end]" range.` };
  }
  return null;
}

/** Firefox's webRequest joins repeated lines with ", " although Firefox safelists each line on its own
 *  (measured on 153), so a joined value counts as safe when every part is. */
function ruleFor(name: string, value: string, browser: BrowserName): { rule: TriggerRule; message: string } | null {
  const why = headerRule(name, value);
  if (why && browser === 'firefox' && value.includes(', ') && value.split(', ').every((part) => headerRule(name, part) === null)) return null;
  return why;
}

/** Every reason this request needs a preflight, from the method and the page-set headers (forbidden and
 *  browser-added names are skipped: webRequest shows them but browsers never count them). Firefox checks each
 *  header line on its own and has no 1024-byte total (measured on 153); Chromium merges repeated names into one
 *  value, as webRequest already shows them, and applies the Fetch total. */
export function preflightTriggers(method: string, headers: HeaderList, browser: BrowserName): PreflightTrigger[] {
  const out: PreflightTrigger[] = [];
  if (!isSafelistedMethod(method)) {
    out.push({ kind: 'method', name: method, value: null, rule: 'method', message: `${method} is not GET, HEAD or POST.` });
  }
  const safelisted: Array<[string, string]> = [];
  let total = 0;
  for (const [name, value] of headers) {
    if (isBrowserAddedHeaderName(name)) continue;
    const why = ruleFor(name, value, browser);
    if (why) out.push({ kind: 'header', name: name.toLowerCase(), value, ...why });
    else {
      safelisted.push([name, value]);
      total += byteLength(value);
    }
  }
  if (total > 1024 && browser === 'chrome') {
    for (const [name, value] of safelisted) {
      out.push({
        kind: 'header',
        name: name.toLowerCase(),
        value,
        rule: 'total-too-long',
        message: `Safelisted header values add up to ${total} bytes; above 1024 bytes they all need a preflight.`,
      });
    }
  }
  return out;
}

/** Explains headers the browser listed in Access-Control-Request-Headers, using their values when visible. */
export function explainListedHeaders(
  names: readonly string[],
  headers: HeaderList | null,
  method: string,
  browser: BrowserName,
): PreflightTrigger[] {
  const computed = headers ? preflightTriggers(method, headers, browser) : [];
  const out: PreflightTrigger[] = [];
  if (!isSafelistedMethod(method)) {
    out.push({ kind: 'method', name: method, value: null, rule: 'method', message: `${method} is not GET, HEAD or POST.` });
  }
  for (const name of names) {
    const known = computed.find((t) => t.kind === 'header' && t.name === name);
    if (known) out.push(known);
    else {
      const visible = headers?.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
      const why = visible !== null ? headerRule(name, visible) : null;
      out.push({
        kind: 'header',
        name,
        value: visible,
        rule: why?.rule ?? 'listed-by-browser',
        message:
          why?.message ??
          (['accept', 'accept-language', 'content-language', 'content-type', 'range'].includes(name)
            ? `The browser listed ${name} in Access-Control-Request-Headers: its value is not safelisted (the value was not visible).`
            : `${name} is not one of the CORS-safelisted request headers.`),
      });
    }
  }
  return out;
}
