// Plain Express without a package: a middleware that sets the headers on the one route and answers its preflight.
import { expressPath, expressRoute, handlerPlaceholder, jsString, preflightHeaderLines, responseHeaderLines, unknownMethodNote, type HeaderLine } from './common.ts';
import type { SnippetGenerator } from './types.ts';

const setLines = (lines: HeaderLine[], indent: string): string[] =>
  lines.map(([n, v]) => (n === 'Vary' ? `${indent}res.vary(${jsString(v)});` : `${indent}res.set(${jsString(n)}, ${jsString(v)});`));

export const express: SnippetGenerator = (p) => {
  const path = expressPath(p.path);
  const code = [
    `const corsPath = ${path};`,
    '',
    ...(p.preflight
      ? [
          '// The preflight: answered here with 204, before any authentication (preflights carry no credentials).',
          `app.options(corsPath, (req, res) => {`,
          ...setLines(preflightHeaderLines(p), '  '),
          '  res.sendStatus(204);',
          '});',
          '',
        ]
      : []),
    `app.${expressRoute(p)}(corsPath, (req, res) => {`,
    ...setLines(responseHeaderLines(p), '  '),
    handlerPlaceholder(p, '  '),
    '});',
  ].join('\n');
  return {
    server: 'express',
    label: 'Express (no package)',
    language: 'js',
    where: 'the module where your Express app defines this route (Express 4 or 5)',
    code,
    notes: [
      'Set the headers before anything can send the response: an error thrown earlier goes out without them, and the browser then hides its status.',
      ...unknownMethodNote(p, 'Node'),
    ],
  };
};
