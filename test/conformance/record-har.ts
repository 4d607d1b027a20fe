// `npm run record:har`: records the conformance corpus into HARs made by Chromium (Playwright's recordHar, and the
// DevTools window's own HAR writer) and by Firefox's toolbox, each next to the browser's own verdicts, as
// test/fixtures/har/{chromium-playwright,chromium-devtools,firefox-devtools}.{har,oracle.json}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarios } from './corpus.ts';
import { recordHar, type HarSourceKind } from './har-recorder.ts';

export const harFixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'har');
export const HAR_SOURCES: readonly HarSourceKind[] = ['playwright', 'devtools', 'firefox'];

export function harFixture(source: HarSourceKind): { har: string; oracle: string } {
  const base = join(harFixtureDir, source === 'firefox' ? 'firefox-devtools' : `chromium-${source}`);
  return { har: `${base}.har`, oracle: `${base}.oracle.json` };
}

export const HAR_FIXTURE = harFixture('playwright').har;
export const HAR_ORACLE_FIXTURE = harFixture('playwright').oracle;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(harFixtureDir, { recursive: true });
  // `npm run record:har -- firefox` records one source.
  const wanted = HAR_SOURCES.filter((s) => process.argv.includes(s));
  for (const source of wanted.length ? wanted : HAR_SOURCES) {
    const started = Date.now();
    const files = harFixture(source);
    const rec = await recordHar(loadScenarios('main'), files.har, { source });
    writeFileSync(files.oracle, `${JSON.stringify(rec, null, 1)}\n`);
    console.log(`${source}: ${rec.oracles.length} fetches recorded into ${files.har} in ${((Date.now() - started) / 1000).toFixed(1)} s (${rec.browserVersion})`);
  }
}
