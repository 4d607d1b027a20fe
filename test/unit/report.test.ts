// The exported report against diagnoses of recorded Chromium exchanges: schema fields, the engine's verdicts,
// start order, hops inside each exchange, and redaction of credentials.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose.ts';
import { redirectTarget } from '../../src/core/evaluate.ts';
import { buildReport, REDACTED, REPORT_SCHEMA, type ReportInput, type ReportRecord } from '../../src/core/report.ts';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { recordedExchanges, recordOf } from '../panel/recorded.ts';

const records = recordedExchanges('chrome').map((r) => r.record);

function input(rs: readonly ReportRecord[], extra: Partial<ReportInput> = {}): ReportInput {
  return { tab: { id: 12, url: 'http://localhost:5173/' }, browser: 'chrome', version: '0.1.0', dropped: 3, records: rs, ...extra };
}

/** A recorded exchange that also carried credentials both ways. */
function withSecrets(r: ExchangeRecord): ExchangeRecord {
  const hops = r.exchange.hops.map((h) => ({
    ...h,
    requestHeaders: [...(h.requestHeaders ?? []), ['Cookie', 'session=s3cret'], ['authorization', 'Bearer t0ken'], ['Proxy-Authorization', 'Basic cHJveHk=']] as const,
    response: h.response ? { ...h.response, headers: [...h.response.headers, ['Set-Cookie', 'session=s3cret; HttpOnly']] as const } : null,
  }));
  return { ...r, exchange: { ...r.exchange, hops } };
}

describe('buildReport', () => {
  const report = buildReport(input(records));

  it('has the corsight-report/1 envelope', () => {
    expect(report.schema).toBe(REPORT_SCHEMA);
    expect(report.generator).toEqual({ name: 'corsight', version: '0.1.0', browser: 'chrome' });
    expect(report.tab).toEqual({ id: 12, url: 'http://localhost:5173/' });
    expect(report.dropped).toBe(3);
    expect(report.exchanges).toHaveLength(records.length);
  });

  it('gives every exchange the schema fields, with the engine\'s verdict and reason', () => {
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const e of report.exchanges) {
      const r = byId.get(e.id)!;
      const d = diagnose(r.exchange);
      expect(Object.keys(e)).toEqual(expect.arrayContaining([
        'id', 'url', 'method', 'origin', 'startedAt', 'verdict', 'corsError', 'failedParameter', 'firefoxReason',
        'credentials', 'credentialsInferred', 'preflight', 'response', 'redirects', 'checks', 'findings', 'fix',
      ]));
      expect(e.url).toBe(r.exchange.hops[0]!.url);
      expect(e.method).toBe(r.exchange.hops[0]!.method);
      expect(e.startedAt).toBe(new Date(r.startedAt).toISOString());
      expect([e.verdict, e.corsError, e.failedParameter, e.firefoxReason]).toEqual([d.verdict, d.corsError, d.failedParameter, d.firefoxReason]);
      expect([e.credentials, e.credentialsInferred]).toEqual([d.credentials, d.credentialsInferred]);
      expect(e.checks.map((c) => [c.header, c.required, c.received, c.ok])).toEqual(d.checks.map((c) => [c.header, c.required, c.received, c.ok]));
      expect(e.findings).toEqual(d.findings);
      expect(e.fix === null).toBe(d.fix === null);
      // Followed redirects, and the refused one the browser announced but did not follow.
      expect(e.redirects).toHaveLength(r.exchange.hops.filter((h) => redirectTarget(h) !== null).length);
    }
  });

  it('orders exchanges by start', () => {
    const shuffled = [...records].reverse();
    const starts = buildReport(input(shuffled)).exchanges.map((e) => e.startedAt);
    expect(starts).toEqual([...starts].sort());
  });

  it('puts the preflight and redirect hops inside the exchange', () => {
    const preRecord = recordOf('preflight-acah-missing');
    const pre = buildReport(input([preRecord])).exchanges[0]!;
    expect(pre.preflight).toMatchObject({ status: preRecord.exchange.hops[0]!.preflight!.response!.status, fromCache: false });
    expect(pre.preflight!.requestHeaders).toEqual(expect.arrayContaining([['Access-Control-Request-Headers', 'x-foo']]));
    expect(pre.fix?.preflight).toEqual(expect.arrayContaining([['Access-Control-Allow-Headers', 'x-foo']]));
    expect(pre.checks.filter((c) => !c.ok)).toEqual([expect.objectContaining({ header: 'Access-Control-Allow-Headers', required: 'x-foo', received: null })]);

    const redirected = buildReport(input([recordOf('redirect-302-target-no-acao')])).exchanges[0]!;
    expect(redirected.redirects).toEqual([expect.objectContaining({ status: 302, from: redirected.url })]);
    expect(redirected.redirects[0]!.to).not.toBe(redirected.url);

    const cached = records.find((r) => diagnose(r.exchange).preflights.some((p) => p.hop === 0 && p.fromCacheInferred))!;
    expect(buildReport(input([cached])).exchanges[0]!.preflight).toEqual({ status: null, requestHeaders: null, responseHeaders: null, fromCache: true });
  });

  it('redacts Cookie, Set-Cookie, Authorization and Proxy-Authorization unless asked', () => {
    const secret = withSecrets(recordOf('simple-no-acao'));
    const redacted = JSON.stringify(buildReport(input([secret])));
    for (const s of ['s3cret', 't0ken', 'cHJveHk=']) expect(redacted).not.toContain(s);
    const e = buildReport(input([secret])).exchanges[0]!;
    expect(e.requestHeaders).toEqual(expect.arrayContaining([['Cookie', REDACTED], ['authorization', REDACTED], ['Proxy-Authorization', REDACTED]]));
    expect(e.response!.headers).toEqual(expect.arrayContaining([['Set-Cookie', REDACTED]]));
    expect(buildReport(input([secret])).secretsRedacted).toBe(true);

    const full = buildReport(input([secret], { includeSecrets: true }));
    expect(full.secretsRedacted).toBe(false);
    expect(full.exchanges[0]!.requestHeaders).toEqual(expect.arrayContaining([['Cookie', 'session=s3cret']]));
    expect(full.exchanges[0]!.response!.headers).toEqual(expect.arrayContaining([['Set-Cookie', 'session=s3cret; HttpOnly']]));
  });

  it('reuses a diagnosis the caller already has', () => {
    const r = recordOf('simple-no-acao');
    const d = { ...diagnose(r.exchange), summary: 'precomputed' };
    expect(buildReport(input([{ ...r, diagnosis: d }])).exchanges[0]!.summary).toBe('precomputed');
  });

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
