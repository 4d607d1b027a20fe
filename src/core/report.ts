// The exported tab report (`corsight-report/1`): one entry per request the page made, with the engine's verdict,
// checks, findings and fix, and the secrets in headers redacted unless asked for.
import { diagnose, type Diagnosis } from './diagnose.ts';
import { redirectTarget } from './evaluate.ts';
import type { BrowserName, HeaderList, ObservedExchange, ObservedHop, ObservedPreflight, Verdict } from './types.ts';

export const REPORT_SCHEMA = 'corsight-report/1';

/** What replaces a secret header's value. */
export const REDACTED = '[redacted]';

/** Headers that carry the user's credentials: a report is often pasted into a ticket, so they leave only on request. */
const SECRET_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/** Whether a header's value carries the user's credentials (redacted unless the user asks for secrets). */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** One captured request; `diagnosis` lets a caller that already derived it (the panel) skip the work. */
export interface ReportRecord {
  id: string;
  /** ms since the epoch. */
  startedAt: number;
  exchange: ObservedExchange;
  diagnosis?: Diagnosis;
  /** What the source could not tell about this request (an imported HAR's gaps, as sentences). */
  cannotTell?: readonly string[];
}

/** Where the exchanges came from: the extension's webRequest capture, or a HAR file. */
export type ReportSource = { kind: 'webrequest' } | { kind: 'har'; file: string; creator: string };

export interface ReportInput {
  tab: { id: number; url: string | null };
  browser: BrowserName;
  /** Corsight's version (the manifest's). */
  version: string;
  dropped: number;
  records: readonly ReportRecord[];
  /** Default: the extension's capture. */
  source?: ReportSource;
  /** Keep Cookie, Set-Cookie, Authorization and Proxy-Authorization values (default: redacted). */
  includeSecrets?: boolean;
}

type HeaderPairs = Array<[string, string]>;

export interface ReportPreflight {
  /** null when the preflight was not seen (served from the preflight cache) or got no response. */
  status: number | null;
  requestHeaders: HeaderPairs | null;
  responseHeaders: HeaderPairs | null;
  /** Inferred: the hop needed a preflight, none was seen, and the request still went out. */
  fromCache: boolean;
}

export interface ReportRedirect {
  status: number | null;
  from: string;
  to: string;
  /** The preflight sent before requesting `to`, if that hop needed one. */
  preflight: ReportPreflight | null;
}

export interface ReportExchange {
  id: string;
  url: string;
  method: string;
  origin: string | null;
  type: string;
  startedAt: string;
  verdict: Verdict;
  /** The plain sentence the panel shows. */
  summary: string;
  corsError: string | null;
  failedParameter: string | null;
  firefoxReason: string | null;
  firefoxParameter: string | null;
  credentials: Diagnosis['credentials'];
  credentialsInferred: boolean;
  /** Headers of the initial request as sent. */
  requestHeaders: HeaderPairs | null;
  /** The initial request's preflight. */
  preflight: ReportPreflight | null;
  /** The last hop's response (after any redirects). */
  response: { status: number; headers: HeaderPairs } | null;
  redirects: ReportRedirect[];
  /** Real HTTP status a CORS error hides from the page. */
  hiddenStatus: number | null;
  checks: Array<{ hop: number; stage: string; header: string; required: string; received: string | null; ok: boolean }>;
  findings: Array<{ id: string; severity: 'error' | 'warning' | 'info'; title: string; why: string }>;
  fix: { url: string; preflight: HeaderPairs; response: HeaderPairs; ifCredentialed: HeaderPairs; notes: string[] } | null;
  /** What the source could not tell about this request (empty for the extension's own capture). */
  cannotTell: string[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  generator: { name: 'corsight'; version: string; browser: BrowserName };
  source: ReportSource;
  tab: { id: number; url: string | null };
  dropped: number;
  secretsRedacted: boolean;
  exchanges: ReportExchange[];
}

export function buildReport(input: ReportInput): Report {
  const redact = input.includeSecrets !== true;
  const headers = (list: HeaderList): HeaderPairs =>
    list.map(([name, value]) => [name, redact && isSecretHeader(name) ? REDACTED : value]);
  const headersOrNull = (list: HeaderList | null): HeaderPairs | null => (list ? headers(list) : null);

  const exchange = (r: ReportRecord): ReportExchange => {
    const d = r.diagnosis ?? diagnose(r.exchange);
    const hops = r.exchange.hops;
    const first = hops[0];
    const last = hops[hops.length - 1];
    const preflightOf = (index: number): ReportPreflight | null => {
      const seen: ObservedPreflight | null = hops[index]?.preflight ?? null;
      if (seen) {
        return {
          status: seen.response?.status ?? null,
          requestHeaders: headersOrNull(seen.requestHeaders),
          responseHeaders: headersOrNull(seen.response?.headers ?? null),
          fromCache: false,
        };
      }
      const cached = d.preflights.some((p) => p.hop === index && p.fromCacheInferred);
      return cached ? { status: null, requestHeaders: null, responseHeaders: null, fromCache: true } : null;
    };
    const redirects: ReportRedirect[] = [];
    hops.forEach((hop: ObservedHop, i) => {
      const to = redirectTarget(hop);
      if (to !== null) redirects.push({ status: hop.response?.status ?? null, from: hop.url, to, preflight: preflightOf(i + 1) });
    });
    return {
      id: r.id,
      url: first?.url ?? '',
      method: first?.method ?? '',
      origin: r.exchange.origin,
      type: r.exchange.type,
      startedAt: new Date(r.startedAt).toISOString(),
      verdict: d.verdict,
      summary: d.summary,
      corsError: d.corsError,
      failedParameter: d.failedParameter,
      firefoxReason: d.firefoxReason,
      firefoxParameter: d.firefoxParameter,
      credentials: d.credentials,
      credentialsInferred: d.credentialsInferred,
      requestHeaders: headersOrNull(first?.requestHeaders ?? null),
      preflight: preflightOf(0),
      response: last?.response ? { status: last.response.status, headers: headers(last.response.headers) } : null,
      redirects,
      hiddenStatus: d.hiddenStatus,
      checks: d.checks.map((c) => ({ hop: c.hop, stage: c.stage, header: c.header, required: c.required, received: c.received, ok: c.ok })),
      findings: d.findings.map((f) => ({ id: f.id, severity: f.severity, title: f.title, why: f.why })),
      fix: d.fix
        ? {
            url: d.fix.url,
            preflight: headers(d.fix.preflight),
            response: headers(d.fix.response),
            ifCredentialed: headers(d.fix.ifCredentialed),
            notes: [...d.fix.notes],
          }
        : null,
      cannotTell: [...(r.cannotTell ?? [])],
    };
  };

  return {
    schema: REPORT_SCHEMA,
    generator: { name: 'corsight', version: input.version, browser: input.browser },
    source: input.source ?? { kind: 'webrequest' },
    tab: { id: input.tab.id, url: input.tab.url },
    dropped: input.dropped,
    secretsRedacted: redact,
    // Stable sort: requests that started in the same millisecond keep the capture order.
    exchanges: [...input.records].sort((a, b) => a.startedAt - b.startedAt).map(exchange),
  };
}
