// nginx: an exact-match location whose responses, error pages included, carry the headers, with its own preflight branch.
import { placeholder, preflightHeaderLines, responseHeaderLines, unknownMethodNote, type HeaderLine } from './common.ts';
import { decodedPath } from './literals.ts';
import type { SnippetGenerator } from './types.ts';

/** nginx cannot escape "$" in a string (it always starts a variable): a `geo` variable that holds "$" stands in. */
const DOLLAR = 'corsight_dollar';

/** A double-quoted nginx string; in `interpolated` ones (add_header values, not names) "$" goes through the geo variable. */
function quote(value: string, interpolated: boolean): string {
  let s = value.replace(/[\\"]/g, '\\$&');
  if (interpolated) s = s.replaceAll('$', `\${${DOLLAR}}`);
  // nginx strings may span lines; a line break in a header value would split the header, so it is escaped away.
  return `"${s.replace(/[\r\n]/g, (c) => (c === '\r' ? '\\r' : '\\n'))}"`;
}

const addHeaders = (lines: HeaderLine[], indent: string): string[] =>
  lines.map(([n, v]) => `${indent}add_header ${quote(n, false)} ${quote(v, true)} always;`);

export const nginx: SnippetGenerator = (p) => {
  const needsDollar = [...preflightHeaderLines(p), ...responseHeaderLines(p)].some(([, v]) => v.includes('$'));
  const code = [
    ...(needsDollar
      ? [`# In the http block, outside any server block: nginx has no escape for "$" inside a string.`, `geo $${DOLLAR} { default "$"; }`, '']
      : []),
    `location = ${quote(decodedPath(p.path), false)} {`,
    ...(p.preflight
      ? [
          // add_header lines inside `if` replace the location's own, so the preflight branch repeats what it needs.
          '    if ($request_method = OPTIONS) {',
          ...addHeaders(preflightHeaderLines(p), '        '),
          '        return 204;',
          '    }',
        ]
      : []),
    ...addHeaders(responseHeaderLines(p), '    '),
    `    # ${placeholder('your existing proxy_pass / root for this location')}`,
    '}',
  ].join('\n');
  return {
    server: 'nginx',
    label: 'nginx',
    language: 'nginx',
    where: needsDollar ? 'the geo line in the http block, the location in the server block of your nginx.conf' : 'the server block of your nginx.conf',
    code,
    notes: [
      '`always` keeps the headers on error responses (4xx, 5xx) too: without it the browser reports a CORS error instead of your status.',
      'An add_header in this location drops every add_header inherited from the server block: repeat the ones you need here.',
      'If the application behind nginx sets Access-Control-* headers itself, remove them there (or add `proxy_hide_header Access-Control-Allow-Origin;` here): two Access-Control-Allow-Origin values fail the check.',
      ...(p.preflight ? ['If the proxied app answers OPTIONS itself, keep this branch anyway: nginx answers the preflight before proxying.'] : []),
      ...unknownMethodNote(p, 'nginx'),
    ],
  };
};
