// What Corsight costs a page: a burst of 500 cross-origin fetches (half preflighted, a fifth blocked) timed until all
// settle, in Chromium without an extension, with listeners that do nothing, and with Corsight; one browser per
// variant, all open at once, rounds interleaved round-robin so machine noise hits every variant alike.
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { outDir } from '../vite.config.ts';
import { startBurstServers } from './burst-server.ts';
import { EIGHT_LISTENERS, SIX_LISTENERS, fmt, launchVariant, machine, printTable, stats, type BenchRow, type Launched, type Variant } from './lib.ts';

const FETCHES = 500;

/** A tab id no tab has: listeners filtered to it are what a recording mode watching only open panels registers for
 *  some other tab, as this page's tab sees them. */
const OTHER_TAB = 2_000_000_000;

const VARIANTS: Variant[] = [
  { name: 'none', extension: 'none' },
  { name: '8 empty', extension: 'empty', set: EIGHT_LISTENERS },
  { name: '6 empty', extension: 'empty', set: SIX_LISTENERS },
  { name: '6 empty, other tab', extension: 'empty', set: { ...SIX_LISTENERS, tabId: OTHER_TAB } },
  { name: 'Corsight', extension: 'dir', dir: outDir('chrome') },
];

interface Run {
  launched: Launched;
  page: Page;
}

async function burst(run: Run, tag: string, latency: number, api: string): Promise<number> {
  // A navigation empties Corsight's list, so every round starts from the same state in every variant.
  await run.page.reload();
  const result = await run.page.evaluate(
    ([n, t, d, a]) => (window as unknown as { burst(n: number, t: string, d: number, a: string): Promise<{ ms: number; failed: number }> }).burst(n, t, d, a),
    [FETCHES, tag, latency, api] as const,
  );
  // 1 in 10 blocked at the response and 1 in 10 at the preflight, or the workload is not what it claims.
  if (result.failed !== FETCHES / 5) throw new Error(`expected ${FETCHES / 5} blocked fetches, got ${result.failed}`);
  return result.ms;
}

export async function pageOverhead(options: { rounds?: number; latencyRounds?: number } = {}): Promise<BenchRow[]> {
  const rounds = options.rounds ?? 7;
  const latencyRounds = options.latencyRounds ?? 5;
  const servers = await startBurstServers();
  const runs: Run[] = [];
  try {
    for (const variant of VARIANTS) {
      const launched = await launchVariant(variant);
      const page = launched.context.pages()[0] ?? (await launched.context.newPage());
      await page.goto(servers.pageUrl);
      runs.push({ launched, page });
    }
    const times = new Map<string, Record<number, number[]>>(VARIANTS.map((v) => [v.name, { 0: [], 20: [] }]));
    let tag = 0;
    for (const [latency, n, names] of [
      [0, rounds, VARIANTS.map((v) => v.name) as string[]],
      [20, latencyRounds, ['none', '8 empty', 'Corsight'] as string[]],
    ] as const) {
      const active = runs.filter((r) => names.includes(r.launched.variant.name));
      // One unmeasured round warms every browser's connections and the servers.
      for (const run of active) await burst(run, `w${tag++}`, latency, servers.apiOrigin);
      for (let round = 0; round < n; round++) {
        // Rotate who goes first: the first run after a pause is often slower.
        for (let i = 0; i < active.length; i++) {
          const run = active[(i + round) % active.length]!;
          times.get(run.launched.variant.name)![latency]!.push(await burst(run, `r${tag++}`, latency, servers.apiOrigin));
        }
      }
    }
    // Ratios per round (same round, same machine state), then their median and spread.
    const ratio = (a: string, b: string, latency: number): ReturnType<typeof stats> => {
      const xs = times.get(a)![latency]!;
      const ys = times.get(b)![latency]!;
      return stats(xs.map((x, i) => x / ys[i]!));
    };
    console.log(`page overhead: ${FETCHES} fetches per burst, ${rounds} rounds at 0 ms and ${latencyRounds} at 20 ms latency; ${machine()}`);
    for (const latency of [0, 20]) {
      for (const v of VARIANTS) {
        const xs = times.get(v.name)![latency]!;
        if (xs.length === 0) continue;
        const s = stats(xs);
        const r = v.name === 'none' ? null : ratio(v.name, 'none', latency);
        console.log(
          `  ${String(latency).padStart(2)} ms  ${v.name.padEnd(20)} ${fmt(s.median).padStart(6)} ms (${fmt(s.min)}–${fmt(s.max)})` +
            (r ? `  ×${r.median.toFixed(2)} vs none (${r.min.toFixed(2)}–${r.max.toFixed(2)})` : ''),
        );
      }
    }
    const row = (target: string, s: ReturnType<typeof stats>, limit: number | null): BenchRow => ({
      target,
      median: `×${s.median.toFixed(2)}`,
      spread: `${s.min.toFixed(2)}–${s.max.toFixed(2)}`,
      met: limit === null ? null : s.median <= limit,
    });
    return [
      row('page: Corsight / 8 empty listeners (0 ms) ≤ 1.00', ratio('Corsight', '8 empty', 0), 1),
      row('page: Corsight / none (0 ms)', ratio('Corsight', 'none', 0), null),
      row('page: 8 empty / none (0 ms)', ratio('8 empty', 'none', 0), null),
      row('page: 6 empty / none (0 ms)', ratio('6 empty', 'none', 0), null),
      row('page: 6 empty on another tab / none (0 ms)', ratio('6 empty, other tab', 'none', 0), null),
      row('page: Corsight / none (20 ms) ≤ 1.05', ratio('Corsight', 'none', 20), 1.05),
      row('page: 8 empty / none (20 ms)', ratio('8 empty', 'none', 20), null),
    ];
  } finally {
    for (const run of runs) await run.launched.close();
    await servers.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable(await pageOverhead());
