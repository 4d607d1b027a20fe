// Prints how many diagnoses per second the engine makes on one core, the correlator's cost per webRequest event,
// and the background listener's own work per event (capture, store, verdict), using the recorded conformance
// exchanges as the workload (`npm run bench:engine`).
import { pathToFileURL } from 'node:url';
import { TabStore } from '../src/background/tab-store.ts';
import { correlate } from '../src/capture/correlate.ts';
import type { WebRequestEvent } from '../src/capture/webrequest.ts';
import { diagnose } from '../src/core/diagnose.ts';
import { judge } from '../src/core/judge.ts';
import type { ObservedExchange } from '../src/core/types.ts';
import { loadRecording } from '../test/conformance/corpus.ts';
import type { BenchRow } from './lib.ts';

// src/background/capture.ts reaches webextension-polyfill, which refuses to load outside an extension; TabCapture
// itself never calls an extension API, so an extension id is all the polyfill needs to see.
(globalThis as { chrome?: unknown }).chrome ??= { runtime: { id: 'corsight-bench' } };
const { TabCapture } = await import('../src/background/capture.ts');

const exchanges: ObservedExchange[] = [];
const streams: Array<{ browser: 'chrome' | 'firefox'; events: WebRequestEvent[] }> = [];
for (const browser of ['chrome', 'firefox'] as const) {
  const rec = loadRecording(browser);
  if (!rec) continue;
  for (const s of rec.scenarios) {
    for (const f of s.fetches) {
      streams.push({ browser, events: f.events });
      for (const c of correlate(browser, f.events)) exchanges.push(c.exchange);
    }
  }
}
if (exchanges.length === 0) throw new Error('no recorded exchanges: run `npm run record` first');

/** Median of 5 rounds; each round returns its own rate (units per second of timed work). */
function rate(label: string, unit: string, round: () => number): { median: number; min: number; max: number } {
  round(); // warm the JIT
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) rounds.push(round());
  rounds.sort((a, b) => a - b);
  const median = rounds[2]!;
  console.log(`${label.padEnd(40)} ${Math.round(median).toLocaleString('en-US').padStart(12)} ${unit}/s  (min ${Math.round(rounds[0]!).toLocaleString('en-US')}, max ${Math.round(rounds[4]!).toLocaleString('en-US')})`);
  return { median, min: rounds[0]!, max: rounds[4]! };
}

const eventCount = streams.reduce((n, s) => n + s.events.length, 0);
console.log(`workload: ${exchanges.length} recorded exchanges, ${eventCount} webRequest events; node ${process.version}, one core`);
// Every diagnosis gets a never-seen copy of a recorded exchange, as the background does for new requests. Copies
// are made in small untimed batches so the benchmark's own garbage does not land in the timed part.
function freshRate(run: (ex: ObservedExchange) => unknown): () => number {
  return () => {
    let done = 0;
    let ns = 0;
    for (let batch = 0; batch < 40; batch++) {
      const fresh = exchanges.map((ex) => structuredClone(ex));
      const start = process.hrtime.bigint();
      for (const ex of fresh) run(ex);
      ns += Number(process.hrtime.bigint() - start);
      done += fresh.length;
    }
    return done / (ns / 1e9);
  };
}

/**
 * What the background does per webRequest event besides the browser's own dispatch: TabCapture.push (pairing),
 * TabStore.upsert and judge() once an exchange ended, as src/background/main.ts does (persistence only marks a timer
 * per event; the badge calls the browser only when the count changes). Each round replays every recorded stream into
 * fresh tabs.
 */
function listenerRate(): number {
  const capture = new TabCapture('chrome');
  const store = new TabStore();
  let tab = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) {
    for (const s of streams) {
      tab++;
      for (const e of s.events) {
        if (e.details.type === 'main_frame') continue;
        const changed = capture.push({ event: e.event, details: { ...e.details, tabId: tab } });
        if (!changed) continue;
        const ended = changed.exchange.end.state !== 'pending';
        store.upsert(tab, { id: changed.id, startedAt: changed.startedAt, exchange: changed.exchange, blocked: ended && judge(changed.exchange).verdict === 'blocked' });
      }
      store.remove(tab);
      capture.remove(tab);
    }
  }
  return (eventCount * 20) / (Number(process.hrtime.bigint() - start) / 1e9);
}

export function engineBench(): BenchRow[] {
  const verdicts = rate('engine: judge() (verdict, reasons)', 'verdicts', freshRate(judge));
  const diag = rate('engine: diagnose() (with explanation)', 'diagnoses', freshRate(diagnose));
  const events = rate('correlator: events', 'events', () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) for (const s of streams) correlate(s.browser, s.events);
    return (eventCount * 20) / (Number(process.hrtime.bigint() - start) / 1e9);
  });
  const listener = rate('listener: capture + store + judge', 'events', listenerRate);
  const perSecond = (r: { median: number; min: number; max: number }): Pick<BenchRow, 'median' | 'spread'> => ({
    median: `${Math.round(r.median).toLocaleString('en-US')}/s`,
    spread: `${Math.round(r.min).toLocaleString('en-US')}–${Math.round(r.max).toLocaleString('en-US')}`,
  });
  const µs = (r: { median: number; min: number; max: number }): Pick<BenchRow, 'median' | 'spread'> => ({
    median: `${(1e6 / r.median).toFixed(2)} µs`,
    spread: `${(1e6 / r.max).toFixed(2)}–${(1e6 / r.min).toFixed(2)} µs`,
  });
  return [
    { target: 'engine: judge() ≥ 200,000/s', ...perSecond(verdicts), met: verdicts.median >= 200_000 },
    { target: 'engine: diagnose() ≥ 200,000/s', ...perSecond(diag), met: diag.median >= 200_000 },
    { target: 'listener: own work per webRequest event', ...µs(listener), met: null },
    { target: 'correlator: cost per event', ...µs(events), met: null },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = engineBench();
  const [verdicts, diag] = rows;
  console.log(`target ≥ 200,000/s: verdicts ${verdicts!.met ? 'met' : 'NOT met'}, full diagnoses ${diag!.met ? 'met' : 'NOT met'}`);
}
