// Shared by the browser benchmarks: Chromium launched with or without an extension (Corsight's build or a generated
// one whose listeners do nothing), statistics over rounds, and the summary rows every bench returns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { NO_NETWORK_ARGS, chromePath, extensionArgs, freePort } from '../scripts/chromium.ts';

/** One line of the summary table `npm run bench` prints. */
export interface BenchRow {
  target: string;
  median: string;
  spread: string;
  met: boolean | null;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function machine(): string {
  const cpu = cpus();
  const [one, five] = loadavg();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, load average ${one!.toFixed(2)} (1 min) ${five!.toFixed(2)} (5 min), node ${process.version}`;
}

export function printTable(rows: readonly BenchRow[]): void {
  const head: BenchRow = { target: 'target', median: 'median', spread: 'min–max', met: null };
  const w = (k: 'target' | 'median' | 'spread'): number => Math.max(...[head, ...rows].map((r) => r[k].length));
  const line = (r: BenchRow, met: string): string => `${r.target.padEnd(w('target'))}  ${r.median.padStart(w('median'))}  ${r.spread.padEnd(w('spread'))}  ${met}`;
  console.log(line(head, 'met'));
  for (const r of rows) console.log(line(r, r.met === null ? '' : r.met ? 'yes' : 'NO'));
}

/** A webRequest listener set for a generated extension that does nothing with its events. */
export interface ListenerSet {
  /** [event, extraInfoSpec] pairs. */
  listeners: Array<[string, string[]]>;
  /** Restrict every listener to this tab id (a tab-filtered recording mode watching some other tab). */
  tabId?: number;
}

/** The 8 listeners with the header options a full recorder uses (test/conformance/recorder). */
export const EIGHT_LISTENERS: ListenerSet = {
  listeners: [
    ['onBeforeRequest', []],
    ['onBeforeSendHeaders', ['requestHeaders', 'extraHeaders']],
    ['onSendHeaders', ['requestHeaders', 'extraHeaders']],
    ['onHeadersReceived', ['responseHeaders', 'extraHeaders']],
    ['onBeforeRedirect', ['responseHeaders', 'extraHeaders']],
    ['onResponseStarted', ['responseHeaders', 'extraHeaders']],
    ['onCompleted', ['responseHeaders', 'extraHeaders']],
    ['onErrorOccurred', ['extraHeaders']],
  ],
};

/** Corsight's own set (src/background/capture.ts), doing nothing. */
export const SIX_LISTENERS: ListenerSet = {
  listeners: [
    ['onBeforeRequest', []],
    ['onSendHeaders', ['requestHeaders', 'extraHeaders']],
    ['onHeadersReceived', ['responseHeaders', 'extraHeaders']],
    ['onBeforeRedirect', []],
    ['onCompleted', []],
    ['onErrorOccurred', []],
  ],
};

function writeEmptyExtension(set: ListenerSet): string {
  const dir = mkdtempSync(join(tmpdir(), 'corsight-bench-ext-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'bench listeners',
      version: '1.0',
      permissions: ['webRequest'],
      host_permissions: ['<all_urls>'],
      background: { service_worker: 'bg.js' },
    }),
  );
  const filter = JSON.stringify({ urls: ['http://*/*', 'https://*/*'], ...(set.tabId === undefined ? {} : { tabId: set.tabId }) });
  const lines = set.listeners.map(([event, spec]) => `chrome.webRequest.${event}.addListener(() => {}, ${filter}${spec.length ? `, ${JSON.stringify(spec)}` : ''});`);
  writeFileSync(join(dir, 'bg.js'), `${lines.join('\n')}\n`);
  return dir;
}

export type Variant = { name: string; extension: 'none' } | { name: string; extension: 'dir'; dir: string } | { name: string; extension: 'empty'; set: ListenerSet };

export interface Launched {
  variant: Variant;
  context: BrowserContext;
  worker: Worker | null;
  /** CDP port on 127.0.0.1 (for puppeteer, which can attach to the service worker). */
  debuggingPort: number;
  close(): Promise<void>;
}

export async function launchVariant(variant: Variant, extraArgs: string[] = []): Promise<Launched> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'corsight-bench-'));
  const extDir = variant.extension === 'dir' ? variant.dir : variant.extension === 'empty' ? writeEmptyExtension(variant.set) : null;
  const debuggingPort = await freePort();
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromePath(),
    headless: true,
    ...(extDir ? { ignoreDefaultArgs: ['--disable-extensions'] } : {}),
    args: [...(extDir ? extensionArgs(extDir) : NO_NETWORK_ARGS), `--remote-debugging-port=${debuggingPort}`, ...extraArgs],
    viewport: { width: 1280, height: 900 },
  });
  let worker: Worker | null = null;
  if (extDir) {
    const isExt = (w: Worker): boolean => w.url().startsWith('chrome-extension://');
    worker = context.serviceWorkers().find(isExt) ?? (await context.waitForEvent('serviceworker', { predicate: isExt, timeout: 15_000 }));
    // The worker's listeners are live a moment after its target appears (scripts/chromium.ts extensionReady).
    await new Promise((r) => setTimeout(r, 800));
  }
  return {
    variant,
    context,
    worker,
    debuggingPort,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      if (variant.extension === 'empty' && extDir) rmSync(extDir, { recursive: true, force: true });
    },
  };
}
