// The least-privilege headers that make exactly this request pass: echo one origin, only the needed method and headers.
import type { Chain, Decision, HopPreflight } from './evaluate.ts';
import { isSafelistedMethod } from './safelist.ts';
import type { CredentialsMode, HeaderList } from './types.ts';

export interface Fix {
  /** URL of the hop whose server must change. */
  url: string;
  /** Headers the OPTIONS response must carry (empty when no preflight is involved). */
  preflight: HeaderList;
  /** Headers the actual response must carry. */
  response: HeaderList;
  /** Extra headers for both responses when the credentials mode is unknown and the page may send credentials. */
  ifCredentialed: HeaderList;
  notes: string[];
}

export function buildFix(
  chain: Chain,
  failure: Decision<string>['failure'],
  creds: CredentialsMode,
  credsKnown: boolean,
  preflights: readonly HopPreflight[],
): Fix | null {
  const step = chain.steps.find((s) => s.index === failure?.hop) ?? chain.steps[0];
  if (!step) return null;
  const { hop, origin, preflightOrigin } = step;
  const plan = preflights.find((p) => p.hop === step.index);
  const notes: string[] = [];

  const response: Array<[string, string]> = [['Access-Control-Allow-Origin', origin]];
  if (creds === 'include') response.push(['Access-Control-Allow-Credentials', 'true']);
  response.push(['Vary', 'Origin']);

  const preflight: Array<[string, string]> = [];
  if (plan) {
    preflight.push(['Access-Control-Allow-Origin', preflightOrigin]);
    if (creds === 'include') preflight.push(['Access-Control-Allow-Credentials', 'true']);
    if (preflightOrigin !== origin) {
      notes.push(`After the redirect the browser sent Origin ${preflightOrigin} with the preflight and ${origin} with the request (Chrome sends "null" with both): answer each with the Origin it carries.`);
    }
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
  if (failure?.stage === 'redirect') {
    notes.push('Remove the user name and password from the redirect\'s Location URL.');
  }
  if (creds === 'include') {
    notes.push('With credentials, "*" is never accepted: echo the one origin you trust, and only for origins on an allow-list.');
  }
  const ifCredentialed: HeaderList = !credsKnown && creds === 'omit' ? [['Access-Control-Allow-Credentials', 'true']] : [];
  if (ifCredentialed.length > 0) {
    notes.push('The credentials mode could not be seen: if the page sends cookies or HTTP auth (credentials: "include", withCredentials), both responses also need Access-Control-Allow-Credentials: true.');
  }
  return { url: hop.url, preflight, response, ifCredentialed, notes };
}
