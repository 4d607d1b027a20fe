// Re-records the conformance fixtures from the real browsers: `npm run record [-- chrome|firefox] [--main|--lna]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPORA, fixtureDir, fixturePath, loadScenarios, type Corpus } from './corpus.ts';
import type { ConformanceRecording } from './fixture.ts';
import { recordChromium } from './chromium.ts';
import { recordFirefox } from './firefox.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `--main` / `--lna` record one corpus only; without either, both (what `npm run record` has to keep doing).
  const onlyCorpora = CORPORA.filter((c) => args.includes(`--${c}`));
  const corpora: readonly Corpus[] = onlyCorpora.length ? onlyCorpora : CORPORA;
  const wanted = args.filter((a) => !a.startsWith('--'));
  const browsers = wanted.length ? wanted : ['chrome', 'firefox'];
  mkdirSync(fixtureDir, { recursive: true });
  for (const corpus of corpora) {
    const scenarios = loadScenarios(corpus);
    for (const browser of browsers) {
      const started = Date.now();
      let rec: ConformanceRecording;
      if (browser === 'chrome') rec = await recordChromium(scenarios);
      else if (browser === 'firefox') rec = await recordFirefox(scenarios);
      else throw new Error(`unknown browser ${browser}`);
      writeFileSync(fixturePath(rec.browser, corpus), JSON.stringify(rec, null, 1) + '\n');
      console.log(`${browser} ${corpus}: ${rec.scenarios.length} scenarios recorded in ${((Date.now() - started) / 1000).toFixed(1)} s (${rec.browserVersion})`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
