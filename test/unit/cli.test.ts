// The `corsight` command built as the build builds it (vite cliConfig), run as a child process on the HAR that
// Chromium recorded (npm run record:har): exit codes, the readable summary and the corsight-report/1 JSON.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose.ts';
import { parseHar } from '../../src/core/har.ts';
import { REPORT_SCHEMA, type Report } from '../../src/core/report.ts';
import { cliConfig } from '../../vite.config.ts';
import type { HarRecording } from '../conformance/har-recorder.ts';
import { HAR_FIXTURE, HAR_ORACLE_FIXTURE, harFixture } from '../conformance/record-har.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const dir = mkdtempSync(join(tmpdir(), 'corsight-cli-'));
const cli = join(dir, 'corsight.js');
const oracle = JSON.parse(readFileSync(HAR_ORACLE_FIXTURE, 'utf8')) as HarRecording;

function corsight(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // Run as a user runs it: the file itself, through its shebang.
    execFile(cli, args, { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** The real HAR with only the entries whose fetch Chromium allowed (and the page's own load). */
function allowedOnlyHar(): string {
  const har = JSON.parse(readFileSync(HAR_FIXTURE, 'utf8')) as { log: { entries: Array<{ request: { url: string } }> } };
  const allowed = oracle.oracles.filter((o) => o.oracle.fetch === 'resolved' && o.oracle.status !== 0).map((o) => o.marker);
  const blockedMarkers = oracle.oracles.filter((o) => !allowed.includes(o.marker)).map((o) => o.marker);
  har.log.entries = har.log.entries.filter((e) => !blockedMarkers.some((m) => e.request.url.includes(m)));
  const path = join(dir, 'allowed.har');
  writeFileSync(path, JSON.stringify(har));
  return path;
}

beforeAll(async () => {
  await build(cliConfig('9.9.9', dir));
  chmodSync(cli, 0o755);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('corsight analyze', () => {
  it('prints one line per cross-origin request and a total, and exits 1 when one was blocked', async () => {
    const r = await corsight('analyze', HAR_FIXTURE);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^chromium-playwright\.har: Playwright [\d.]+ \(chromium [\d.]+\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^Allowed {2}GET +http:\/\/127\.0\.0\.1:\d+\/s\/simple-acao-exact\/\w+\/0 {2}Allowed: every CORS check passed\.$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Blocked {2}GET +http:\/\/127\.0\.0\.1:\d+\/s\/simple-no-acao\/\w+\/0 {2}Blocked by the browser; this HAR does not keep what says why\.$/));
    expect(r.stdout).toMatch(/^\d+ cross-origin requests: \d+ blocked, \d+ allowed/m);
    expect(r.stdout).toContain('What this HAR cannot tell:\n  - the preflight:');
  });

  it('exits 0 when no request was blocked', async () => {
    const r = await corsight('analyze', allowedOnlyHar());
    expect(r.stdout).not.toMatch(/^Blocked/m);
    expect(r.stdout).toMatch(/^\d+ cross-origin requests: \d+ allowed\.$/m);
    expect(r.code).toBe(0);
  });

  it('--json prints the corsight-report/1 report of every request', async () => {
    const r = await corsight('analyze', HAR_FIXTURE, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.schema).toBe(REPORT_SCHEMA);
    expect(report.generator).toEqual({ name: 'corsight', version: '9.9.9', browser: 'chrome' });
    const exact = report.exchanges.find((e) => e.url.includes('/s/simple-acao-exact/'));
    expect(exact).toMatchObject({ verdict: 'allowed', method: 'GET', origin: oracle.origins.page });
    expect(report.exchanges.filter((e) => e.verdict === 'blocked').length).toBeGreaterThan(100);
    // What the HAR could not tell travels with the JSON too, per request.
    expect(report.source).toMatchObject({ kind: 'har', file: basename(HAR_FIXTURE) });
    const blocked = report.exchanges.find((e) => e.url.includes('/s/simple-no-acao/'))!;
    expect(blocked.cannotTell).toEqual(expect.arrayContaining([expect.stringMatching(/^the response of a blocked request/)]));
  });

  it("on a Chrome DevTools HAR, names Chromium's own reason for each blocked request", async () => {
    const files = harFixture('devtools');
    const rec = JSON.parse(readFileSync(files.oracle, 'utf8')) as HarRecording;
    const r = await corsight('analyze', files.har, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const blocked = rec.oracles.filter((o) => o.oracle.chrome?.corsError);
    expect(blocked.length).toBeGreaterThan(150);
    const differ = blocked.filter((o) => {
      const e = report.exchanges.find((x) => x.url.includes(o.marker));
      return e?.verdict !== 'blocked' || e.corsError !== o.oracle.chrome?.corsError || e.failedParameter !== o.oracle.chrome?.failedParameter;
    });
    // Where the HAR cannot tell the credentials mode or the page's header order, the report gives one of the
    // browser's possible answers (the panel lists the others): only there may it differ.
    const har = parseHar(readFileSync(files.har, 'utf8'));
    const ambiguous = (marker: string): boolean => {
      const h = har.ok ? har.exchanges.find((e) => e.exchange.hops[0]?.url.includes(marker)) : undefined;
      const d = h ? diagnose(h.exchange) : null;
      return d !== null && (d.ifCredentialed !== null || d.alternatives.length > 0);
    };
    expect(differ.filter((o) => !ambiguous(o.marker)).map((o) => o.id)).toEqual([]);
    const text = await corsight('analyze', files.har);
    expect(text.stdout).toMatch(/^Blocked {2}GET +http:\/\/127\.0\.0\.1:\d+\/s\/simple-no-acao\/\w+\/0 {2}The response has no Access-Control-Allow-Origin header\.$/m);
  });

  it('exits 2 with a clear message on unreadable input', async () => {
    const missing = await corsight('analyze', join(dir, 'missing.har'));
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^corsight: cannot read .*missing\.har: ENOENT/);
    const notJson = join(dir, 'not.har');
    writeFileSync(notJson, '<html>');
    const bad = await corsight('analyze', notJson);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/not a HAR file: the text is not JSON/);
    const usage = await corsight('inspect', HAR_FIXTURE);
    expect(usage).toEqual({ code: 2, stdout: '', stderr: 'usage: corsight analyze <file.har> [--json]\n' });
  });
});
