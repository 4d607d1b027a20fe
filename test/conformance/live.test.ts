// Re-records both corpora in today's Chromium and Firefox and checks the engine against both, and that the
// browsers still decide as the committed fixtures say (a browser update that changes behaviour fails loudly).
import { describe, expect, it } from 'vitest';
import type { BrowserName } from '../../src/core/types.ts';
import { compareRecording, compareTriggers, summarize } from './agreement.ts';
import { recordChromium } from './chromium.ts';
import { CORPORA, loadRecording, loadScenarios } from './corpus.ts';
import type { ConformanceRecording, Oracle } from './fixture.ts';
import { recordFirefox } from './firefox.ts';
import { proveFixes } from './fix-proof.ts';

/** An oracle with this run's ports replaced, so two runs compare equal when the browser decided the same. */
function portable(rec: ConformanceRecording, o: Oracle): string {
  let s = JSON.stringify({ ...o, firefox: o.firefox ? { reasons: o.firefox.reasons.map((r) => ({ key: r.key, args: r.args.slice(1) })) } : undefined });
  for (const [name, origin] of Object.entries(rec.origins)) s = s.replaceAll(origin, `{${name}}`);
  return s.replace(/\/s\/([^/]+)\/[0-9a-f]+\//g, '/s/$1/{token}/');
}

const recorders: Record<BrowserName, typeof recordChromium> = { chrome: recordChromium, firefox: recordFirefox };

for (const corpus of CORPORA) {
  const scenarios = loadScenarios(corpus);
  for (const browser of ['chrome', 'firefox'] as const) {
    describe(`live ${browser}${corpus === 'main' ? '' : ` (${corpus} corpus)`}`, () => {
      let live: ConformanceRecording;
      it(`records the ${scenarios.length}-scenario corpus`, async () => {
        live = await recorders[browser](scenarios, { log: () => {} });
        expect(live.scenarios).toHaveLength(scenarios.length);
      });
      it('engine agrees with the browser on every scenario', () => {
        const rows = compareRecording(live);
        console.log(`live ${browser} ${corpus} (${live.browserVersion}): ${summarize(rows)}`);
        const wrong = rows.filter((r) => r.agreement === 'disagree' || (r.agreement === 'invisible' && r.browser.verdict === 'allowed'));
        expect(wrong.map((r) => `${r.id}#${r.fetch + 1}: ${r.detail}`)).toEqual([]);
      });
      it('derives the need for a preflight exactly as the browser did', () => {
        const wrong = compareTriggers(live).filter((t) => !t.agree);
        expect(wrong.map((t) => `${t.id}: engine ${JSON.stringify(t.engine)} browser ${JSON.stringify(t.browser)}`)).toEqual([]);
      });
      // Only the main corpus: a Local Network Access refusal is the user's permission (or the page's context), which
      // no response header can fix.
      if (corpus === 'main') {
        it("makes every blocked request pass once the server sends the engine's fix", async () => {
          const proof = await proveFixes(scenarios, live, (s) => recorders[browser](s, { log: () => {} }));
          console.log(`live ${browser}: ${proof.passed}/${proof.attempted} fixes made the request pass (${proof.noFix.length} blocked without a header fix: ${proof.noFix.join(', ')})`);
          expect(proof.attempted).toBeGreaterThan(100);
          expect(proof.failed).toEqual([]);
        });
      }
      it('decides every scenario as the committed fixture recorded', () => {
        const fixture = loadRecording(browser, corpus);
        expect(fixture).not.toBeNull();
        const before = new Map(fixture!.scenarios.map((s) => [s.id, s.fetches.map((f) => portable(fixture!, f.oracle))]));
        const changed = live.scenarios
          .filter((s) => JSON.stringify(s.fetches.map((f) => portable(live, f.oracle))) !== JSON.stringify(before.get(s.id)))
          .map((s) => s.id);
        expect(changed, `${live.browserVersion} decides these differently from ${fixture!.browserVersion}; re-record with npm run record`).toEqual([]);
      });
    });
  }
}
