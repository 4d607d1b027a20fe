// How a request ended, read from the webRequest error string each browser uses (browser-facts.md §7).
import type { ObservedExchange } from './types.ts';

export type EndClass = 'completed' | 'cors-failure' | 'lna-blocked' | 'network-error' | 'pending';

/** Chromium reports every CORS failure as net::ERR_FAILED and Firefox as NS_ERROR_DOM_BAD_URI; any other error
 *  string is a failure below CORS (refused, DNS, reset, aborted, blocked by another extension). */
function isCorsFailureString(error: string): boolean {
  return error === 'net::ERR_FAILED' || error === 'NS_ERROR_DOM_BAD_URI';
}

/** Local Network Access refusals (measured: Chromium 156 for a simple request, Firefox 153 for both the OPTIONS
 *  and the request). Chromium ends a refused *preflighted* request in plain net::ERR_FAILED instead. */
function isLnaString(error: string): boolean {
  return error === 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' || error === 'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED';
}

export function classifyEnd(ex: ObservedExchange): EndClass {
  if ((ex.end.state === 'error' && isLnaString(ex.end.error)) || ex.hops.some((h) => h.preflight?.error && isLnaString(h.preflight.error))) {
    return 'lna-blocked';
  }
  for (const hop of ex.hops) {
    const err = hop.preflight?.error;
    if (err && !isCorsFailureString(err)) return 'network-error';
  }
  if (ex.end.state === 'pending') return 'pending';
  if (ex.end.state === 'completed') return 'completed';
  if (isCorsFailureString(ex.end.error)) return 'cors-failure';
  // An error right after onBeforeRedirect, before the target was requested, is the browser refusing to follow
  // the redirect: Firefox then reports NS_ERROR_UNEXPECTED or NS_ERROR_NET_ON_RECEIVING_FROM, Chromium
  // net::ERR_ABORTED for a user:pass target (browser-facts.md §10b).
  if (ex.hops[ex.hops.length - 1]?.redirectTo) return 'cors-failure';
  return 'network-error';
}
