// Apache httpd 2.4: mod_headers lines for one exact path, only for the one origin, and a mod_rewrite rule that
// answers the preflight with 204 before the application sees it.
import { apacheExprString, apacheHeaderValue, decodedPath, regexLiteral } from './literals.ts';
import type { SnippetGenerator } from './types.ts';

export const apache: SnippetGenerator = (p) => {
  // The regex and the ap_expr strings hold no quote and no backslash before a quote or backslash (see literals.ts),
  // so the config reader takes them between double quotes as they are.
  const pathRegex = `"^${regexLiteral(decodedPath(p.path), 'pcre-bytes')}$"`;
  const fromOrigin = `%{req:Origin} == ${apacheExprString(p.origin)}`;
  const set = (name: string, value: string): string => `        Header always set ${name} ${apacheHeaderValue(value)}`;
  const code = [
    '# Inside the <VirtualHost> that serves this path.',
    `<LocationMatch ${pathRegex}>`,
    `    <If "${fromOrigin}">`,
    set('Access-Control-Allow-Origin', p.origin),
    ...(p.credentials ? [set('Access-Control-Allow-Credentials', 'true')] : []),
    '    </If>',
    ...(p.preflight
      ? [
          `    <If "${fromOrigin} && %{REQUEST_METHOD} == 'OPTIONS'">`,
          ...(p.allowMethods.length > 0 ? [set('Access-Control-Allow-Methods', p.allowMethods.join(', '))] : []),
          ...(p.allowHeaders.length > 0 ? [set('Access-Control-Allow-Headers', p.allowHeaders.join(', '))] : []),
          '    </If>',
        ]
      : []),
    '    Header always merge Vary Origin',
    '</LocationMatch>',
    ...(p.preflight
      ? [
          '# The preflight carries no cookies or credentials: answer it here, before the application (or its login) sees it.',
          'RewriteEngine On',
          'RewriteCond %{REQUEST_METHOD} =OPTIONS',
          `RewriteRule ${pathRegex} - [R=204,L]`,
        ]
      : []),
  ].join('\n');
  return {
    server: 'apache',
    label: 'Apache httpd 2.4',
    language: 'apache',
    where: 'the <VirtualHost> of this site (not .htaccess)',
    code,
    notes: [
      p.preflight
        ? 'Needs mod_headers and mod_rewrite: `a2enmod headers rewrite`, then reload Apache.'
        : 'Needs mod_headers: `a2enmod headers`, then reload Apache.',
      '`Header always` keeps the headers on error responses (4xx, 5xx) too: without it the browser reports a CORS error instead of your status.',
      'If the application behind Apache sets Access-Control-* headers itself, remove them there: two Access-Control-Allow-Origin values fail the check.',
    ],
  };
};
