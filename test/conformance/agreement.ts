// Compares the engine's diagnosis of what the listeners saw with the browser's own verdict, fetch by fetch.
import { correlate } from '../../src/capture/correlate.ts';
import { diagnose, type Diagnosis } from '../../src/core/diagnose.ts';
import { headerValue } from '../../src/core/headers.ts';
import { sameOrigin } from '../../src/core/origin.ts';
import { preflightTriggers } from '../../src/core/safelist.ts';
import type { BrowserName, Verdict } from '../../src/core/types.ts';
import type { ConformanceRecording, Oracle, RecordedFetch } from './fixture.ts';

export interface BrowserAnswer {
  /** `rejected`: the page's fetch failed and the browser named no reason that tells a CORS block from a
   *  network failure (Firefox's bare CORSDidNotSucceed2, or no console message at all). */
  verdict: Verdict | 'rejected';
  reason: string | null;
  parameter: string | null;
}

export type Agreement = 'agree' | 'agree-ambiguous' | 'invisible' | 'disagree';

export interface Row {
  id: string;
  fetch: number;
  browser: BrowserAnswer;
  engine: BrowserAnswer | null;
  agreement: Agreement;
  diagnosis: Diagnosis | null;
  detail: string;
}

/** Keys that follow a specific reason (Firefox logs CORSDidNotSucceed2 after every failed preflight). */
const FOLLOW_UP = 'CORSDidNotSucceed2';

/** The browser's verdict, from the browser's own reports only. */
export function browserAnswer(rec: ConformanceRecording, f: RecordedFetch): BrowserAnswer {
  const visited = f.events.filter((e) => e.event === 'onBeforeRequest' && e.details.method !== 'OPTIONS').map((e) => e.details.url);
  return oracleAnswer(rec.browser, rec.origins.page, f.oracle, visited);
}

/** The same from the oracle alone, given the URLs the request visited (`visited`, preflights left out). */
export function oracleAnswer(browser: BrowserName, pageOrigin: string, o: Oracle, visited: readonly string[]): BrowserAnswer {
  if (o.fetch === 'resolved') {
    // Which URLs the request visited is a fact of the URLs, not a decision: same-origin all along = not CORS.
    const crossOrigin = visited.some((u) => !sameOrigin(u, pageOrigin));
    return { verdict: o.status === 0 || !crossOrigin ? 'not-cors' : 'allowed', reason: null, parameter: null };
  }
  if (browser === 'chrome') {
    const c = o.chrome;
    if (c?.corsError) return { verdict: 'blocked', reason: c.corsError, parameter: c.failedParameter ?? '' };
    if (c?.errorText && c.errorText !== 'net::ERR_FAILED' && c.errorText !== 'net::ERR_ABORTED') {
      return { verdict: 'network-error', reason: null, parameter: null };
    }
    return { verdict: 'blocked', reason: null, parameter: null };
  }
  const reasons = (o.firefox?.reasons ?? []).filter((r) => r.key.startsWith('CORS') && !r.key.includes('Deprecation'));
  const specific = reasons.find((r) => r.key !== FOLLOW_UP) ?? reasons[0];
  if (!specific) return { verdict: 'rejected', reason: null, parameter: null };
  if (specific.key === FOLLOW_UP) return { verdict: 'rejected', reason: FOLLOW_UP, parameter: specific.args[1] ?? null };
  return { verdict: 'blocked', reason: specific.key, parameter: specific.args[1] ?? '' };
}

function engineAnswer(browser: 'chrome' | 'firefox', d: Diagnosis, alt: 'primary' | 'credentialed'): BrowserAnswer {
  if (alt === 'credentialed' && d.ifCredentialed) {
    const v = d.ifCredentialed;
    return { verdict: v.verdict, reason: v.reason, parameter: v.parameter };
  }
  if (browser === 'chrome') return { verdict: d.verdict, reason: d.corsError, parameter: d.failedParameter };
  return { verdict: d.verdict, reason: d.firefoxReason, parameter: d.firefoxParameter };
}

/** Reason parameters the browser reports that the comparison ignores: Firefox's CORSMissingAllowOrigin2 status and
 *  CORSDidNotSucceed2's "(null)" are compared too, every other argument as recorded. */
function sameAnswer(a: BrowserAnswer, b: BrowserAnswer): boolean {
  if (a.verdict === 'rejected') {
    return (b.verdict === 'blocked' || b.verdict === 'network-error') && a.reason === b.reason && (a.parameter ?? '') === (b.parameter ?? '');
  }
  if (a.verdict !== b.verdict) return false;
  if (a.reason === null) return b.reason === null || a.verdict !== 'blocked';
  return a.reason === b.reason && (a.parameter ?? '') === (b.parameter ?? '');
}

export function compareRecording(rec: ConformanceRecording): Row[] {
  const rows: Row[] = [];
  for (const s of rec.scenarios) {
    s.fetches.forEach((f, i) => {
      const browser = browserAnswer(rec, f);
      const exchanges = correlate(rec.browser, f.events);
      if (exchanges.length === 0) {
        rows.push({ id: s.id, fetch: i, browser, engine: null, agreement: 'invisible', diagnosis: null, detail: 'no webRequest event at all' });
        return;
      }
      const d = diagnose(exchanges[0]!.exchange);
      const primary = engineAnswer(rec.browser, d, 'primary');
      const one = exchanges.length === 1 ? agreementOf(rec.browser, browser, d) : null;
      const agreement: Agreement = one?.agreement ?? 'disagree';
      const detail = one?.detail ?? `correlator built ${exchanges.length} exchanges`;
      rows.push({ id: s.id, fetch: i, browser, engine: primary, agreement, diagnosis: d, detail });
    });
  }
  return rows;
}

/** How one diagnosis compares with the browser's own answer for the same fetch: the engine's primary answer, else
 *  its credentialed alternative or one of its alternatives (`agree-ambiguous`), else `disagree`. */
export function agreementOf(browserName: 'chrome' | 'firefox', browser: BrowserAnswer, d: Diagnosis): { agreement: Agreement; detail: string } {
  const primary = engineAnswer(browserName, d, 'primary');
  let agreement: Agreement = 'disagree';
  if (sameAnswer(browser, primary)) agreement = 'agree';
  else if (d.ifCredentialed && sameAnswer(browser, engineAnswer(browserName, d, 'credentialed'))) agreement = 'agree-ambiguous';
  else if (d.alternatives.some((a) => sameAnswer(browser, { verdict: a.verdict, reason: a.reason, parameter: a.parameter }))) agreement = 'agree-ambiguous';
  const detail = `browser ${fmt(browser)} / engine ${fmt(primary)}${d.ifCredentialed ? ` (with credentials: ${fmt(engineAnswer(browserName, d, 'credentialed'))})` : ''}${d.alternatives.length ? ` (or: ${d.alternatives.map((a) => `${a.reason} ${JSON.stringify(a.parameter)}`).join(', ')})` : ''}`;
  return { agreement, detail };
}

export function fmt(a: BrowserAnswer): string {
  return `${a.verdict}${a.reason ? ` ${a.reason}` : ''}${a.parameter ? ` (${JSON.stringify(a.parameter)})` : ''}`;
}

export function summarize(rows: readonly Row[]): string {
  const count = (a: Agreement): number => rows.filter((r) => r.agreement === a).length;
  return `${count('agree')} agree, ${count('agree-ambiguous')} agree only as the credentialed alternative, ${count('invisible')} invisible to webRequest, ${count('disagree')} disagree (of ${rows.length} fetches)`;
}

export interface TriggerRow {
  id: string;
  /** Unsafe header names the engine derives from the page's headers, and whether it wants a preflight. */
  engine: { preflight: boolean; names: string[] };
  /** What the browser did: an OPTIONS with these Access-Control-Request-Headers, or none. */
  browser: { preflight: boolean; names: string[] };
  agree: boolean;
}

/** Checks "why a preflight was needed" against the browser: for every first fetch of a cors-mode cross-origin
 *  request whose headers webRequest showed, the engine's safelist verdict must match whether the browser sent an
 *  OPTIONS, and the header names must match its Access-Control-Request-Headers. */
export function compareTriggers(rec: ConformanceRecording): TriggerRow[] {
  const rows: TriggerRow[] = [];
  for (const s of rec.scenarios) {
    const f = s.fetches[0];
    if (!f) continue;
    const ex = correlate(rec.browser, f.events)[0]?.exchange;
    const hop = ex?.hops[0];
    if (!ex || !hop?.requestHeaders || sameOrigin(hop.url, rec.origins.page)) continue;
    if (!hop.requestHeaders.some(([n, v]) => n.toLowerCase() === 'sec-fetch-mode' && v === 'cors')) continue;
    const triggers = preflightTriggers(hop.method, hop.requestHeaders, rec.browser);
    const engineNames = [...new Set(triggers.filter((t) => t.kind === 'header').map((t) => t.name))].sort();
    const acrh = hop.preflight ? (headerValue(hop.preflight.requestHeaders, 'access-control-request-headers') ?? '') : '';
    const browserNames = acrh.split(',').map((n) => n.trim()).filter(Boolean).sort();
    const engine = { preflight: triggers.length > 0, names: engineNames };
    const browser = { preflight: hop.preflight !== null, names: browserNames };
    rows.push({ id: s.id, engine, browser, agree: JSON.stringify(engine) === JSON.stringify(browser) });
  }
  return rows;
}
