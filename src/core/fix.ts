// The least-privilege headers that make exactly this request pass: echo one origin, only the needed method and headers.
import type { Evaluation } from './evaluate.ts';
import { isSafelistedMethod } from './safelist.ts';
import type { CredentialsMode, HeaderList, ObservedExchange } from './types.ts';

export interface Fix {
  /** URL of the hop whose server must change. */
  url: string;
  /** Headers the OPTIONS response must carry (empty when no preflight is involved). */
  preflight: HeaderList;
  /** Headers the actual response must carry. */
  response: HeaderList;
  notes: string[];
}

export function buildFix(ex: ObservedExchange, ev: Evaluation<string>, creds: CredentialsMode): Fix | null {
  const at = ev.failure?.hop ?? ev.corsFrom;
  if (at === null || at === undefined) return null;
  const hop = ex.hops[at];
  if (!hop) return null;
  const origin = ev.originPerHop[at] ?? ex.origin ?? 'null';
  const notes: string[] = [];

  const response: Array<[string, string]> = [['Access-Control-Allow-Origin', origin]];
  if (creds === 'include') response.push(['Access-Control-Allow-Credentials', 'true']);
  response.push(['Vary', 'Origin']);

  const plan = ev.preflights.find((p) => p.hop === at);
  const preflight: Array<[string, string]> = [];
  if (plan) {
    preflight.push(...response.filter(([n]) => n !== 'Vary'));
    if (!isSafelistedMethod(plan.method)) preflight.push(['Access-Control-Allow-Methods', plan.method]);
    if (plan.headerNames.length > 0) preflight.push(['Access-Control-Allow-Headers', plan.headerNames.join(', ')]);
    preflight.push(['Vary', 'Origin']);
    const status = hop.preflight?.response?.status;
    if (status !== undefined && (status < 200 || status > 299)) {
      notes.push(`Answer OPTIONS ${hop.url} with 204 No Content (it answered ${status}), before any authentication or routing that rejects it: preflights never carry credentials.`);
    }
    if (plan.method !== plan.method.toUpperCase() && !isSafelistedMethod(plan.method.toUpperCase())) {
      notes.push(`The page sends the method as "${plan.method}": Access-Control-Allow-Methods compares it byte for byte, so list it exactly like that (or make the page send "${plan.method.toUpperCase()}").`);
    }
  }
  if (origin === 'null') {
    notes.push('A redirect through a third origin made the request\'s Origin "null". Rather than trusting "null" (any sandboxed page can send it), avoid the cross-origin redirect or call the final URL directly.');
  }
  if (ev.failure?.stage === 'redirect') {
    notes.push('Remove the user name and password from the redirect\'s Location URL.');
  }
  if (creds === 'include') {
    notes.push('With credentials, "*" is never accepted: echo the one origin you trust, and only for origins on an allow-list.');
  }
  return { url: hop.url, preflight, response, notes };
}
