// `corsight analyze <file.har> [--json]`: the engine on a HAR file, for CI. Exit 1 when a request was blocked,
// 0 when none was, 2 when the input cannot be read.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { diagnose, type Diagnosis } from '../core/diagnose.ts';
import { HAR_GAP_TEXT, parseHar, type HarExchange, type HarGap } from '../core/har.ts';
import { buildReport } from '../core/report.ts';
import type { Verdict } from '../core/types.ts';

/** Corsight's version, set by the CLI build (vite.config.ts cliConfig). */
declare const __CORSIGHT_VERSION__: string;

const USAGE = 'usage: corsight analyze <file.har> [--json]';

const LABEL: Record<Verdict, string> = {
  blocked: 'Blocked',
  allowed: 'Allowed',
  'not-cors': 'Not CORS',
  'network-error': 'Failed',
  // A finished HAR has no request in flight: "pending" means the HAR did not record how it ended.
  pending: 'Unknown',
};

interface CliResult {
  code: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

/** The sentence for one request; a block the HAR cannot explain says so instead of the webRequest wording. */
function sentence(d: Diagnosis, gaps: readonly HarGap[]): string {
  if (d.verdict === 'blocked' && d.corsError === null && d.firefoxReason === null && d.mode === 'cors') {
    return 'Blocked by the browser; this HAR does not keep what says why.';
  }
  if (d.verdict === 'pending' && gaps.includes('ending')) return 'The HAR does not say how this request ended.';
  return d.summary;
}

function summary(file: string, creator: string, exchanges: ReadonlyArray<{ h: HarExchange; d: Diagnosis }>, gaps: readonly HarGap[]): string {
  const shown = exchanges.filter(({ d }) => d.verdict !== 'not-cors');
  const lines = [`${basename(file)}: ${creator}`];
  const width = Math.max(0, ...shown.map(({ h }) => h.exchange.hops[0]?.method.length ?? 0));
  for (const { h, d } of shown) {
    const first = h.exchange.hops[0];
    lines.push(`${LABEL[d.verdict].padEnd(8)} ${(first?.method ?? '').padEnd(width)} ${first?.url ?? ''}  ${sentence(d, h.gaps)}`);
  }
  const count = (v: Verdict): number => shown.filter(({ d }) => d.verdict === v).length;
  const parts = (['blocked', 'allowed', 'network-error', 'pending'] as const).filter((v) => count(v) > 0).map((v) => `${count(v)} ${LABEL[v].toLowerCase()}`);
  lines.push(`${shown.length} cross-origin request${shown.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}.`);
  if (gaps.length) {
    lines.push('What this HAR cannot tell:');
    for (const g of gaps) lines.push(`  - ${HAR_GAP_TEXT[g]}`);
  }
  return `${lines.join('\n')}\n`;
}

function run(args: readonly string[]): CliResult {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  if (rest[0] !== 'analyze' || rest.length !== 2) return { code: 2, stdout: '', stderr: `${USAGE}\n` };
  const file = rest[1]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { code: 2, stdout: '', stderr: `corsight: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n` };
  }
  const har = parseHar(text);
  if (!har.ok) return { code: 2, stdout: '', stderr: `corsight: ${file}: ${har.error}\n` };
  const exchanges = har.exchanges.map((h) => ({ h, d: diagnose(h.exchange) }));
  const code = exchanges.some(({ d }) => d.verdict === 'blocked') ? 1 : 0;
  if (!json) return { code, stdout: summary(file, har.source.creator, exchanges, har.gaps), stderr: '' };
  const report = buildReport({
    tab: { id: 0, url: null },
    browser: har.source.browser,
    version: __CORSIGHT_VERSION__,
    dropped: 0,
    source: { kind: 'har', file: basename(file), creator: har.source.creator },
    records: exchanges.map(({ h, d }) => ({ id: h.id, startedAt: h.startedAt, exchange: h.exchange, diagnosis: d, cannotTell: h.gaps.map((g) => HAR_GAP_TEXT[g]) })),
  });
  return { code, stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: '' };
}

// `corsight analyze x.har | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});
const result = run(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
