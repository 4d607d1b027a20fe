// Every real server the snippet proof starts: one runner per proven ServerId (PROVEN_SERVERS must equal this set).
import type { SnippetRunner } from './types.ts';
import { expressCorsRunner } from './express-cors.ts';
import { expressRunner } from './express.ts';
import { fastifyRunner } from './fastify.ts';
import { nginxRunner } from './nginx.ts';
import { apacheRunner } from './apache.ts';
import { caddyRunner } from './caddy.ts';
import { djangoRunner } from './django.ts';
import { flaskRunner } from './flask.ts';
import { goRunner } from './go.ts';

export const RUNNERS: readonly SnippetRunner[] = [
  expressCorsRunner,
  expressRunner,
  fastifyRunner,
  nginxRunner,
  apacheRunner,
  caddyRunner,
  djangoRunner,
  flaskRunner,
  goRunner,
];
