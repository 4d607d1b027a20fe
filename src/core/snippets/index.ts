// The snippet registry: one generator per server, in the picker's order, and which of them a live test proves.
import { apache } from './apache.ts';
import { aspnet } from './aspnet.ts';
import { caddy } from './caddy.ts';
import { django } from './django.ts';
import { expressCors } from './express-cors.ts';
import { express } from './express.ts';
import { fastify } from './fastify.ts';
import { flask } from './flask.ts';
import { go } from './go.ts';
import { nginx } from './nginx.ts';
import { spring } from './spring.ts';
import type { CorsPolicy, ServerId, Snippet, SnippetGenerator } from './types.ts';

export type { CorsPolicy, ServerId, Snippet } from './types.ts';
export { policyFromDiagnosis } from './policy.ts';

export const GENERATORS: Readonly<Record<ServerId, SnippetGenerator>> = {
  'express-cors': expressCors,
  express,
  fastify,
  nginx,
  apache,
  caddy,
  django,
  flask,
  go,
  spring,
  aspnet,
};

export const SERVER_IDS = Object.keys(GENERATORS) as ServerId[];

/** Servers whose snippets test/snippets/proof.test.ts starts for real and replays the request through in Chromium
 *  (it fails when this set and its runners differ). */
export const PROVEN_SERVERS: ReadonlySet<ServerId> = new Set<ServerId>([
  'express-cors',
  'express',
  'fastify',
  'nginx',
  'apache',
  'caddy',
  'django',
  'flask',
  'go',
]);

/** Why the others are not run here, for the panel's marker. */
export const NOT_PROVEN_WHY: Partial<Record<ServerId, string>> = {
  spring: 'no Maven repository is reachable from the test machine, so no Spring application can be built.',
  aspnet: 'no .NET SDK is installed on the test machine.',
};

export function snippetsFor(policy: CorsPolicy): Snippet[] {
  return SERVER_IDS.map((id) => ({ ...GENERATORS[id](policy), proven: PROVEN_SERVERS.has(id) }));
}
