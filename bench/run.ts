// `npm run bench`: every benchmark in sequence (engine, page overhead, panel and memory at scale), then one summary
// table. Each also runs alone: `tsx bench/<name>.ts`.
import { engineBench } from './engine.ts';
import { machine, printTable, type BenchRow } from './lib.ts';
import { pageOverhead } from './page-overhead.ts';
import { panelScale } from './panel-scale.ts';

const started = Date.now();
const rows: BenchRow[] = [];
console.log(`machine: ${machine()}\n`);
rows.push(...engineBench());
console.log();
rows.push(...(await pageOverhead({ rounds: 4, latencyRounds: 3 })));
console.log();
rows.push(...(await panelScale({ opens: 3 })));
console.log(`\nsummary (${((Date.now() - started) / 1000).toFixed(0)} s; ${machine()})\n`);
printTable(rows);
