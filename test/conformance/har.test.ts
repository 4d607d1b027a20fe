// Re-records the corpus as HARs in today's browsers (Chromium: Playwright's recordHar and DevTools' own HAR writer;
// Firefox ESR: its toolbox's HAR): each HAR's diagnosis must agree with the browser's own verdicts (CDP
// corsErrorStatus, Firefox's console reasons) or say it cannot tell, and the committed HAR fixtures must still
// diagnose the same (npm run record:har when a browser or Playwright update changes them).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHar } from '../../src/core/har.ts';
import { loadScenarios } from './corpus.ts';
import { compareHar, summarizeHar, type HarRow } from './har-agreement.ts';
import { recordHar, type HarRecording, type HarSourceKind } from './har-recorder.ts';
import { HAR_SOURCES, harFixture } from './record-har.ts';

function rowsOf(harPath: string, rec: HarRecording): HarRow[] {
  const h = parseHar(readFileSync(harPath, 'utf8'));
  if (!h.ok) throw new Error(h.error);
  return compareHar(h.exchanges, rec);
}

/** What a row says, without this run's ports and tokens. */
function portable(rows: readonly HarRow[], rec: HarRecording): string[] {
  return rows.map((r) => {
    let s = JSON.stringify([r.id, r.fetch, r.browser, r.har, r.gaps, r.agreement]);
    for (const [name, origin] of Object.entries(rec.origins)) s = s.replaceAll(origin, `{${name}}`);
    return s;
  });
}

/** Firefox plays a fetch about 4x slower than Chromium (plus the toolbox's bookkeeping): a sixth of the corpus
 *  keeps this file near a minute; `npm run record:har` records it all. */
const SAMPLE: Record<HarSourceKind, number> = { playwright: 1, devtools: 1, firefox: 6 };

describe.each(HAR_SOURCES)('live %s HAR', (source) => {
  const scenarios = loadScenarios('main').filter((_, i) => i % SAMPLE[source] === 0);
  const dir = mkdtempSync(join(tmpdir(), 'corsight-har-'));
  const harPath = join(dir, 'live.har');
  let live: HarRecording;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the corpus into a HAR', async () => {
    live = await recordHar(scenarios, harPath, { source });
    expect(live.oracles.length).toBeGreaterThanOrEqual(scenarios.length);
  });

  it("agrees with the browser's own verdict on every fetch, or says what the HAR cannot tell", () => {
    const rows = rowsOf(harPath, live);
    console.log(`live ${source} HAR (${live.browserVersion}): ${summarizeHar(rows)}`);
    expect(rows.filter((r) => r.agreement === 'disagree').map((r) => `${r.id}#${r.fetch}: ${r.detail}`)).toEqual([]);
  });

  // Firefox's headless toolbox exports the last requests late (har-firefox.ts untilStable), so a sampled run's HAR
  // may end early: only the agreement above is checked live there.
  if (source !== 'firefox') {
    it('diagnoses the same as the committed HAR fixture', () => {
      const files = harFixture(source);
      const fixture = JSON.parse(readFileSync(files.oracle, 'utf8')) as HarRecording;
      const played = new Set(scenarios.map((s) => s.id));
      const before = portable(rowsOf(files.har, fixture).filter((r) => played.has(r.id)), fixture).sort();
      const now = portable(rowsOf(harPath, live), live).sort();
      const changed = now.filter((r) => !before.includes(r));
      expect(changed, `${live.browserVersion} records a HAR that diagnoses differently from ${fixture.browserVersion}; re-record with npm run record:har`).toEqual([]);
      expect(now.length).toBe(before.length);
    });
  }
});
