// Prints how many diagnoses per second the engine makes on one core, and the correlator's cost per webRequest
// event, using the recorded conformance exchanges as the workload (`npm run bench:engine`).
import { correlate } from '../src/capture/correlate.ts';
import type { WebRequestEvent } from '../src/capture/webrequest.ts';
import { diagnose } from '../src/core/diagnose.ts';
import { judge } from '../src/core/judge.ts';
import type { ObservedExchange } from '../src/core/types.ts';
import { loadRecording } from '../test/conformance/corpus.ts';

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
function rate(label: string, unit: string, round: () => number): number {
  round(); // warm the JIT
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) rounds.push(round());
  rounds.sort((a, b) => a - b);
  const median = rounds[2]!;
  console.log(`${label.padEnd(40)} ${Math.round(median).toLocaleString('en-US').padStart(12)} ${unit}/s  (min ${Math.round(rounds[0]!).toLocaleString('en-US')}, max ${Math.round(rounds[4]!).toLocaleString('en-US')})`);
  return median;
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
const verdicts = rate('engine: judge() (verdict, reasons)', 'verdicts', freshRate(judge));
const diag = rate('engine: diagnose() (with explanation)', 'diagnoses', freshRate(diagnose));
const events = rate('correlator: events', 'events', () => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) for (const s of streams) correlate(s.browser, s.events);
  return (eventCount * 20) / (Number(process.hrtime.bigint() - start) / 1e9);
});
console.log(`target ≥ 200,000/s: verdicts ${verdicts >= 200_000 ? 'met' : 'NOT met'}, full diagnoses ${diag >= 200_000 ? 'met' : 'NOT met'}; correlator cost ${(1e6 / events).toFixed(2)} µs per event`);
