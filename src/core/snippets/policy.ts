// The least-privilege CORS policy of one endpoint, read off the engine's fix for a blocked exchange.
import type { Diagnosis } from '../diagnose.ts';
import { headerValue } from '../headers.ts';
import { pathOf } from '../origin.ts';
import { splitList } from '../tokens.ts';
import type { ObservedExchange } from '../types.ts';
import type { CorsPolicy } from './types.ts';

/** The policy a server must apply so that exactly this request passes, or null when the fix is not about the
 *  endpoint's CORS headers (a user:pass redirect, an origin tainted to "null", a Local Network Access refusal):
 *  the fix's notes explain those. When the credentials mode could not be seen (`fix.ifCredentialed` non-empty) the
 *  policy allows none, like the diagnosis assumes; the panel says so and lets the user ask for credentials. */
export function policyFromDiagnosis(ex: ObservedExchange, d: Diagnosis): CorsPolicy | null {
  const fix = d.fix;
  if (!fix) return null;
  const failing = d.checks.find((c) => !c.ok);
  if (failing && (failing.stage === 'redirect' || failing.stage === 'request')) return null;
  const origin = headerValue(fix.response, 'access-control-allow-origin');
  const preflightOrigin = headerValue(fix.preflight, 'access-control-allow-origin');
  if (origin === null || origin === 'null' || (preflightOrigin !== null && preflightOrigin !== origin)) return null;
  const hopIndex = failing?.hop ?? ex.hops.findIndex((h) => h.url === fix.url);
  const plan = d.preflights.find((p) => p.hop === hopIndex);
  const method = plan?.method ?? ex.hops[hopIndex]?.method ?? 'GET';
  return {
    origin,
    url: fix.url,
    path: pathOf(fix.url),
    method,
    preflight: fix.preflight.length > 0,
    allowMethods: splitList(headerValue(fix.preflight, 'access-control-allow-methods') ?? ''),
    allowHeaders: splitList(headerValue(fix.preflight, 'access-control-allow-headers') ?? '').map((h) => h.toLowerCase()),
    credentials: headerValue(fix.response, 'access-control-allow-credentials') === 'true',
  };
}
