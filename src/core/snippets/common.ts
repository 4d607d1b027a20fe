// What every snippet generator shares: the headers a policy sends, the handler placeholder, quoting for JS.
import type { CorsPolicy } from './types.ts';

export type HeaderLine = readonly [name: string, value: string];

/** Headers of the actual response: the one origin, credentials only when needed, Vary: Origin. */
export function responseHeaderLines(p: CorsPolicy): HeaderLine[] {
  const lines: HeaderLine[] = [['Access-Control-Allow-Origin', p.origin]];
  if (p.credentials) lines.push(['Access-Control-Allow-Credentials', 'true']);
  lines.push(['Vary', 'Origin']);
  return lines;
}

/** Headers of the preflight response: the above plus only the methods and header names the request needs. */
export function preflightHeaderLines(p: CorsPolicy): HeaderLine[] {
  const lines: HeaderLine[] = [['Access-Control-Allow-Origin', p.origin]];
  if (p.credentials) lines.push(['Access-Control-Allow-Credentials', 'true']);
  if (p.allowMethods.length > 0) lines.push(['Access-Control-Allow-Methods', p.allowMethods.join(', ')]);
  if (p.allowHeaders.length > 0) lines.push(['Access-Control-Allow-Headers', p.allowHeaders.join(', ')]);
  lines.push(['Vary', 'Origin']);
  return lines;
}

/** The marker of the one line a user replaces with their own handler (and the live proof with a test handler):
 *  every generator writes it on exactly one line, and nothing else in a snippet contains it. */
export const PLACEHOLDER_MARK = '…';

/** Text of the placeholder line after the language's comment sign. Control characters are dropped, so a value
 *  can never end the comment. */
export function placeholder(what: string): string {
  return `${PLACEHOLDER_MARK} ${what.replace(/[\u0000-\u001f\u007f\u2028\u2029…]/g, '')} ${PLACEHOLDER_MARK}`;
}

/** The placeholder line of a route's handler body, after a `//` comment sign (JavaScript and C#). */
export function handlerPlaceholder(p: CorsPolicy, indent: string): string {
  return `${indent}// ${placeholder(`your existing handler for ${p.method} ${p.path}`)}`;
}

/** A UTF-16 code unit as a `\uXXXX` escape, which JavaScript, Java and C# all read. */
const uEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A JavaScript string literal: JSON's escaping handles quotes, backslashes and control characters; everything
 *  outside ASCII is escaped too, so no value can end a line or look like the placeholder mark. */
export function jsString(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, uEscape);
}

/** A Java or C# string literal: everything outside printable ASCII as a \u escape, so no value ends the literal.
 *  Java turns \u escapes into characters before it reads the literal, so CR and LF get \r and \n (a \u000a would
 *  end the line inside the string). */
export function javaString(value: string): string {
  const escape = (c: string): string => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : uEscape(c));
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, escape)}"`;
}

function jsStringArray(values: readonly string[]): string {
  return `[${values.map(jsString).join(', ')}]`;
}

/** The options `cors` (Express) and `@fastify/cors` share, one per line: the one origin, and the methods and request
 *  headers set explicitly (both packages default to more methods and to echoing whatever headers a preflight asks
 *  for), credentials only when needed. */
export function corsPackageOptions(p: CorsPolicy, indent: string): string[] {
  return [
    `${indent}origin: ${jsString(p.origin)},`,
    `${indent}methods: ${jsStringArray(p.allowMethods)},`,
    `${indent}allowedHeaders: ${jsStringArray(p.allowHeaders)},`,
    ...(p.credentials ? [`${indent}credentials: true,`] : []),
  ];
}

/** Node's HTTP parser (llhttp) and nginx answer 400 to a method they do not know, lower-case ones included, before
 *  any configuration runs: a note for the servers that do so. */
export function unknownMethodNote(p: CorsPolicy, server: string): string[] {
  if (p.method === p.method.toUpperCase()) return [];
  return [
    `${server} answers 400 Bad Request to the lower-case method "${p.method}" before this configuration runs: make the page send "${p.method.toUpperCase()}".`,
  ];
}

/** Express 5 (path-to-regexp 8) reads `:` `*` `?` `+` `!` `(` `)` `[` `]` `{` `}` in a route path as syntax, and
 *  Express 4 (path-to-regexp 0.1) splices the path into a regex, where `|` `^` `$` are syntax too (`/a|b` would
 *  match every path starting with "/a"): escaped with a backslash, each matches literally in both. */
export function expressPath(path: string): string {
  return jsString(path.replace(/[{}()[\]+?!:*|^$\\]/g, '\\$&'));
}

/** Express's route method for the policy's method: `app.put`…, or `app.all` for a method Express has no
 *  function for (Node refuses most of those before Express sees them anyway). */
const EXPRESS_METHODS = new Set(['get', 'head', 'post', 'put', 'delete', 'patch', 'purge', 'search', 'query']);
export function expressRoute(p: CorsPolicy): string {
  const m = p.method.toLowerCase();
  return EXPRESS_METHODS.has(m) ? m : 'all';
}
