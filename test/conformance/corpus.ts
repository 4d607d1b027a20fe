// Loads the scenario corpus and the recorded fixtures (kept apart from the runners so replays need no browser).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceRecording } from './fixture.ts';
import type { Scenario } from './scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const fixtureDir = join(here, '..', 'fixtures', 'conformance');

export function loadScenarios(): Scenario[] {
  return JSON.parse(readFileSync(join(here, 'scenarios.json'), 'utf8')) as Scenario[];
}

export function fixturePath(browser: 'chrome' | 'firefox'): string {
  return join(fixtureDir, `${browser}.json`);
}

export function loadRecording(browser: 'chrome' | 'firefox'): ConformanceRecording | null {
  const p = fixturePath(browser);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as ConformanceRecording) : null;
}
