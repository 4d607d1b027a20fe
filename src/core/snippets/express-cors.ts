// Express with the `cors` package: its options on the one route, and on an OPTIONS route for the preflight.
import { corsPackageOptions, expressPath, expressRoute, handlerPlaceholder, unknownMethodNote } from './common.ts';
import type { SnippetGenerator } from './types.ts';

export const expressCors: SnippetGenerator = (p) => {
  const path = expressPath(p.path);
  const code = [
    "import cors from 'cors';",
    '',
    `const corsOptions = {`,
    ...corsPackageOptions(p, '  '),
    '};',
    ...(p.preflight ? ['', '// Answers the preflight (OPTIONS) with 204 before any other middleware of this route.', `app.options(${path}, cors(corsOptions));`] : []),
    '',
    `app.${expressRoute(p)}(${path}, cors(corsOptions), (req, res) => {`,
    handlerPlaceholder(p, '  '),
    '});',
  ].join('\n');
  return {
    server: 'express-cors',
    label: 'Express (cors package)',
    language: 'js',
    where: 'the module where your Express app defines this route (cors 2.x, Express 4 or 5)',
    code,
    notes: [
      ...(p.preflight ? ['Register app.options before any authentication middleware: preflights never carry cookies or Authorization.'] : []),
      'cors sets Vary: Origin itself. Never use origin: true or "*" here: it would allow every site.',
      ...unknownMethodNote(p, 'Node'),
    ],
  };
};
