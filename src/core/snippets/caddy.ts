// Caddy 2 (Caddyfile): a route for one exact path that adds the headers only for the one origin and answers the
// preflight with 204; every other request falls through to the site's own handler.
import { caddyKeeps, caddyString, decodedPath, regexLiteral } from './literals.ts';
import type { SnippetGenerator } from './types.ts';

export const caddy: SnippetGenerator = (p) => {
  // path_regexp, not path: `path` ignores case and reads `*` as a wildcard. The regex needs no quoting (literals.ts).
  const origin = `header_regexp Origin ^${regexLiteral(p.origin, 're2')}$`;
  const headers = (lines: Array<[string, string]>): string[] => lines.map(([n, v]) => `\t\t${n} ${caddyString(v)}`);
  // The matcher lets only this origin in, so echoing the request's Origin is the same value when Caddy could not
  // keep the literal.
  const originValue = caddyKeeps(p.origin) ? caddyString(p.origin) : '{http.request.header.Origin}';
  const preflightLines: Array<[string, string]> = [
    ...(p.allowMethods.length > 0 ? [['Access-Control-Allow-Methods', p.allowMethods.join(', ')] as [string, string]] : []),
    ...(p.allowHeaders.length > 0 ? [['Access-Control-Allow-Headers', p.allowHeaders.join(', ')] as [string, string]] : []),
  ];
  const code = [
    '# Inside the site block that serves this path. Caddy runs `route` before respond, reverse_proxy and file_server.',
    `@cors_path path_regexp ^${regexLiteral(decodedPath(p.path), 're2')}$`,
    'route @cors_path {',
    `\t@cors_origin ${origin}`,
    '\theader @cors_origin {',
    `\t\tAccess-Control-Allow-Origin ${originValue}`,
    ...(p.credentials ? ['\t\tAccess-Control-Allow-Credentials true'] : []),
    '\t}',
    '\theader +Vary Origin',
    ...(p.preflight
      ? [
          ...(preflightLines.length > 0
            ? ['\t@cors_preflight_allowed {', '\t\tmethod OPTIONS', `\t\t${origin}`, '\t}', '\theader @cors_preflight_allowed {', ...headers(preflightLines), '\t}']
            : []),
          '\t@cors_preflight method OPTIONS',
          '\trespond @cors_preflight 204',
        ]
      : []),
    '}',
  ].join('\n');
  return {
    server: 'caddy',
    label: 'Caddy 2 (Caddyfile)',
    language: 'caddyfile',
    where: 'the site block of your Caddyfile',
    code,
    notes: [
      '`route` runs its lines in the written order, then the request goes on to the site\'s own handler (reverse_proxy, file_server, respond).',
      'Caddy runs `handle` blocks before `route`: if a `handle` block serves this path, put these lines at the top of that block instead.',
      ...(p.preflight ? ['The preflight is answered here with 204: it never reaches the application, which usually has no OPTIONS handler.'] : []),
      'If the application behind Caddy sets Access-Control-* headers itself, remove them there: two Access-Control-Allow-Origin values fail the check.',
    ],
  };
};
