// The demo gallery through dist/firefox in real Firefox ESR: for every "Run all" request, what Corsight shows a user
// (the full-tab panel's rows and its "Export report" file) must agree with Firefox's own verdict and console reason.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_ALL, type DemoEndpoint } from '../../demo/gallery.ts';
import type { DemoRunResult } from '../../demo/drive.ts';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { bidiClick } from '../../scripts/firefox.ts';
import { readDetailedRows, readPanelRows, settledRows, type DetailedRow, type PanelRow, type PanelView } from '../../scripts/panel-reader.ts';
import { describeFirefoxReason, type FirefoxReason as FirefoxReasonKey } from '../../src/core/reasons.ts';
import type { Report, ReportExchange } from '../../src/core/report.ts';
import { visible } from '../../src/panel/format.ts';
import { loadFirefoxReasons, type FirefoxReason } from '../conformance/firefox-reasons.ts';
import { firefoxSnapshotOf, firefoxTabIdOf, launchFirefox, sleep, waitFor, warmUp, type FirefoxWithExtension } from '../extension/harness.ts';

/** Firefox logs this after the specific reason of every failed preflight (docs/browser-facts.md §9): not the reason. */
const FOLLOW_UP = 'CORSDidNotSucceed2';

/** What Firefox itself said about one gallery request. */
interface FirefoxOutcome {
  page: DemoRunResult;
  /** Console reasons logged for any URL of the endpoint (its redirects included), in order. */
  reasons: FirefoxReason[];
}

/** What Corsight showed for one gallery request. */
interface CorsightOutcome {
  row: PanelRow;
  /** The row with what its detail view adds, read as `npm start -- --browser firefox` reads it. */
  detailed: DetailedRow;
  exported: ReportExchange;
}

let demo: RunningDemo;
let ff: FirefoxWithExtension;
let page: Page;
let downloadDir: string;
const firefox = new Map<string, FirefoxOutcome>();
const corsight = new Map<string, CorsightOutcome>();
const timings: string[] = [];
/** Every row the panel listed and every exchange the export held, to catch extras (e.g. a warm-up left behind). */
let listed: { rows: string[]; exported: string[] } = { rows: [], exported: [] };

const urlOf = (e: DemoEndpoint): string => demo.apiOrigin + e.request.path;

/** Redirecting endpoints are named in the console by the hop that failed: map every route's URL (no query) back. */
function endpointForConsoleUrl(url: string): DemoEndpoint | undefined {
  const u = new URL(url);
  const where = `${u.origin}${u.pathname}`;
  return RUN_ALL.find((e) => e.routes.some((r) => `${r.server === 'api' ? demo.apiOrigin : demo.thirdOrigin}${r.path}` === where));
}

/** A puppeteer-free PanelView over BiDi: the panel tab is a raw browsing context (§10a), not a puppeteer Page. */
function panelDocument(context: string): PanelView {
  return {
    evaluate: async <R,>(fn: () => R): Promise<R> => JSON.parse(await ff.evaluate(context, `JSON.stringify((${fn.toString()})())`)) as R,
    click: (selector) => bidiClick(ff.bidi, context, selector),
  };
}

beforeAll(async () => {
  const t0 = Date.now();
  const matchReason = loadFirefoxReasons();
  demo = await startDemo({ port: 0 });
  ff = await launchFirefox();
  const tLaunch = Date.now();

  // Firefox gives its verdict only as localized console text (§9): keep every CORS entry, keyed back to its URL.
  const consoleReasons: FirefoxReason[] = [];
  ff.bidi.on('log.entryAdded', (entry: { text: string | null }) => {
    const reason = entry.text === null ? null : matchReason(entry.text);
    if (reason) consoleReasons.push(reason);
  });

  page = await ff.browser.newPage();
  await page.goto(`${demo.pageOrigin}/`);
  // A plain extension page (no tab id) to find the demo tab and to warm up the background through the protocol.
  const ext = await ff.openExtensionPage('panel.html');
  const tabId = await firefoxTabIdOf(ff, ext, `${demo.pageOrigin}/`);
  // The warm-up URLs are on the API origin but no gallery route, so their console entries map to no endpoint.
  await warmUp((url) => page.evaluate(`fetch(${JSON.stringify(url)}).then(() => 'ok', () => 'rejected')`).then(String), (c) => firefoxSnapshotOf(ff, ext, tabId, c), tabId, demo.apiOrigin);
  const tReady = Date.now();

  // "Run all" through the page's own hook: the same requests as the button, in gallery order, with how each ended.
  const results = (await page.evaluate('window.corsightDemo.runAll()')) as DemoRunResult[];
  const tRun = Date.now();

  // The console is asynchronous to fetch's rejection: wait until no entry has arrived for 300 ms.
  let count = -1;
  while (count !== consoleReasons.length) {
    count = consoleReasons.length;
    await sleep(300);
  }
  for (const e of RUN_ALL) firefox.set(e.id, { page: results.find((r) => r.id === e.id)!, reasons: [] });
  for (const reason of consoleReasons) {
    const e = endpointForConsoleUrl(reason.args[0] ?? '');
    if (e) firefox.get(e.id)!.reasons.push(reason);
  }

  // What a user sees: the full-tab panel for the demo tab, tall enough that the virtual list renders every row.
  const panel = await ff.openExtensionPage(`panel.html?tabId=${tabId}`);
  await ff.bidi.send('browsingContext.setViewport', { context: panel, viewport: { width: 1280, height: 1400 } });
  const rows = await settledRows(() => readPanelRows(panelDocument(panel)), RUN_ALL.length);
  const tRows = Date.now();

  // "Export report" as a user clicks it; BiDi saves the download and says where (§10a).
  downloadDir = mkdtempSync(join(tmpdir(), 'corsight-ff-export-'));
  await ff.bidi.send('browser.setDownloadBehavior', { downloadBehavior: { type: 'allowed', destinationFolder: downloadDir } });
  const saved = new Promise<string>((resolve, reject) => {
    const onEnd = (e: { status: string; filepath?: string | null }): void => {
      ff.bidi.off('browsingContext.downloadEnd', onEnd);
      if (e.status === 'complete' && e.filepath) resolve(e.filepath);
      else reject(new Error(`download ended ${e.status}`));
    };
    ff.bidi.on('browsingContext.downloadEnd', onEnd);
  });
  await ff.evaluate(panel, `(document.querySelector('[data-testid="export"]').click(), 'clicked')`);
  const report = JSON.parse(readFileSync(await waitFor('the export', () => saved, 10_000), 'utf8')) as Report;
  const tExport = Date.now();
  // Every row opened in turn with real clicks, as `npm start -- --browser firefox` prints them.
  const detailed = await readDetailedRows(panelDocument(panel), rows);
  const tDetails = Date.now();

  listed = { rows: rows.map((r) => r.url), exported: report.exchanges.map((x) => x.url) };
  for (const e of RUN_ALL) {
    const row = rows.find((r) => r.url === urlOf(e));
    const exported = report.exchanges.find((x) => x.url === urlOf(e));
    const details = detailed.find((r) => r.url === urlOf(e));
    if (row && exported && details) corsight.set(e.id, { row, detailed: details, exported });
  }
  timings.push(
    `launch+install ${tLaunch - t0} ms`,
    `page+warm-up ${tReady - tLaunch} ms`,
    `run all ${tRun - tReady} ms`,
    `console quiet+panel rows ${tRows - tRun} ms`,
    `export ${tExport - tRows} ms`,
    `detail views ${tDetails - tExport} ms`,
  );
});

afterAll(async () => {
  await ff?.close();
  await demo?.close();
  if (downloadDir) rmSync(downloadDir, { recursive: true, force: true });
});

describe('the demo gallery in Firefox ESR with dist/firefox: Corsight against Firefox’s console', () => {
  it('shows one row per "Run all" request, and the export holds the same requests', () => {
    expect([...corsight.keys()].sort()).toEqual(RUN_ALL.map((e) => e.id).sort());
    expect(listed.rows).toHaveLength(RUN_ALL.length);
    expect(listed.exported).toHaveLength(RUN_ALL.length);
  });

  it('opens every row: its detail view shows the status a CORS error hides and the findings the export holds', () => {
    const shown = RUN_ALL.map((e) => {
      const { detailed } = corsight.get(e.id)!;
      return { id: e.id, hiddenStatus: detailed.hiddenStatus, findings: detailed.findings };
    });
    const exported = RUN_ALL.map((e) => {
      const { exported } = corsight.get(e.id)!;
      const findings = exported.findings.map((f) => ({ severity: f.severity, title: visible(f.title), why: visible(f.why) }));
      return { id: e.id, hiddenStatus: exported.hiddenStatus, findings };
    });
    expect(shown).toEqual(exported);
    // The gallery has both kinds, so the comparison is not one of empty lists.
    expect(shown.filter((r) => r.hiddenStatus !== null).length).toBeGreaterThan(0);
    expect(shown.filter((r) => r.findings.length > 0).length).toBeGreaterThan(0);
  });

  it('agrees with Firefox on every verdict, and names Firefox’s own console reason for every blocked request', () => {
    const table: string[] = [];
    let agree = 0;
    const disagreements: string[] = [];
    for (const e of RUN_ALL) {
      const ff = firefox.get(e.id)!;
      const shown = corsight.get(e.id)!;
      const errors = ff.reasons.filter((r) => r.key.startsWith('CORS') && !r.key.includes('Deprecation'));
      // The two signs of Firefox's verdict must agree with each other before Corsight is held to them.
      expect(errors.length > 0, `${e.id}: console reason logged iff fetch rejected`).toBe(!ff.page.ok);
      const blockedByFirefox = errors.length > 0 || !ff.page.ok;
      const consoleKey = (errors.find((r) => r.key !== FOLLOW_UP) ?? errors[0])?.key ?? null;
      const verdictOk = shown.row.verdict === (blockedByFirefox ? 'blocked' : 'allowed') && shown.exported.verdict === shown.row.verdict;
      const reasonOk = !blockedByFirefox || (consoleKey !== null && shown.exported.firefoxReason === consoleKey);
      // The Reason cell is the export's summary, and for a blocked request it ends with Firefox's wording of the
      // console key (after "After redirect N: " when a redirect hop failed; the Origin checked there may be "null").
      // Firefox uses one key for preflight and actual responses; Corsight's sentence names the preflight when it failed.
      const wording =
        consoleKey === null
          ? []
          : [demo.pageOrigin, 'null']
              .map((o) => describeFirefoxReason(consoleKey as FirefoxReasonKey, shown.exported.firefoxParameter, o))
              .flatMap((w) => [w, w.replace(/^The response\b/, 'The preflight response')]);
      const sentenceOk = shown.row.reason === shown.exported.summary && (!blockedByFirefox || wording.some((w) => shown.row.reason.endsWith(w)));
      if (verdictOk && reasonOk && sentenceOk) agree++;
      else disagreements.push(`${e.id}: Firefox ${blockedByFirefox ? 'blocked' : 'allowed'} ${consoleKey ?? ''}, Corsight ${shown.row.verdict} ${shown.exported.firefoxReason ?? ''}: "${shown.row.reason}"`);
      table.push(
        `| ${e.id} | ${blockedByFirefox ? 'blocked' : 'allowed'} | ${consoleKey ?? '—'} | ${shown.row.verdict} | ${shown.exported.firefoxReason ?? '—'} | ${verdictOk && reasonOk ? 'yes' : 'NO'} | ${sentenceOk ? 'yes' : 'NO'} |`,
      );
    }
    console.log(
      [
        `Firefox gallery agreement: ${agree}/${RUN_ALL.length}`,
        `timings: ${timings.join(', ')}`,
        '| endpoint | Firefox | console key | Corsight row | Corsight firefoxReason | agree | panel sentence |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...table,
      ].join('\n'),
    );
    expect(disagreements).toEqual([]);
  });
});
