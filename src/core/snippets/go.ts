// Go net/http with github.com/rs/cors: a wrapper for the one handler that serves the path, allowing only the one
// origin and the methods and request headers the request needs.
import { goString } from './literals.ts';
import type { SnippetGenerator } from './types.ts';

const goStrings = (values: readonly string[]): string => `[]string{${values.map(goString).join(', ')}}`;

/** One field of cors.Options, aligned the way gofmt aligns them. */
const field = (name: string, value: string): string => `\t\t${`${name}:`.padEnd(18)}${value},`;

export const go: SnippetGenerator = (p) => {
  // rs/cors refuses an actual request whose method is not listed, so the request's own method is listed even when it
  // is CORS-safelisted. It compares methods upper-cased.
  const methods = [...new Map([...p.allowMethods, p.method].map((m) => [m.toUpperCase(), m])).values()];
  const code = [
    '// cors.go, next to your main.go (go get github.com/rs/cors). Wrap only the handler of this path:',
    '//',
    `//\tmux.Handle(${goString(p.path)}, withCORS(yourHandler))`,
    'package main',
    '',
    'import (',
    '\t"net/http"',
    '',
    '\t"github.com/rs/cors"',
    ')',
    '',
    'func withCORS(next http.Handler) http.Handler {',
    ...(p.allowHeaders.length > 0
      ? []
      : ['\t// AllowedHeaders is not left empty: rs/cors would allow Accept, Content-Type and X-Requested-With. Pages cannot send Origin.']),
    '\treturn cors.New(cors.Options{',
    field('AllowedOrigins', goStrings([p.origin])),
    field('AllowedMethods', goStrings(methods)),
    field('AllowedHeaders', p.allowHeaders.length > 0 ? goStrings(p.allowHeaders) : '[]string{"Origin"}'),
    field('AllowCredentials', String(p.credentials)),
    '\t}).Handler(next)',
    '}',
  ].join('\n');
  return {
    server: 'go',
    label: 'Go (rs/cors)',
    language: 'go',
    where: 'a new cors.go in your main package',
    code,
    notes: [
      'rs/cors answers the preflight itself (200 in v1.7, 204 in later releases) and does not pass it to your handler unless OptionsPassthrough is set.',
      'rs/cors adds Vary: Origin itself.',
      ...(p.path.endsWith('/')
        ? [`In a ServeMux a pattern ending in "/" matches every path below it too: have the handler answer 404 unless r.URL.Path is exactly ${goString(p.path)} (or, from Go 1.22, register ${goString(`${p.path}{$}`)}), or those paths get CORS too.`]
        : []),
      ...p.allowHeaders
        .filter((h) => /[^A-Za-z0-9_-]/.test(h))
        .map((h) => `rs/cors 1.7 drops every character but letters, digits, "-" and "_" from the header names a preflight asks for, so it never allows ${goString(h)}: rename the header.`),
      ...(p.method !== p.method.toUpperCase()
        ? [`rs/cors 1.7 (Debian 12) sends the method upper-case in Access-Control-Allow-Methods, and the browser compares "${p.method}" case-sensitively: make the page send "${p.method.toUpperCase()}".`]
        : []),
    ],
  };
};
