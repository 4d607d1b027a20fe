// A broad slice of the conformance corpus played in real Firefox ESR with dist/firefox (Corsight itself, not the
// recorder): for every fetch, Corsight's own diagnosis of what its background captured must equal Firefox's own
// verdict and console reason (BiDi log.entryAdded), with the same comparison semantics as the recorded replays.
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebRequestEvent } from '../../src/capture/webrequest.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { agreementOf, browserAnswer, fmt, type Agreement } from '../conformance/agreement.ts';
import { loadScenarios } from '../conformance/corpus.ts';
import type { ConformanceRecording, RecordedFetch } from '../conformance/fixture.ts';
import { loadFirefoxReasons, type FirefoxReason } from '../conformance/firefox-reasons.ts';
import { pageFetch, scenarioFetchArgs, type PageFetchResult } from '../conformance/page-fetch.ts';
import type { Scenario } from '../conformance/scenario.ts';
import { startScenarioServer, type ScenarioServer } from '../conformance/server.ts';
import { firefoxSnapshotOf, firefoxTabIdOf, launchFirefox, sleep, waitFor, warmUp, type FirefoxWithExtension } from '../extension/harness.ts';

/**
 * Left out of the slice, and why:
 * - `repeat` (preflight cache): several fetches of one URL, each its own exchange; the slice keeps one fetch per URL.
 * - `cookie`: needs a priming fetch first, and a cookie stored in the profile; the replays cover them.
 * - `mode: 'same-origin'` to another origin: Firefox refuses before any request, so webRequest sees nothing
 *   ("invisible" in the replays) and there is nothing for Corsight to diagnose.
 * - target `closed`: a connection refused is a network error, not CORS, and its timing varies.
 * - `page` / `lna` setups: only in the Local Network Access corpus (not the main one), named here for completeness.
 */
function awkward(s: Scenario): string | null {
  if (s.repeat !== undefined && s.repeat > 1) return 'repeat';
  if (s.request.cookie) return 'cookie';
  if (s.request.mode === 'same-origin') return 'mode same-origin';
  if (s.request.target === 'closed') return 'target closed';
  if (s.page !== undefined || s.lna !== undefined) return 'page setup';
  return null;
}

/** Every STEP-th eligible scenario of the main corpus, in corpus order: deterministic and spread over every rule. */
const STEP = 3;
const corpus = loadScenarios('main');
const skipped = new Map<string, number>();
const eligible = corpus.filter((s) => {
  const why = awkward(s);
  if (why) skipped.set(why, (skipped.get(why) ?? 0) + 1);
  return why === null;
});
const slice = eligible.filter((_, i) => i % STEP === 0);

interface Played {
  scenario: Scenario;
  marker: string;
  result: PageFetchResult;
}

let server: ScenarioServer;
let ff: FirefoxWithExtension;
let page: Page;
const played: Played[] = [];
const consoleReasons: FirefoxReason[] = [];
let records: ExchangeRecord[] = [];
const timings: string[] = [];

/** Corsight lists only exchanges that leave the page's origin (src/background/capture.ts): a fetch the server saw on
 *  the page origin alone is not CORS, and Corsight rightly shows nothing for it. */
const leavesPage = (p: Played): boolean => server.seen.some((s) => s.url.includes(p.marker) && s.origin !== 'page');

beforeAll(async () => {
  const t0 = Date.now();
  const matchReason = loadFirefoxReasons();
  server = await startScenarioServer(corpus);
  ff = await launchFirefox();
  const tLaunch = Date.now();
  ff.bidi.on('log.entryAdded', (entry: { text: string | null }) => {
    const reason = entry.text === null ? null : matchReason(entry.text);
    if (reason) consoleReasons.push(reason);
  });

  const pageUrl = `${server.origins.page}/`;
  page = await ff.browser.newPage();
  await page.goto(pageUrl);
  const ext = await ff.openExtensionPage('panel.html');
  const tabId = await firefoxTabIdOf(ff, ext, pageUrl);
  const snapshot = (c?: Parameters<typeof firefoxSnapshotOf>[3]) => firefoxSnapshotOf(ff, ext, tabId, c);
  // Warm-up URLs are no scenario path: the server answers them CORS-open, and they are cleared from the tab after.
  await warmUp((url) => page.evaluate(`fetch(${JSON.stringify(url)}).then(() => 'ok', () => 'rejected')`).then(String), snapshot, tabId, server.origins.api);
  const tReady = Date.now();

  // Back to back, each with its own token so no cache (HTTP or preflight) carries over from anything else.
  for (const scenario of slice) {
    const token = randomBytes(6).toString('hex');
    const result = await page.evaluate(pageFetch, scenarioFetchArgs(scenario, server.urlFor(scenario, token)));
    played.push({ scenario, marker: `/s/${scenario.id}/${token}/`, result });
  }
  const tPlayed = Date.now();

  // One snapshot at the end, once every played fetch has a finished exchange (well under the per-tab bound).
  const finished = (r: ExchangeRecord): boolean => r.exchange.end.state !== 'pending';
  // On a timeout the last snapshot is kept: the comparison then names what is missing or still pending.
  records = await waitFor('every played fetch to finish in Corsight', async () => {
    const snap = await snapshot();
    records = snap.exchanges;
    const done = played.filter(leavesPage).every((p) => snap.exchanges.some((r) => r.exchange.hops[0]?.url.includes(p.marker) && finished(r)));
    return done && snap.exchanges.every(finished) ? snap.exchanges : undefined;
  }, 10_000).catch(() => records);
  // The console is asynchronous to fetch's rejection: wait until no entry has arrived for 300 ms.
  let count = -1;
  while (count !== consoleReasons.length) {
    count = consoleReasons.length;
    await sleep(300);
  }
  const tSettled = Date.now();
  timings.push(
    `launch+install ${tLaunch - t0} ms`,
    `page+warm-up ${tReady - tLaunch} ms`,
    `${played.length} fetches ${tPlayed - tReady} ms`,
    `snapshot+console quiet ${tSettled - tPlayed} ms`,
  );
});

afterAll(async () => {
  await ff?.close();
  await server?.close();
});

describe('a slice of the conformance corpus in Firefox ESR with dist/firefox: Corsight against Firefox’s console', () => {
  it('plays a broad slice', () => {
    expect(slice.length).toBeGreaterThanOrEqual(80);
    expect(played).toHaveLength(slice.length);
  });

  it('diagnoses every fetch as Firefox decided it, naming Firefox’s own console reason', () => {
    // browserAnswer() reads a recorded fetch; this one is built from Firefox's own reports (the page's fetch, its
    // console) plus the URLs the scenario server saw, which tell a same-origin request from a CORS one.
    const rec: ConformanceRecording = { browser: 'firefox', browserVersion: '', recordedAt: '', origins: { ...server.origins }, scenarios: [] };
    const counts: Record<Agreement, number> = { agree: 0, 'agree-ambiguous': 0, invisible: 0, disagree: 0 };
    const lines: string[] = [];
    const disagreements: string[] = [];
    const notListed: string[] = [];
    const inconsistent: string[] = [];
    for (const p of played) {
      const visited: WebRequestEvent[] = server.seen
        .filter((s) => s.url.includes(p.marker) && s.method !== 'OPTIONS')
        .map((s) => ({ event: 'onBeforeRequest', details: { requestId: '', url: server.origins[s.origin] + s.url, method: s.method, tabId: -1, frameId: 0, type: 'xmlhttprequest', timeStamp: 0 } }));
      const reasons = consoleReasons.filter((r) => (r.args[0] ?? '').includes(p.marker));
      const f: RecordedFetch = { events: visited, oracle: { fetch: p.result.fetch, status: p.result.status, firefox: { reasons } } };
      const browser = browserAnswer(rec, f);
      // Firefox's two signs of its verdict must agree before Corsight is held to them: a CORS console error iff rejected.
      const errors = reasons.filter((r) => r.key.startsWith('CORS') && !r.key.includes('Deprecation'));
      if ((errors.length > 0) !== (p.result.fetch === 'rejected')) inconsistent.push(`${p.scenario.id}: fetch ${p.result.fetch}, console ${errors.map((r) => r.key).join(' ') || 'none'}`);
      const mine = records.filter((r) => r.exchange.hops[0]?.url.includes(p.marker));
      let agreement: Agreement;
      let detail: string;
      if (mine.length === 0 && !leavesPage(p) && browser.verdict === 'not-cors') {
        agreement = 'agree';
        detail = 'browser not-cors / not listed by Corsight: it never left the page origin';
        notListed.push(p.scenario.id);
      } else if (mine.length !== 1) {
        agreement = mine.length === 0 ? 'invisible' : 'disagree';
        detail = `browser ${fmt(browser)} / Corsight has ${mine.length} exchanges`;
      } else {
        ({ agreement, detail } = agreementOf('firefox', browser, diagnose(mine[0]!.exchange)));
        if (mine[0]!.exchange.end.state === 'pending') {
          agreement = 'disagree';
          detail += ' (the exchange is still pending in Corsight)';
        }
      }
      counts[agreement]++;
      const line = `${p.scenario.id}: ${agreement}: ${detail}`;
      if (agreement !== 'agree') lines.push(line);
      if (agreement === 'disagree' || agreement === 'invisible') disagreements.push(line);
    }
    // Nothing of the scenarios' own URLs may be left unmatched, and no exchange may belong to no played fetch.
    const strays = records.filter((r) => !played.some((p) => r.exchange.hops[0]?.url.includes(p.marker))).map((r) => r.exchange.hops[0]?.url ?? '?');
    const bad = counts.disagree + counts.invisible;
    console.log(
      [
        `Firefox via Corsight: ${counts.agree} agree, ${counts['agree-ambiguous']} agree only as an alternative, ${bad} disagree of ${played.length}`,
        `slice: every ${STEP}rd of ${eligible.length} eligible of ${corpus.length} scenarios; skipped ${[...skipped].map(([k, n]) => `${k} ${n}`).join(', ')}`,
        `timings: ${timings.join(', ')}`,
        `agree as same-origin (not CORS, so not listed by Corsight): ${notListed.join(', ') || 'none'}`,
        ...lines,
      ].join('\n'),
    );
    expect(inconsistent).toEqual([]);
    expect(strays).toEqual([]);
    expect(disagreements).toEqual([]);
    expect(played.length).toBeGreaterThanOrEqual(80);
  });
});
