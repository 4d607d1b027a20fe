// Literals for the snippets written in server and Python/Go syntax: a policy value (origin, path, method, header name)
// comes from captured traffic, so it reaches a config or source file only through one of these, never spliced raw.

/** Percent-decoded path, as nginx, Apache, Caddy, Django and Flask match it; the path itself when it does not decode. */
export function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** A C-style string literal that Python and Go read alike: printable ASCII as is, everything else escaped
 *  (\xNN only below 0x80, where Go's byte and Python's code point agree), so no value can end the string or the
 *  line. Go has no lone surrogates: `loneSurrogates: false` writes U+FFFD for them. */
function cString(value: string, quote: '"' | "'", loneSurrogates: boolean): string {
  let out = quote;
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += loneSurrogates ? `\\u${hex(cp, 4)}` : '\\ufffd';
    else out += cp > 0xffff ? `\\U${hex(cp, 8)}` : `\\u${hex(cp, 4)}`;
  }
  return out + quote;
}

export const pythonString = (value: string): string => cString(value, "'", true);
export const goString = (value: string): string => cString(value, '"', false);

/** Characters that mean nothing in PCRE, RE2, Python's re, Apache's and Caddy's config syntax: written as is. */
const PLAIN = /^[A-Za-z0-9/_~:,;=@&-]$/;

/** How a regex dialect writes a character beyond ASCII: PCRE without UTF mode (Apache) matches UTF-8 bytes. */
export type RegexDialect = 'pcre-bytes' | 're2' | 'python';

/** A regex that matches exactly `text` (anchored by the caller). Only letters, digits, a few inert signs, `\.`
 *  and hex escapes (RE2's `\x{…}` the only braces) appear in it: no quote, space, `%`, `$` or non-ASCII character
 *  that some config syntax would read, so it is safe bare in a Caddyfile, between double quotes in Apache and in a
 *  Python raw string. */
export function regexLiteral(text: string, dialect: RegexDialect): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (PLAIN.test(ch)) out += ch;
    else if (ch === '.') out += '\\.';
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (dialect === 'pcre-bytes') out += [...new TextEncoder().encode(ch)].map((b) => `\\x${hex(b, 2)}`).join('');
    else if (dialect === 're2') out += `\\x{${hex(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp, 4)}}`;
    else out += cp > 0xffff ? `\\U${hex(cp, 8)}` : `\\u${hex(cp, 4)}`;
  }
  return out;
}

/** A Python raw-string regex that matches exactly `text`, ended by `\Z`: `$` also matches before a final "\n", which
 *  a percent-encoded path can end with. */
export function pythonExactRegex(text: string): string {
  return `r'^${regexLiteral(text, 'python')}\\Z'`;
}

/** An argument of an Apache directive in double quotes: the config reader turns `\\` and `\"` back. */
export function apacheQuoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** A mod_headers value: `%` starts a format tag and `\` an escape there, and a line break cannot stay raw. */
export function apacheHeaderValue(value: string): string {
  const escapes: Record<string, string> = { '\\': '\\\\', '%': '%%', '\r': '\\r', '\n': '\\n', '\t': '\\t' };
  return apacheQuoted(value.replace(/[\\%\r\n\t]/g, (c) => escapes[c] ?? c));
}

/** A single-quoted ap_expr string (for `<If>`): every byte outside the inert set as an octal escape, so no quote,
 *  `%{`, `$1` or `>` survives, and the config reader leaves a backslash before a digit alone. A digit right after
 *  an escape is escaped too: ap_expr would read it as part of the escape. */
export function apacheExprString(value: string): string {
  let out = '';
  let escaped = false;
  for (const b of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(b);
    escaped = !(b < 0x80 && (PLAIN.test(ch) || ch === '.') && !(escaped && /\d/.test(ch)));
    out += escaped ? `\\${b.toString(8).padStart(3, '0')}` : ch;
  }
  return `'${out}'`;
}

/** Whether caddyString keeps `value` byte for byte. Caddy replaces `{$NAME}` with an environment variable before
 *  it reads the file, escaped or not; and a double-quoted token cannot hold a backslash before a quote. Neither
 *  can happen in an origin or header name (`{`, `"` and `\\` are not token characters). */
export function caddyKeeps(value: string): boolean {
  return !value.includes('{$') && !(/["\\]/.test(value) && value.includes('`'));
}

/** A Caddyfile token for a header value. Caddy replaces `{placeholders}` in header values, so braces are escaped
 *  for its replacer. Inside "…" the lexer only reads `\"`, so a value with a quote or backslash goes between
 *  backticks (raw); one that holds a backtick too loses such a backslash to U+FFFD (see caddyKeeps). */
export function caddyString(value: string): string {
  const v = value.replace(/[{}]/g, '\\$&');
  if (!/["\\]/.test(value)) return `"${v}"`;
  if (!v.includes('`')) return `\`${v}\``;
  return `"${v.replace(/\\(?=\\*")/g, '\uFFFD').replace(/"/g, '\\"')}"`;
}
