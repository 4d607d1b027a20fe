// Compares the diagnosis of a recorded HAR with the browser's own verdict for each fetch (Chromium's CDP reason,
// Firefox's console reason): it must agree, or the HAR exchange must say what it could not tell.
import { diagnose } from '../../src/core/diagnose.ts';
import type { HarExchange, HarGap } from '../../src/core/har.ts';
import type { BrowserName } from '../../src/core/types.ts';
import { agreementOf, fmt, oracleAnswer, type BrowserAnswer } from './agreement.ts';
import type { HarRecording } from './har-recorder.ts';

/** `cannot-tell`: same verdict, but the HAR lacks what names the reason (or lacks the request's ending, or the
 *  request itself); `disagree`: the HAR diagnosis contradicts the browser. */
export type HarAgreement = 'agree' | 'cannot-tell' | 'disagree';

export interface HarRow {
  id: string;
  fetch: number;
  /** null when the HAR has no entry for this fetch. */
  exchange: string | null;
  browser: BrowserAnswer;
  har: BrowserAnswer | null;
  gaps: HarGap[];
  agreement: HarAgreement;
  detail: string;
}

/** Gaps that leave a blocked request's reason unknown. */
const REASON_GAPS: readonly HarGap[] = ['blocked-response', 'sent-headers', 'preflight'];

export function compareHar(exchanges: readonly HarExchange[], rec: HarRecording): HarRow[] {
  const browserName: BrowserName = rec.source === 'firefox' ? 'firefox' : 'chrome';
  const rows: HarRow[] = [];
  const byMarker = new Map<string, HarExchange[]>();
  for (const o of rec.oracles) byMarker.set(o.marker, []);
  for (const ex of exchanges) {
    const url = ex.exchange.hops[0]?.url ?? '';
    for (const [marker, list] of byMarker) if (url.includes(marker)) list.push(ex);
  }
  for (const [marker, list] of byMarker) {
    const fetches = rec.oracles.filter((o) => o.marker === marker);
    if (list.length === 0) {
      for (const o of fetches) {
        const browser = oracleAnswer(browserName, rec.origins.page, o.oracle, []);
        rows.push({ id: o.id, fetch: o.fetch, exchange: null, browser, har: null, gaps: [], agreement: 'cannot-tell', detail: 'not in the HAR' });
      }
      continue;
    }
    // Fetch k is the k-th exchange; an exchange beyond the fetches (Playwright splits a refused redirect in two)
    // is held to the last fetch's verdict.
    list.forEach((h, k) => {
      const o = fetches[Math.min(k, fetches.length - 1)]!;
      const visited = h.exchange.hops.map((hop) => hop.url);
      const browser = oracleAnswer(browserName, rec.origins.page, o.oracle, visited);
      const d = diagnose(h.exchange);
      const reason = browserName === 'chrome' ? d.corsError : d.firefoxReason;
      const har: BrowserAnswer = { verdict: d.verdict, reason, parameter: browserName === 'chrome' ? d.failedParameter : d.firefoxParameter };
      const { agreement: a, detail } = agreementOf(browserName, browser, d);
      let agreement: HarAgreement = a === 'agree' || a === 'agree-ambiguous' ? 'agree' : 'disagree';
      if (agreement === 'disagree') {
        const unexplainedBlock = browser.verdict === 'blocked' && d.verdict === 'blocked' && reason === null && h.gaps.some((g) => REASON_GAPS.includes(g));
        const unknownEnding = d.verdict === 'pending' && h.gaps.includes('ending');
        // A same-origin URL that failed with its response hidden: the HAR lost the redirect that made it CORS.
        const lostRedirect = browser.verdict === 'blocked' && d.verdict === 'not-cors' && h.gaps.includes('blocked-response');
        if (unexplainedBlock || unknownEnding || lostRedirect) agreement = 'cannot-tell';
      }
      rows.push({ id: o.id, fetch: o.fetch, exchange: h.id, browser, har, gaps: h.gaps, agreement, detail: `${detail}; HAR ${fmt(har)}` });
    });
  }
  return rows;
}

export function summarizeHar(rows: readonly HarRow[]): string {
  const n = (a: HarAgreement): number => rows.filter((r) => r.agreement === a).length;
  return `${n('agree')} agree, ${n('cannot-tell')} the HAR cannot tell (and says so), ${n('disagree')} disagree (of ${rows.length})`;
}
