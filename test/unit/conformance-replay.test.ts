// Replays the recorded browser runs through the correlator and the engine: the engine must name the same verdict
// and reason as the real browser did, for every scenario of both corpora (main and Local Network Access).
import { describe, expect, it } from 'vitest';
import { compareRecording, compareTriggers, summarize } from '../conformance/agreement.ts';
import { CORPORA, loadRecording, loadScenarios } from '../conformance/corpus.ts';

for (const corpus of CORPORA) {
  const scenarios = loadScenarios(corpus);
  for (const browser of ['chrome', 'firefox'] as const) {
    const rec = loadRecording(browser, corpus);
    const name = corpus === 'main' ? browser : `${corpus}-${browser}`;
    describe(`${name} fixtures`, () => {
      it('exist and cover the whole corpus (re-record with `npm run record` after changing the scenarios)', () => {
        expect(rec, `test/fixtures/conformance/${name}.json`).not.toBeNull();
        expect(rec!.scenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
      });
      if (!rec) return;
      const rows = compareRecording(rec);
      for (const row of rows) {
        it(`${row.id}${row.fetch ? ` #${row.fetch + 1}` : ''}: engine agrees with ${rec.browserVersion}`, () => {
          if (row.agreement === 'invisible') {
            // Nothing reached the network, so the page's fetch must have failed without the extension seeing it.
            expect(row.browser.verdict).not.toBe('allowed');
            return;
          }
          expect(row.agreement, row.detail).not.toBe('disagree');
        });
      }
      it("derives the need for a preflight exactly as the browser did (its OPTIONS and Access-Control-Request-Headers)", () => {
        const triggers = compareTriggers(rec);
        console.log(`${name}: preflight need and header names agree on ${triggers.filter((t) => t.agree).length}/${triggers.length} requests`);
        // The small LNA corpus has few requests whose headers webRequest saw; the main corpus must keep its breadth.
        expect(triggers.length).toBeGreaterThan(corpus === 'main' ? 100 : 0);
        expect(triggers.filter((t) => !t.agree).map((t) => `${t.id}: engine ${JSON.stringify(t.engine)} browser ${JSON.stringify(t.browser)}`)).toEqual([]);
      });
      it('prints the agreement count', () => {
        console.log(`${name} (${rec.browserVersion}): ${summarize(rows)}`);
        expect(rows.length).toBeGreaterThan(0);
      });
    });
  }
}
