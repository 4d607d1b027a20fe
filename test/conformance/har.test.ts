// Re-records the corpus as HARs in today's Chromium (Playwright's recordHar, and DevTools' own HAR writer): each
// HAR's diagnosis must agree with Chromium's own verdicts (CDP corsErrorStatus) or say it cannot tell, and the
// committed HAR fixtures must still diagnose the same (npm run record:har when a browser or Playwright update
// changes them).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHar } from '../../src/core/har.ts';
import { loadScenarios } from './corpus.ts';
import { compareHar, summarizeHar, type HarRow } from './har-agreement.ts';
import { recordChromiumHar, type HarRecording } from './har-recorder.ts';
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

describe.each(HAR_SOURCES)('live %s HAR of Chromium', (source) => {
  const dir = mkdtempSync(join(tmpdir(), 'corsight-har-'));
  const harPath = join(dir, 'live.har');
  let live: HarRecording;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the corpus into a HAR', async () => {
    live = await recordChromiumHar(loadScenarios('main'), harPath, { source });
    expect(live.oracles.length).toBeGreaterThan(300);
  });

  it("agrees with Chromium's own verdict on every fetch, or says what the HAR cannot tell", () => {
    const rows = rowsOf(harPath, live);
    console.log(`live ${source} HAR (${live.browserVersion}): ${summarizeHar(rows)}`);
    expect(rows.filter((r) => r.agreement === 'disagree').map((r) => `${r.id}#${r.fetch}: ${r.detail}`)).toEqual([]);
  });

  it('diagnoses the same as the committed HAR fixture', () => {
    const files = harFixture(source);
    const fixture = JSON.parse(readFileSync(files.oracle, 'utf8')) as HarRecording;
    const before = portable(rowsOf(files.har, fixture), fixture).sort();
    const now = portable(rowsOf(harPath, live), live).sort();
    const changed = now.filter((r) => !before.includes(r));
    expect(changed, `${live.browserVersion} records a HAR that diagnoses differently from ${fixture.browserVersion}; re-record with npm run record:har`).toEqual([]);
    expect(now.length).toBe(before.length);
  });
});
