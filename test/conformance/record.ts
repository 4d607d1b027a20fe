// Re-records the conformance fixtures from the real browsers: `npm run record [-- chrome|firefox]`.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './scenario.ts';
import type { ConformanceRecording } from './fixture.ts';
import { recordChromium } from './chromium.ts';
import { recordFirefox } from './firefox.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const fixtureDir = join(here, '..', 'fixtures', 'conformance');

export function loadScenarios(): Scenario[] {
  return JSON.parse(readFileSync(join(here, 'scenarios.json'), 'utf8')) as Scenario[];
}

export function fixturePath(browser: 'chrome' | 'firefox'): string {
  return join(fixtureDir, `${browser}.json`);
}

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
