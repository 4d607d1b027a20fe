// Passive security findings: responses that allow more than they should, on allowed and blocked exchanges alike.
import { headerValue } from './headers.ts';
import { pathOf } from './origin.ts';
import { splitList } from './tokens.ts';
import type { CredentialsMode, ObservedExchange, ObservedResponse } from './types.ts';

export interface Finding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

function responsesOf(ex: ObservedExchange): Array<{ url: string; response: ObservedResponse; preflight: boolean }> {
  const out: Array<{ url: string; response: ObservedResponse; preflight: boolean }> = [];
  for (const hop of ex.hops) {
    if (hop.preflight?.response) out.push({ url: hop.preflight.url, response: hop.preflight.response, preflight: true });
    if (hop.response) out.push({ url: hop.url, response: hop.response, preflight: false });
  }
  return out;
}

export function lint(ex: ObservedExchange, creds: CredentialsMode): Finding[] {
  const findings = new Map<string, Finding>();
  const add = (f: Finding): void => {
    if (!findings.has(f.id)) findings.set(f.id, f);
  };
  for (const { url, response, preflight } of responsesOf(ex)) {
    const acao = headerValue(response.headers, 'access-control-allow-origin');
    if (acao === null) continue;
    const acac = headerValue(response.headers, 'access-control-allow-credentials') === 'true';
    if (acao === '*' && acac) {
      add({ id: 'wildcard-with-credentials', severity: 'warning', message: 'Access-Control-Allow-Origin "*" with Allow-Credentials "true": browsers refuse this pair, and it suggests the server would allow any site if it could.' });
    }
    if (acao === 'null') {
      add({ id: 'null-origin-trusted', severity: 'error', message: 'The server trusts the origin "null", which any sandboxed iframe, data: URL or redirect can send: a malicious site can read this API.' });
    }
    if (ex.origin && acao === ex.origin && acac) {
      add({ id: 'origin-reflected-with-credentials', severity: 'warning', message: "The server echoes this page's origin with credentials allowed. Make sure it checks an allow-list: reflecting any Origin lets every site read users' data (confirm with a request from a foreign Origin)." });
    }
    if (!preflight && acao !== '*') {
      const vary = splitList(headerValue(response.headers, 'vary') ?? '').map((v) => v.toLowerCase());
      if (!vary.includes('origin') && !vary.includes('*')) {
        add({ id: 'missing-vary-origin', severity: 'warning', message: `${pathOf(url)} answers with a specific Access-Control-Allow-Origin but without "Vary: Origin": a shared cache can serve one origin's answer to another.` });
      }
    }
    if (url.startsWith('https:') && acao.startsWith('http:')) {
      add({ id: 'https-trusts-http', severity: 'warning', message: 'An HTTPS API trusts an HTTP origin: anyone on the network path of that page can use the API as the user.' });
    }
    if (preflight) {
      const allowHeaders = splitList(headerValue(response.headers, 'access-control-allow-headers') ?? '').map((h) => h.toLowerCase());
      const asked = splitList(headerValue(ex.hops.find((h) => h.preflight?.response === response)?.preflight?.requestHeaders ?? null, 'access-control-request-headers') ?? '');
      if (creds === 'omit' && allowHeaders.includes('*') && !allowHeaders.includes('authorization') && asked.includes('authorization')) {
        add({ id: 'authorization-under-wildcard', severity: 'warning', message: 'Authorization is allowed only through "Access-Control-Allow-Headers: *". The Fetch standard requires it to be listed by name; Chrome and Firefox still accept it (Firefox warns), but list it explicitly before they stop.' });
      }
      const maxAge = Number(headerValue(response.headers, 'access-control-max-age') ?? '');
      if (Number.isFinite(maxAge) && maxAge > 86400) {
        add({ id: 'long-max-age', severity: 'info', message: `Access-Control-Max-Age ${maxAge} s: browsers cap it (Chrome 7,200 s, Firefox 86,400 s), so the extra length buys nothing.` });
      }
    }
  }
  return [...findings.values()];
}
