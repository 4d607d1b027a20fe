// Exchanges the real browsers produced (the conformance fixtures), correlated as the background does and wrapped
// as the background's records: the panel and report tests show real captures, not hand-made ones.
import { correlate } from '../../src/capture/correlate.ts';
import type { BrowserName } from '../../src/core/types.ts';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { loadRecording } from '../conformance/corpus.ts';

export const TAB = 7;

export interface RecordedExchange {
  scenario: string;
  record: ExchangeRecord;
}

const cache = new Map<BrowserName, RecordedExchange[]>();

export function recordedExchanges(browser: BrowserName = 'chrome'): RecordedExchange[] {
  let found = cache.get(browser);
  if (!found) cache.set(browser, (found = correlateRecording(browser)));
  return found;
}

function correlateRecording(browser: BrowserName): RecordedExchange[] {
  const rec = loadRecording(browser);
  if (!rec) throw new Error(`no ${browser} recording: run npm run record`);
  return rec.scenarios.flatMap((s) =>
    s.fetches.flatMap((f) =>
      correlate(rec.browser, f.events).map((c) => ({
        scenario: s.id,
        record: { id: `${s.id}/${c.id}`, tabId: TAB, startedAt: c.startedAt, revision: 1, exchange: c.exchange },
      })),
    ),
  );
}

export function recordOf(scenario: string, browser: BrowserName = 'chrome'): ExchangeRecord {
  const found = recordedExchanges(browser).find((r) => r.scenario === scenario);
  if (!found) throw new Error(`scenario ${scenario} not recorded`);
  return found.record;
}
