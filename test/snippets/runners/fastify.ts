// Fastify 5 with @fastify/cors 11, running the generated snippet.
import { nodeRunner } from './node-app.ts';

export const fastifyRunner = nodeRunner(
  'fastify',
  ['fastify', '@fastify/cors'],
  ["import Fastify from 'fastify';", 'const app = Fastify();'],
  ['return { ok: true };'],
  ["await app.listen({ port: PORT, host: '127.0.0.1' });"],
);
