// Fastify with @fastify/cors 11: its options for the one path (a delegator turns it off everywhere else).
import { corsPackageOptions, handlerPlaceholder, jsString, unknownMethodNote } from './common.ts';
import type { SnippetGenerator } from './types.ts';

export const fastify: SnippetGenerator = (p) => {
  const options = [
    ...corsPackageOptions(p, '      '),
    // Without a preflight to answer, the plugin's catch-all OPTIONS route stays a 404 for this path too.
    `      preflight: ${p.preflight},`,
  ];
  const code = [
    "import cors from '@fastify/cors';",
    '',
    `const corsPath = ${jsString(p.path)};`,
    '',
    'await app.register(cors, {',
    '  // Only this path gets CORS headers; every other path answers as if the plugin were not there.',
    '  delegator: (request, callback) => {',
    "    const path = request.url.split('?', 1)[0];",
    '    callback(null, path === corsPath ? {',
    ...options,
    '    } : { origin: false });',
    '  },',
    '});',
    '',
    `app.route({ method: ${jsString(p.method)}, url: corsPath, handler: async (request, reply) => {`,
    handlerPlaceholder(p, '  '),
    '} });',
  ].join('\n');
  return {
    server: 'fastify',
    label: 'Fastify (@fastify/cors)',
    language: 'js',
    where: 'the module where your Fastify app registers plugins and this route (Fastify 5, @fastify/cors 11, an ES module)',
    code,
    notes: [
      ...(p.preflight
        ? ['The plugin answers the preflight in an onRequest hook, before authentication. strictPreflight (on by default) answers 400 to an OPTIONS without Origin or Access-Control-Request-Method: browsers always send both.']
        : []),
      'With a delegator the plugin adds Vary: Origin itself.',
      ...unknownMethodNote(p, 'Node'),
    ],
  };
};
