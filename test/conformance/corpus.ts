// Loads the scenario corpora and the recorded fixtures (kept apart from the runners so replays need no browser).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserName } from '../../src/core/types.ts';
import type { ConformanceRecording } from './fixture.ts';
import type { Scenario } from './scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const fixtureDir = join(here, '..', 'fixtures', 'conformance');

/** `main`: scenarios.json, recorded with the default page setup. `lna`: lna-scenarios.json, Local Network Access
 *  scenarios that each need their own page setup (see PageSetup), recorded and replayed on their own. */
export type Corpus = 'main' | 'lna';
export const CORPORA: readonly Corpus[] = ['main', 'lna'];

const prefix = (corpus: Corpus): string => (corpus === 'main' ? '' : `${corpus}-`);

export function loadScenarios(corpus: Corpus = 'main'): Scenario[] {
  return JSON.parse(readFileSync(join(here, `${prefix(corpus)}scenarios.json`), 'utf8')) as Scenario[];
}

export function fixturePath(browser: BrowserName, corpus: Corpus = 'main'): string {
  return join(fixtureDir, `${prefix(corpus)}${browser}.json`);
}

export function loadRecording(browser: BrowserName, corpus: Corpus = 'main'): ConformanceRecording | null {
  const p = fixturePath(browser, corpus);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as ConformanceRecording) : null;
}
