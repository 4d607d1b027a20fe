// dependsOnCredentials() on every recorded fetch of both browsers: an "allowed" the browser may in fact have blocked
// (credentials sent without a Cookie header) is always flagged, and nothing whose mode the engine knows is.
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/capture/correlate.ts';
import { credentialsCaveat, diagnose } from '../../src/core/diagnose.ts';
import { dependsOnCredentials, judge } from '../../src/core/judge.ts';
import { compareRecording } from '../conformance/agreement.ts';
import { loadRecording } from '../conformance/corpus.ts';

for (const browser of ['firefox', 'chrome'] as const) {
  describe(`${browser} recordings`, () => {
    const rec = loadRecording(browser)!;
    const fetches = compareRecording(rec).flatMap((row) => {
      const f = rec.scenarios.find((s) => s.id === row.id)!.fetches[row.fetch]!;
      const ex = correlate(rec.browser, f.events)[0]?.exchange;
      return ex ? [{ ...row, judgement: judge(ex), exchange: ex }] : [];
    });

    it('flag every fetch the engine calls allowed but the browser blocked', () => {
      // The browser is the oracle: its blocked answer against the engine's "allowed" is the confident wrong answer
      // the flag exists for.
      const wrongAllowed = fetches.filter((f) => f.judgement.verdict === 'allowed' && f.browser.verdict !== 'allowed' && f.browser.verdict !== 'not-cors');
      expect(wrongAllowed.filter((f) => !dependsOnCredentials(f.judgement)).map((f) => f.id)).toEqual([]);
      const flagged = fetches.filter((f) => dependsOnCredentials(f.judgement));
      console.log(`${browser}: ${flagged.length} of ${fetches.length} fetches depend on credentials; the browser blocked ${wrongAllowed.length}`);
      if (browser === 'firefox') expect(wrongAllowed.length).toBeGreaterThanOrEqual(14);
      else expect(flagged).toEqual([]);
    });

    it('flag only an "allowed" with an unseen credentials mode whose credentialed alternative the browser could have given', () => {
      for (const f of fetches.filter((x) => dependsOnCredentials(x.judgement))) {
        expect(f.judgement.verdict, f.id).toBe('allowed');
        expect(f.judgement.credentialsSource, f.id).toBe('unknown');
        // Whatever the browser did is one of the two answers the row now names.
        expect(f.browser.verdict === 'allowed' || f.agreement === 'agree-ambiguous', f.detail).toBe(true);
        const d = diagnose(f.exchange);
        expect(d.ifCredentialed?.verdict).toBe('blocked');
        expect(d.summary).toBe(`${credentialsCaveat(browser)}. ${d.ifCredentialed!.sentence}`);
      }
      for (const f of fetches.filter((x) => x.judgement.credentialsSource !== 'unknown')) {
        expect(dependsOnCredentials(f.judgement), f.id).toBe(false);
      }
    });
  });
}
