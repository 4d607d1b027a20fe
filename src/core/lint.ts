// Passive security findings: responses that allow more than they should, on allowed and blocked exchanges alike.
// Each finding states only what the captured headers show; what needs a foreign Origin to tell is worded as such.
import { addressSpaceOf, addressSpaceOfIp, isPotentiallyTrustworthy, type AddressSpace } from './address-space.ts';
import type { ChainStep } from './evaluate.ts';
import { headerValue } from './headers.ts';
import type { Judgement } from './judge.ts';
import { hostnameOf, pathOf } from './origin.ts';
import { effectiveMaxAge, MAX_AGE_LIMITS, type MaxAge } from './preflight-cache.ts';
import { splitList } from './tokens.ts';
import type { ObservedResponse } from './types.ts';

export type FindingId =
  | 'origin-reflected-with-credentials'
  | 'null-origin-trusted'
  | 'wildcard-with-credentials'
  | 'missing-vary-origin'
  | 'wildcard-private-network'
  | 'wildcard-allow-with-credentials'
  | 'request-headers-echoed-with-credentials'
  | 'long-max-age'
  | 'https-trusts-http'
  | 'authorization-under-wildcard';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  id: FindingId;
  severity: Severity;
  /** A few words naming what the server does. */
  title: string;
  /** One line: why it matters, with the values that were observed. */
  why: string;
}

/** What lint needs from a judgement: the planned chain (the Origin each hop really sent) and the credentials mode. */
export type LintInput = Pick<Judgement, 'mode' | 'chain' | 'creds'>;

/** Server-chosen values go into the one-line `why`: keep them short there (the headers table shows them whole). */
export function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 79)}…` : value;
}

function isCredentialed(response: ObservedResponse): boolean {
  return headerValue(response.headers, 'access-control-allow-credentials') === 'true';
}

/** Private names by convention: single labels and the reserved or customary internal suffixes. */
function looksInternal(hostname: string): boolean {
  return !hostname.includes('.') || /\.(local|internal|lan|intranet|corp|home\.arpa)$/i.test(hostname);
}

function spaceName(space: AddressSpace): string {
  return space === 'loopback' ? 'this machine (loopback)' : 'a private network';
}

function isPrivate(space: AddressSpace): boolean {
  return space === 'loopback' || space === 'local';
}

/** A `*` answer from a loopback or private host: certain from the URL, or from webRequest's `ip` for an internal name;
 *  an `ip` behind a public-looking name may be a proxy's, so that case is only a hint. */
function privateWildcard(step: ChainStep, url: string): Finding | null {
  const space = addressSpaceOf(url);
  const host = clip(hostnameOf(url) ?? url);
  if (isPrivate(space)) {
    return {
      id: 'wildcard-private-network',
      severity: 'warning',
      title: 'Access-Control-Allow-Origin: * on a private-network host',
      why: `${host} is on ${spaceName(space)}: with *, any website the user visits can read it from their browser, past the firewall (only a Local Network Access prompt stands in the way).`,
    };
  }
  const ip = step.hop.ip;
  const ipSpace = ip === undefined ? 'unknown' : addressSpaceOfIp(ip);
  if (ip === undefined || !isPrivate(ipSpace) || space !== 'unknown') return null;
  const internal = looksInternal(hostnameOf(url) ?? '');
  return {
    id: 'wildcard-private-network',
    severity: internal ? 'warning' : 'info',
    title: 'Access-Control-Allow-Origin: * on a private-network host',
    why: internal
      ? `${host} answered from ${clip(ip)}, on ${spaceName(ipSpace)}: with *, any website the user visits can read it past the firewall.`
      : `The browser reached ${host} at ${clip(ip)}, on ${spaceName(ipSpace)}: unless that is a proxy, any website the user visits can read this API past the firewall.`,
  };
}

/** A kept Max-Age in words: the caps as hours, anything else in seconds. */
function keptFor(m: MaxAge): string {
  if (m.seconds === 0) return 'not at all';
  return m.seconds % 3600 === 0 && m.seconds >= 7200 ? `${m.seconds / 3600} h` : `${m.seconds.toLocaleString('en-US')} s`;
}

/** Max-Age beyond Chrome's cap as either browser reads it (preflight-cache.ts: a value too long for Chrome's integer
 *  still makes Firefox keep the preflight its full 24 h). */
function maxAgeFinding(response: ObservedResponse): Finding | null {
  const chrome = effectiveMaxAge(response.headers, 'chrome');
  const firefox = effectiveMaxAge(response.headers, 'firefox');
  const cap = MAX_AGE_LIMITS.chrome.capSeconds;
  if (chrome.source !== 'capped' && firefox.seconds <= cap) return null;
  const raw = (chrome.raw ?? '').trim();
  const shown = /^\d{1,15}$/.test(raw) ? `${Number(raw).toLocaleString('en-US')} s` : `"${clip(raw)}"`;
  return {
    id: 'long-max-age',
    severity: 'info',
    title: `Access-Control-Max-Age ${shown}`,
    why: `Browsers cache this preflight's permission (Chrome keeps it ${keptFor(chrome)}, Firefox ${keptFor(firefox)}): a tightened CORS policy reaches users only that much later.`,
  };
}

/** Findings on one response that a CORS check read, checked against the Origin the browser sent with it. */
function responseFindings(response: ObservedResponse, step: ChainStep, url: string, origin: string, preflight: boolean): Finding[] {
  const out: Finding[] = [];
  const acao = headerValue(response.headers, 'access-control-allow-origin');
  if (acao === null) return out;
  if (acao === '*') {
    const wildcard = privateWildcard(step, url);
    if (wildcard) out.push(wildcard);
  }
  const credentialed = isCredentialed(response);
  if (acao === '*' && credentialed) {
    out.push({
      id: 'wildcard-with-credentials',
      severity: 'warning',
      title: 'Access-Control-Allow-Origin: * with Allow-Credentials: true',
      why: 'Browsers refuse this pair for credentialed requests; it says the server would let any site read users\' data if it could (often "fixed" next by reflecting every Origin).',
    });
  }
  if (acao === 'null') {
    out.push({
      id: 'null-origin-trusted',
      severity: credentialed ? 'error' : 'warning',
      title: credentialed ? 'Origin "null" trusted, with credentials' : 'Origin "null" trusted',
      why: credentialed
        ? 'Any site can send Origin: null (a sandboxed iframe, a data: URL, a redirect), so any site can read this API as the user.'
        : 'Any site can send Origin: null (a sandboxed iframe, a data: URL, a redirect), so any site can read these responses.',
    });
  }
  if (acao === origin && origin !== 'null' && credentialed) {
    out.push({
      id: 'origin-reflected-with-credentials',
      // Passively an allow-list and a reflection look the same: a question for the foreign-origin check, not a fault.
      severity: 'info',
      title: 'Requesting origin allowed with credentials',
      why: `The server grants ${clip(origin)} access to users' data: right for an allow-list, but if it echoes every Origin any site can read this API as the user (check with a foreign origin).`,
    });
  }
  if (!preflight && acao === origin && origin !== 'null') {
    const vary = splitList(headerValue(response.headers, 'vary') ?? '').map((v) => v.toLowerCase());
    const cacheControl = splitList(headerValue(response.headers, 'cache-control') ?? '').map((v) => v.toLowerCase());
    if (!vary.includes('origin') && !vary.includes('*') && !cacheControl.includes('no-store')) {
      out.push({
        id: 'missing-vary-origin',
        severity: 'warning',
        title: 'Allowed origin without "Vary: Origin"',
        why: `${clip(pathOf(url))} names the requesting origin but not "Vary: Origin": if the value depends on the Origin, a cache can serve one site's answer to another (cache poisoning).`,
      });
    }
  }
  if (/^https:/i.test(url) && /^http:/i.test(acao) && !isPotentiallyTrustworthy(acao)) {
    out.push({
      id: 'https-trusts-http',
      severity: credentialed ? 'error' : 'warning',
      title: 'HTTPS API trusts an HTTP origin',
      why: `${clip(acao)} is plain HTTP: anyone on that page's network path can inject script there and read this API${credentialed ? ' as the user' : ''}.`,
    });
  }
  return out;
}

/** Findings only a preflight answer carries: its allow lists and its Max-Age. */
function preflightFindings(response: ObservedResponse, step: ChainStep, creds: LintInput['creds']): Finding[] {
  const out: Finding[] = [];
  const credentialed = isCredentialed(response);
  const methods = headerValue(response.headers, 'access-control-allow-methods');
  const headers = headerValue(response.headers, 'access-control-allow-headers');
  const methodItems = splitList(methods ?? '');
  const headerItems = splitList(headers ?? '').map((h) => h.toLowerCase());
  if (credentialed && (methodItems.includes('*') || headerItems.includes('*'))) {
    const which = methodItems.includes('*') ? (headerItems.includes('*') ? 'Allow-Methods and Allow-Headers' : 'Allow-Methods') : 'Allow-Headers';
    out.push({
      id: 'wildcard-allow-with-credentials',
      severity: 'info',
      title: `Access-Control-${which}: * with credentials`,
      why: 'With credentials "*" is a literal name, not a wildcard: it allows nothing more, but shows the server means to let credentialed callers use any method or header.',
    });
  }
  const asked = headerValue(step.hop.preflight?.requestHeaders ?? null, 'access-control-request-headers');
  // Byte-for-byte the browser's own list (lowercase, sorted, no spaces) with two names or more: a hand-written
  // list hardly ever looks like that, an echo always does.
  if (credentialed && asked !== null && headers !== null && headers.trim() === asked.trim() && splitList(asked).length >= 2) {
    out.push({
      id: 'request-headers-echoed-with-credentials',
      severity: 'info',
      title: 'Allow-Headers repeats the request verbatim, with credentials',
      why: `The preflight allowed exactly "${clip(asked)}", as asked: a server that echoes Access-Control-Request-Headers lets an allowed origin send any header as the user.`,
    });
  }
  const askedNames = splitList(asked ?? '').map((h) => h.toLowerCase());
  if (creds === 'omit' && headerItems.includes('*') && !headerItems.includes('authorization') && askedNames.includes('authorization')) {
    out.push({
      id: 'authorization-under-wildcard',
      severity: 'warning',
      title: 'Authorization allowed only through "Access-Control-Allow-Headers: *"',
      why: 'The Fetch standard requires Authorization to be listed by name; Chrome and Firefox still accept it (Firefox warns), but list it before they stop.',
    });
  }
  const maxAge = maxAgeFinding(response);
  if (maxAge) out.push(maxAge);
  return out;
}

/** Every finding, once per id (the first hop that shows it speaks for the exchange); none outside CORS mode. */
export function lint(j: LintInput): Finding[] {
  if (j.mode !== 'cors') return [];
  const findings = new Map<FindingId, Finding>();
  const add = (list: readonly Finding[]): void => {
    for (const f of list) if (!findings.has(f.id)) findings.set(f.id, f);
  };
  for (const step of j.chain.steps) {
    if (!step.cors) continue;
    const { hop } = step;
    const pre = hop.preflight;
    if (pre?.response) {
      add(responseFindings(pre.response, step, pre.url, step.preflightOrigin, true));
      add(preflightFindings(pre.response, step, j.creds));
    }
    if (hop.response) add(responseFindings(hop.response, step, hop.url, step.origin, false));
  }
  return [...findings.values()];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The worst severity among findings, for the list's marker; null when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}
