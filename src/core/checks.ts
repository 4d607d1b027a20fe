// The individual CORS checks (origin, credentials, status, methods, headers), shared by both browsers' decision orders.
import { headerValue, headerValues } from './headers.ts';
import { isSafelistedMethod } from './safelist.ts';
import { firstInvalidToken, splitList } from './tokens.ts';
import type { CredentialsMode, HeaderList, ObservedResponse } from './types.ts';

/** Where a check or failure sits; `request` is a refusal before anything was sent (Local Network Access). */
export type Stage = 'request' | 'preflight' | 'response' | 'redirect';

/** One row of "what the browser needed" vs "what the server sent". */
export interface Check {
  hop: number;
  stage: Stage;
  url: string;
  header: string;
  required: string;
  received: string | null;
  ok: boolean;
}

export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The network stack treats only these statuses with a Location header as redirects. */
export function isRedirect(response: ObservedResponse): boolean {
  return REDIRECT_STATUSES.has(response.status) && headerValue(response.headers, 'location') !== null;
}


/** Methods named by Access-Control-Allow-Methods; `invalid` is the first entry that is not a token. */
export interface AllowList {
  raw: string | null;
  items: string[];
  /** Items lowercased, for the case-insensitive header-name comparison. */
  lower: string[];
  invalid: string | null;
}

export function parseAllowList(headers: HeaderList, name: 'access-control-allow-methods' | 'access-control-allow-headers'): AllowList {
  const raw = headerValue(headers, name);
  if (raw === null) return { raw, items: [], lower: [], invalid: null };
  const items = splitList(raw);
  return { raw, items, lower: items.map((s) => s.toLowerCase()), invalid: firstInvalidToken(raw) };
}

/** Fetch: the method is allowed when listed byte-for-byte, safelisted, or covered by `*` without credentials. */
export function methodAllowed(allow: AllowList, method: string, creds: CredentialsMode): boolean {
  return allow.items.includes(method) || isSafelistedMethod(method) || (creds === 'omit' && allow.items.includes('*'));
}

/** Header names compare case-insensitively; `*` covers every name (Authorization included, as both browsers do
 *  today: cors-rules.md §3 rule 13) only without credentials. */
export function headerAllowed(allow: AllowList, name: string, creds: CredentialsMode): boolean {
  return allow.lower.includes(name.toLowerCase()) || (creds === 'omit' && allow.lower.includes('*'));
}

/** The neutral rows of a CORS check on one response (used for both actual responses and preflights). */
export function originChecks(
  response: ObservedResponse,
  origin: string,
  creds: CredentialsMode,
  hop: number,
  stage: Stage,
  url: string,
): Check[] {
  const lines = headerValues(response.headers, 'access-control-allow-origin');
  const acao = lines.length === 0 ? null : lines.join(', ');
  const rows: Check[] = [
    {
      hop,
      stage,
      url,
      header: 'Access-Control-Allow-Origin',
      required: creds === 'include' ? `${origin} (exactly; * does not count with credentials)` : `${origin} or *`,
      received: acao,
      ok: lines.length === 1 && (acao === origin || (creds === 'omit' && acao === '*')),
    },
  ];
  if (creds === 'include') {
    const acac = headerValue(response.headers, 'access-control-allow-credentials');
    rows.push({ hop, stage, url, header: 'Access-Control-Allow-Credentials', required: 'true', received: acac, ok: acac === 'true' });
  }
  return rows;
}

/** Rows specific to a preflight: status, then one row for the method and one per request header. */
export function preflightChecks(
  response: ObservedResponse,
  method: string,
  headerNames: readonly string[],
  creds: CredentialsMode,
  hop: number,
  url: string,
): Check[] {
  const stage: Stage = 'preflight';
  const rows: Check[] = [
    { hop, stage, url, header: 'Status', required: '2xx, not a redirect', received: String(response.status), ok: isOkStatus(response.status) },
  ];
  const methods = parseAllowList(response.headers, 'access-control-allow-methods');
  if (!isSafelistedMethod(method) || methods.invalid !== null) {
    rows.push({
      hop,
      stage,
      url,
      header: 'Access-Control-Allow-Methods',
      required: methods.invalid !== null ? `a valid list containing ${method}` : method,
      received: methods.raw,
      ok: methods.invalid === null && methodAllowed(methods, method, creds),
    });
  }
  const allowed = parseAllowList(response.headers, 'access-control-allow-headers');
  for (const name of headerNames) {
    rows.push({
      hop,
      stage,
      url,
      header: 'Access-Control-Allow-Headers',
      required: name,
      received: allowed.raw,
      ok: allowed.invalid === null && headerAllowed(allowed, name, creds),
    });
  }
  if (headerNames.length === 0 && allowed.invalid !== null) {
    rows.push({ hop, stage, url, header: 'Access-Control-Allow-Headers', required: 'a valid list', received: allowed.raw, ok: false });
  }
  return rows;
}
