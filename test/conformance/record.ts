// Re-records the conformance fixtures from the real browsers: `npm run record [-- chrome|firefox]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixtureDir, fixturePath, loadScenarios } from './corpus.ts';
import type { ConformanceRecording } from './fixture.ts';
import { recordChromium } from './chromium.ts';
import { recordFirefox } from './firefox.ts';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const browsers = wanted.length ? wanted : ['chrome', 'firefox'];
  const scenarios = loadScenarios();
  mkdirSync(fixtureDir, { recursive: true });
  for (const browser of browsers) {
    const started = Date.now();
    let rec: ConformanceRecording;
    if (browser === 'chrome') rec = await recordChromium(scenarios);
    else if (browser === 'firefox') rec = await recordFirefox(scenarios);
    else throw new Error(`unknown browser ${browser}`);
    writeFileSync(fixturePath(rec.browser), JSON.stringify(rec, null, 1) + '\n');
    console.log(`${browser}: ${rec.scenarios.length} scenarios recorded in ${((Date.now() - started) / 1000).toFixed(1)} s (${rec.browserVersion})`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
