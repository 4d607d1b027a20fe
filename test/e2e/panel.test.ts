// The whole demo gallery through dist/chrome: the panel as a full tab shows, for every request, what the engine
// says about the exchange the background captured; and "Export report" writes that same story as corsight-report/1.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickRunAll } from '../../demo/drive.ts';
import { RUN_ALL, type DemoEndpoint } from '../../demo/gallery.ts';
import { openPanelTab } from '../../scripts/chromium.ts';
import { openDemoSession, type DemoSession } from '../../scripts/demo-session.ts';
import { readPanelRows, readRowDetail, readSnapshot, settledRows, type PanelRow } from '../../scripts/panel-reader.ts';
import { diagnose, type Diagnosis } from '../../src/core/diagnose.ts';
import { REDACTED, REPORT_SCHEMA, type Report } from '../../src/core/report.ts';
import { visible } from '../../src/panel/format.ts';
import type { ExchangeRecord, TabSnapshot } from '../../src/protocol/messages.ts';

let session: DemoSession;
let panel: Page;
let rows: PanelRow[];
let snapshot: TabSnapshot;
const panelErrors: string[] = [];

beforeAll(async () => {
  // Tall enough that the virtual list renders every row of the gallery.
  session = await openDemoSession({ headless: true, size: { width: 1280, height: 1000 } });
  await clickRunAll(session.page);
  panel = await openPanelTab(session.launched, session.tabId);
  panel.on('pageerror', (e) => panelErrors.push(String(e)));
  panel.on('console', (m) => {
    if (m.type() === 'error') panelErrors.push(m.text());
  });
  rows = await settledRows(() => readPanelRows(panel), RUN_ALL.length);
  snapshot = await readSnapshot(panel, session.tabId);
});

afterAll(async () => {
  await session?.close();
});

function urlOf(endpoint: DemoEndpoint): string {
  return session.demo.apiOrigin + endpoint.request.path;
}

/** The one captured exchange for an endpoint, and the engine's diagnosis of exactly that exchange. */
function captured(endpoint: DemoEndpoint): { record: ExchangeRecord; diagnosis: Diagnosis } {
  const records = snapshot.exchanges.filter((r) => r.exchange.hops[0]?.url === urlOf(endpoint));
  expect(records, `exchanges captured for ${endpoint.id}`).toHaveLength(1);
  const record = records[0]!;
  return { record, diagnosis: diagnose(record.exchange) };
}

describe('the panel as a full tab, after "Run all"', () => {
  it('lists one row per request the page made, in the order they started, and counts the blocked ones', async () => {
    expect(snapshot.exchanges).toHaveLength(RUN_ALL.length);
    expect(rows.map((r) => r.url)).toEqual(RUN_ALL.map(urlOf));
    const blocked = RUN_ALL.filter((e) => e.intent === 'blocked').length;
    expect(await panel.getByTestId('blocked-count').textContent()).toBe(`${blocked} blocked`);
    expect(await panel.getByTestId('request-count').textContent()).toBe(`${RUN_ALL.length} requests`);
  });

  it.each(RUN_ALL.map((e) => [e.id, e] as const))('%s: the row shows the engine verdict and reason', (_id, endpoint) => {
    const { diagnosis } = captured(endpoint);
    const row = rows.find((r) => r.url === urlOf(endpoint));
    expect(row).toMatchObject({ verdict: diagnosis.verdict, method: endpoint.request.method, reason: visible(diagnosis.summary) });
    // The gallery's intent is what Chromium itself decided (test/e2e/gallery.test.ts), so the engine must match it.
    expect({ verdict: diagnosis.verdict, corsError: diagnosis.corsError }).toEqual({
      verdict: endpoint.intent,
      corsError: endpoint.corsError,
    });
    expect(diagnosis.findings.map((f) => f.id)).toEqual(expect.arrayContaining(endpoint.warns ?? []));
  });

  it('highlights, in each detail view, what the engine found: failing checks, offending headers or status, hidden status, findings', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const expected: Array<Record<string, unknown>> = [];
    for (const [index, row] of rows.entries()) {
      const endpoint = RUN_ALL.find((e) => urlOf(e) === row.url)!;
      const { diagnosis } = captured(endpoint);
      const detail = await readRowDetail(panel, index, row);
      seen.push({
        id: endpoint.id,
        summary: detail.summary.startsWith(visible(diagnosis.summary)),
        failingChecks: detail.failingChecks,
        highlightsSomething: detail.offending.length > 0,
        hiddenStatus: detail.hiddenStatus,
        findings: detail.findings,
      });
      expected.push({
        id: endpoint.id,
        summary: true,
        failingChecks: diagnosis.checks.filter((c) => !c.ok).length,
        // A blocked request always has something to point at (a wrong or missing header, a preflight status).
        highlightsSomething: diagnosis.verdict === 'blocked',
        hiddenStatus: diagnosis.hiddenStatus,
        findings: diagnosis.findings.map((f) => ({ severity: f.severity, title: visible(f.title), why: visible(f.why) })),
      });
    }
    await panel.getByTestId('close-detail').click();
    expect(seen).toEqual(expected);
  });

  it('logged no error in the panel', () => {
    expect(panelErrors).toEqual([]);
  });
});

describe('Export report', () => {
  let report: Report;
  let text: string;

  beforeAll(async () => {
    const [download] = await Promise.all([
      panel.waitForEvent('download'),
      panel.getByRole('button', { name: 'Export report' }).click(),
    ]);
    text = readFileSync(await download.path(), 'utf8');
    report = JSON.parse(text) as Report;
  });

  it('is a corsight-report/1 for the demo tab', () => {
    expect(report.schema).toBe(REPORT_SCHEMA);
    expect(report.generator).toMatchObject({ name: 'corsight', browser: 'chrome' });
    expect(report.tab).toEqual({ id: session.tabId, url: `${session.demo.pageOrigin}/` });
    expect(report.dropped).toBe(0);
  });

  it('has one exchange per request, ordered by start, with the engine verdicts', () => {
    expect(report.exchanges.map((x) => `${x.method} ${x.url}`)).toEqual(RUN_ALL.map((e) => `${e.request.method} ${urlOf(e)}`));
    const starts = report.exchanges.map((x) => Date.parse(x.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const endpoint of RUN_ALL) {
      const { record, diagnosis } = captured(endpoint);
      const exported = report.exchanges.find((x) => x.id === record.id);
      expect(exported, endpoint.id).toMatchObject({
        verdict: diagnosis.verdict,
        corsError: diagnosis.corsError,
        failedParameter: diagnosis.failedParameter,
        summary: diagnosis.summary,
        hiddenStatus: diagnosis.hiddenStatus,
      });
    }
  });

  it('redacts Cookie, Set-Cookie and Authorization values', () => {
    const secretHeaders = report.exchanges.flatMap((x) => [
      ...(x.requestHeaders ?? []),
      ...(x.preflight?.requestHeaders ?? []),
      ...(x.response?.headers ?? []),
    ]).filter(([name]) => ['cookie', 'set-cookie', 'authorization'].includes(name.toLowerCase()));
    // The demo sends all three: the session cookie is set, then sent; the JSON POST carries a bearer token.
    expect(new Set(secretHeaders.map(([name]) => name.toLowerCase()))).toEqual(new Set(['cookie', 'set-cookie', 'authorization']));
    expect(secretHeaders.every(([, value]) => value === REDACTED)).toBe(true);
    expect(text).not.toContain('s3cr3t-session-value');
    expect(text).not.toContain('demo-token-7f3a9c');
  });
});
