// The live proof: for recorded blocked Chromium exchanges, the generated snippet runs on the real server and real
// Chromium lets exactly that request through from the allowed origin, and refuses it with a CORS error from another.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChrome, chromePath, NO_NETWORK_ARGS } from '../../scripts/chromium.ts';
import { correlate } from '../../src/capture/correlate.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import { GENERATORS, PROVEN_SERVERS } from '../../src/core/snippets/index.ts';
import { policyFromDiagnosis } from '../../src/core/snippets/policy.ts';
import type { CorsPolicy } from '../../src/core/snippets/types.ts';
import { loadRecording, loadScenarios } from '../conformance/corpus.ts';
import { pageFetch, scenarioFetchArgs, type PageFetchArgs, type PageFetchResult } from '../conformance/page-fetch.ts';
import type { Scenario } from '../conformance/scenario.ts';
import { RUNNERS } from './runners/index.ts';

/** Blocked in Chromium as recorded: a plain GET, a credentialed GET, PUT + custom header (preflight), the same
 *  with credentials, a DELETE preflight, and a lower-case "patch" (sent as is: only some servers accept it). */
const CASES = [
  'simple-no-acao',
  'cred-acac-missing',
  'preflight-acah-missing',
  'preflight-acah-star-credentials',
  'trigger-delete-no-preflight-answer',
  'trigger-patch-lowercase-no-preflight-answer',
];

interface Case {
  scenario: Scenario;
  /** The policy Corsight derives from the recorded exchange, origin still the recorded one. */
  policy: CorsPolicy;
}

function recordedCases(): Case[] {
  const rec = loadRecording('chrome');
  if (!rec) throw new Error('no Chromium recording: npm run record');
  const scenarios = new Map(loadScenarios().map((s) => [s.id, s]));
  return CASES.map((id) => {
    const fetch = rec.scenarios.find((s) => s.id === id)?.fetches[0];
    const scenario = scenarios.get(id);
    if (!fetch || !scenario) throw new Error(`${id} is not recorded`);
    // The recorded browser's own verdict: these are exchanges Chromium blocked.
    expect(fetch.oracle.fetch, id).toBe('rejected');
    const ex = correlate(rec.browser, fetch.events)[0]!.exchange;
    const policy = policyFromDiagnosis(ex, diagnose(ex));
    if (!policy) throw new Error(`${id}: no policy`);
    return { scenario, policy };
  });
}

/** One request's outcome as the page and CDP saw it. */
interface Outcome {
  page: PageFetchResult;
  corsError: string | null;
}

let browser: Browser;
let pages: { allowed: Page; foreign: Page };
let cdp: CDPSession[] = [];
const failures = new Map<string, string | null>();
let pageServer: Server;
let pagePort: number;
let run = 0;

async function openPage(origin: string): Promise<Page> {
  const page = await browser.newPage();
  const session = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  session.on('Network.requestWillBeSent', (e) => {
    if (e.type === 'Fetch' && e.initiator.type !== 'preflight') urls.set(e.requestId, e.request.url);
  });
  session.on('Network.loadingFailed', (e) => {
    const url = urls.get(e.requestId);
    if (url) failures.set(url, e.corsErrorStatus?.corsError ?? null);
  });
  await session.send('Network.enable');
  cdp.push(session);
  await page.goto(`${origin}/`);
  return page;
}

async function replay(page: Page, args: PageFetchArgs): Promise<Outcome> {
  const result = await page.evaluate(pageFetch, args);
  // loadingFailed may trail the rejected promise by a moment.
  for (let i = 0; i < 40 && result.fetch === 'rejected' && !failures.has(args.url); i++) await new Promise((r) => setTimeout(r, 25));
  return { page: result, corsError: failures.get(args.url) ?? null };
}

const cases = recordedCases();
const counts = { passed: 0, refused: 0, serverRefusedMethod: 0 };

beforeAll(async () => {
  pageServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>proof</title>'));
  await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', r));
  pagePort = (pageServer.address() as AddressInfo).port;
  const executablePath = chromePath();
  assertChrome(executablePath);
  browser = await chromium.launch({ executablePath, headless: true, args: NO_NETWORK_ARGS });
  pages = { allowed: await openPage(`http://localhost:${pagePort}`), foreign: await openPage(`http://127.0.0.1:${pagePort}`) };
});

afterAll(async () => {
  console.log(`snippet proof: ${counts.passed} case×server passes from the allowed origin, ${counts.refused} refused from a foreign origin, ` +
    `${counts.serverRefusedMethod} where the server itself refuses the method (as its notes say)`);
  await browser?.close();
  await new Promise((r) => pageServer?.close(r));
});

it('proves exactly the servers that have a runner', () => {
  expect([...PROVEN_SERVERS].sort()).toEqual(RUNNERS.map((r) => r.server).sort());
});

for (const runner of RUNNERS) {
  describe(runner.server, () => {
    it('can run here', () => {
      // A proven server that cannot run is a failure, never a skip.
      expect(runner.unavailable(), `${runner.server} is listed as proven`).toBeNull();
    });
    it('fails without a header the request needs (the proof can fail)', async () => {
      const c = cases.find((x) => x.policy.allowHeaders.length > 0)!;
      const policy: CorsPolicy = { ...c.policy, origin: `http://localhost:${pagePort}`, allowHeaders: [] };
      const server = await runner.start({ ...GENERATORS[runner.server](policy), proven: true }, policy);
      try {
        const outcome = await replay(pages.allowed, scenarioFetchArgs(c.scenario, `${server.baseUrl}${policy.path}?run=${++run}`));
        expect(outcome.page.fetch).toBe('rejected');
        // Which check fails depends on the server (some refuse the whole preflight): Chromium names a CORS error.
        expect(outcome.corsError).toMatch(/^(Preflight|HeaderDisallowed)/);
      } finally {
        await server.stop();
      }
    });
    for (const c of cases) {
      it(`${c.scenario.id}: passes from the allowed origin, refused from a foreign one`, async () => {
        if (runner.unavailable() !== null) throw new Error(runner.unavailable()!);
        const allowedOrigin = `http://localhost:${pagePort}`;
        const policy: CorsPolicy = { ...c.policy, origin: allowedOrigin };
        const snippet = { ...GENERATORS[runner.server](policy), proven: true };
        const server = await runner.start(snippet, policy);
        try {
          const url = (): string => `${server.baseUrl}${policy.path}?run=${++run}`;
          const allowed = await replay(pages.allowed, scenarioFetchArgs(c.scenario, url()));
          const refusal = runner.refusesMethod?.(policy.method) ?? null;
          if (refusal !== null) {
            // The server answers 400 before the snippet runs: the snippet must say so, and Chromium must indeed fail.
            expect(snippet.notes.join('\n')).toContain(`"${policy.method}"`);
            expect(allowed.page.fetch, refusal).toBe('rejected');
            counts.serverRefusedMethod++;
            return;
          }
          expect(allowed, snippet.code).toEqual({ page: { fetch: 'resolved', status: 200, error: null }, corsError: null });
          counts.passed++;
          const foreign = await replay(pages.foreign, scenarioFetchArgs(c.scenario, url()));
          expect(foreign.page.fetch, snippet.code).toBe('rejected');
          expect(foreign.corsError, 'Chromium names a CORS error for the foreign origin').not.toBeNull();
          counts.refused++;
        } finally {
          await server.stop();
        }
      });
    }
  });
}
