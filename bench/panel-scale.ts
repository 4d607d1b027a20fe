// Corsight at 10,000 exchanges in one tab, captured live in Chromium: the panel (first rows painted, a filter
// keystroke, scrolling, opening a detail view), the background's heap after GC, the persisted store, the bound and
// its "dropped" count; then 50 tabs × 1,000 exchanges for the heap and the store.
import { pathToFileURL } from 'node:url';
import type { CDPSession as PlaywrightCDP, Page } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser, type CDPSession } from 'puppeteer-core';
import { waitFor } from '../scripts/chromium.ts';
import { readSnapshot } from '../scripts/panel-reader.ts';
import { Persister, type SessionArea } from '../src/background/persist.ts';
import { MAX_EXCHANGES_PER_TAB, TabStore } from '../src/background/tab-store.ts';
import { judge } from '../src/core/judge.ts';
import type { ExchangeRecord } from '../src/protocol/messages.ts';
import { outDir } from '../vite.config.ts';
import { startBurstServers, type BurstServers } from './burst-server.ts';
import { fmt, launchVariant, machine, printTable, stats, type BenchRow, type Launched } from './lib.ts';

/** The chrome.* members evaluated in the service worker (no @types/chrome here). */
declare const chrome: {
  tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>> };
  storage: { session: { getBytesInUse(keys: null): Promise<number>; QUOTA_BYTES: number } };
};

const BURST = 500;
const SESSION_QUOTA = 10 * 1024 * 1024;

type BurstWindow = { burst(n: number, t: string, d: number, a: string): Promise<{ ms: number; failed: number }> };

async function fill(page: Page, servers: BurstServers, count: number, tag: string): Promise<void> {
  for (let done = 0; done < count; done += BURST) {
    const n = Math.min(BURST, count - done);
    await page.evaluate(([n, t, a]) => (window as unknown as BurstWindow).burst(n, t, 0, a), [n, `${tag}-${done}`, servers.apiOrigin] as const);
  }
}

async function tabIdOf(launched: Launched, url: string): Promise<number[]> {
  const tabs = await launched.worker!.evaluate(() => chrome.tabs.query({}));
  return tabs.filter((t) => t.url === url && t.id !== undefined).map((t) => t.id!);
}

/** Heap of the background's service worker after a full GC, in MB. */
async function workerHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

/** storage.session bytes in use, asked from an extension page (the worker may have been stopped). */
function sessionBytes(ext: Page): Promise<number> {
  return ext.evaluate(() => chrome.storage.session.getBytesInUse(null));
}

async function workerSession(client: PuppeteerBrowser): Promise<CDPSession> {
  const sw = await client.waitForTarget((t) => t.type() === 'service_worker');
  return sw.createCDPSession();
}

async function stopWorker(control: PlaywrightCDP): Promise<void> {
  await control.send('ServiceWorker.stopAllWorkers');
  // Give the browser a moment to tear the old worker down before the next connect starts a new one.
  await new Promise((r) => setTimeout(r, 500));
}

/** Fake tab ids for the 50 restored tabs (no real tab has them, so nothing closes them). */
const FIRST_FAKE_TAB = 1_000_000_000;

/** storage.session items for `tabs` tabs each holding `records` (new ids), exactly as the background writes them. */
async function persistedTabs(records: readonly ExchangeRecord[], tabs: number): Promise<Record<string, unknown>> {
  const data = new Map<string, unknown>();
  const area: SessionArea = {
    get: async () => Object.fromEntries(data),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => data.set(k, v)),
    remove: async (keys) => void keys.forEach((k) => data.delete(k)),
  };
  const store = new TabStore();
  const persister = new Persister(area, { hasTab: (t) => store.has(t), meta: (t) => store.meta(t), entries: (t) => store.entries(t), pending: () => null });
  for (let t = 0; t < tabs; t++) {
    const tabId = FIRST_FAKE_TAB + t;
    store.setUrl(tabId, `http://localhost/tab-${t}`);
    const seqs: number[] = [];
    for (const r of records) {
      const up = store.upsert(tabId, { id: `${t}.${r.id}`, startedAt: r.startedAt, exchange: r.exchange, blocked: judge(r.exchange).verdict === 'blocked' });
      seqs.push(up!.stored.seq);
    }
    persister.exchanges(tabId, seqs);
  }
  await persister.flush();
  return Object.fromEntries(data);
}

/** The background's answer to a subscribe: exchange count and dropped count (what any panel is sent). */
async function snapshotCounts(ext: Page, tabId: number): Promise<{ exchanges: number; dropped: number }> {
  return ext.evaluate(
    (tabId) =>
      new Promise((resolve) => {
        const port = (globalThis as unknown as { chrome: { runtime: { connect(i: object): { postMessage(m: unknown): void; disconnect(): void; onMessage: { addListener(l: (m: { type: string; following?: number; snapshot?: { exchanges: unknown[]; dropped: number } }) => void): void } } } } }).chrome.runtime.connect({ name: 'corsight-panel' });
        port.onMessage.addListener((m) => {
          if (m.type !== 'snapshot' || !m.snapshot) return;
          port.disconnect();
          // The rest of a big tab follows in upserts: counting them is enough here.
          resolve({ exchanges: m.snapshot.exchanges.length + (m.following ?? 0), dropped: m.snapshot.dropped });
        });
        port.postMessage({ type: 'subscribe', version: 1, tabId });
      }),
    tabId,
  );
}

/** Runs in the panel before its scripts: when the first row appears, and when the frame holding it has painted. */
function panelProbe(): void {
  const w = window as unknown as { __firstRow?: number; __painted?: number; __all?: number; __long: number[] };
  w.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__long.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  const seen = new MutationObserver(() => {
    if (w.__all === undefined && document.querySelector('[data-testid="request-count"]')?.textContent === '10,000 requests') {
      w.__all = performance.now();
      seen.disconnect();
    }
    if (w.__firstRow !== undefined || !document.querySelector('[data-testid="request-row"]')) return;
    w.__firstRow = performance.now();
    requestAnimationFrame(() => setTimeout(() => (w.__painted = performance.now())));
  });
  document.addEventListener('DOMContentLoaded', () => seen.observe(document.body, { childList: true, subtree: true, characterData: true }));
}

/** From navigation start (the panel opening) to its first rows painted, and to all 10,000 listed, in ms. */
async function openPanel(panel: Page, url: string): Promise<{ first: number; all: number }> {
  await panel.goto(url);
  const times = await panel.waitForFunction(
    () => {
      const w = window as unknown as { __painted?: number; __all?: number };
      return w.__painted !== undefined && w.__all !== undefined ? { first: w.__painted, all: w.__all } : undefined;
    },
    undefined,
    { timeout: 30_000 },
  );
  return times.jsonValue() as Promise<{ first: number; all: number }>;
}

/** Sets the filter as one keystroke would and waits for the frame after the list re-rendered. */
function filterKeystroke(panel: Page, text: string): Promise<number> {
  return panel.evaluate(async (text) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="filter"]')!;
    const t0 = performance.now();
    input.value = text;
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    return performance.now() - t0;
  }, text);
}

/** Clicks row `index` in view and waits for the detail view's first paint. */
function openDetail(panel: Page, index: number): Promise<number> {
  return panel.evaluate(async (index) => {
    const rows = document.querySelectorAll<HTMLElement>('[data-testid="request-row"]');
    const t0 = performance.now();
    rows[index]!.click();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    if (!document.querySelector('[data-testid="detail"]')) throw new Error('no detail view');
    return performance.now() - t0;
  }, index);
}

/** Long tasks while the list scrolls down and back up by mouse wheel. */
async function scroll(panel: Page): Promise<number[]> {
  await panel.evaluate(() => ((window as unknown as { __long: number[] }).__long = []));
  const box = (await panel.getByTestId('request-list-body').boundingBox())!;
  await panel.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (const dy of [...Array(30).fill(3000), ...Array(10).fill(-9000)] as number[]) {
    await panel.mouse.wheel(0, dy);
    await panel.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  }
  return panel.evaluate(() => (window as unknown as { __long: number[] }).__long);
}

export async function panelScale(options: { opens?: number; tabs?: number; perTab?: number } = {}): Promise<BenchRow[]> {
  const opens = options.opens ?? 5;
  const tabs = options.tabs ?? 50;
  const perTab = options.perTab ?? 1000;
  const servers = await startBurstServers();
  const launched = await launchVariant({ name: 'Corsight', extension: 'dir', dir: outDir('chrome') });
  const client = await puppeteer.connect({ browserURL: `http://127.0.0.1:${launched.debuggingPort}` });
  const rows: BenchRow[] = [];
  try {
    const cdp = await workerSession(client);
    const page = launched.context.pages()[0] ?? (await launched.context.newPage());
    await page.goto(servers.pageUrl);
    const [tabId] = await tabIdOf(launched, servers.pageUrl);
    const t0 = Date.now();
    await fill(page, servers, 10_000, 'scale');
    console.log(`panel at scale: 10,000 fetches captured in ${fmt((Date.now() - t0) / 1000, 1)} s; ${machine()}`);
    await new Promise((r) => setTimeout(r, 2500));
    const heap1 = await workerHeap(cdp);
    const ext = await launched.context.newPage();
    await ext.goto(`chrome-extension://${new URL(launched.worker!.url()).host}/panel.html?tabId=999999999`);
    const bytes1 = await sessionBytes(ext);
    const held = await snapshotCounts(ext, tabId!);
    // Nothing lost: stop the worker; the next subscribe wakes it, and it answers from what it persisted.
    const control = await launched.context.newCDPSession(ext);
    await control.send('ServiceWorker.enable');
    await stopWorker(control);
    const restored = (await snapshotCounts(ext, tabId!)).exchanges;
    const heapRestored = await workerHeap(await workerSession(client));

    // The panel, opened as a tab on the full tab.
    await launched.context.addInitScript(panelProbe);
    const panel = await launched.context.newPage();
    const url = `chrome-extension://${new URL(launched.worker!.url()).host}/panel.html?tabId=${tabId}`;
    const firstRows: number[] = [];
    const allRows: number[] = [];
    for (let i = 0; i < opens; i++) {
      const { first, all } = await openPanel(panel, url);
      firstRows.push(first);
      allRows.push(all);
    }
    const shown = await panel.getByTestId('request-count').textContent();
    const keys: number[] = [];
    for (const text of ['i', 'i=', 'i=1', 'i=12', 'i=123', 'i=12', 'i=1', 'i=', 'i', '', 'p', 'pu', 'put', 'pu', 'p', '']) keys.push(await filterKeystroke(panel, text));
    const longTasks = await scroll(panel);
    const details: number[] = [];
    for (let i = 0; i < 6; i++) details.push(await openDetail(panel, 2 + i));
    await panel.close();

    // The bound: 500 more than it holds.
    const before = await snapshotCounts(ext, tabId!);
    await fill(page, servers, BURST, 'over');
    await new Promise((r) => setTimeout(r, 2500));
    const after = await snapshotCounts(ext, tabId!);
    const bytesFull = await sessionBytes(ext);

    // 50 tabs × 1,000: written into storage.session the way the background persists (Persister, in Node), from
    // exchanges this run captured, then read back by a restarted worker. Capturing 50,000 fetches live takes minutes
    // on 2 cores; the heap after a restore holds the same objects a live capture would (shared header lines too).
    const captured = (await readSnapshot(ext, tabId!)).exchanges.slice(0, perTab);
    await page.close();
    await waitFor('the closed tab to leave the store', async () => ((await snapshotCounts(ext, tabId!)).exchanges === 0 ? true : undefined));
    const items = await persistedTabs(captured, tabs);
    await ext.evaluate((items) => (globalThis as unknown as { chrome: { storage: { session: { set(i: object): Promise<void> } } } }).chrome.storage.session.set(items), items);
    const ids = Array.from({ length: tabs }, (_, i) => FIRST_FAKE_TAB + i);
    await stopWorker(control);
    let heldMany = 0;
    for (const id of ids) heldMany += (await snapshotCounts(ext, id)).exchanges;
    const heapMany = await workerHeap(await workerSession(client));
    const bytesMany = await sessionBytes(ext);

    const ms = (xs: number[]): Pick<BenchRow, 'median' | 'spread'> => {
      const s = stats(xs);
      return { median: `${fmt(s.median)} ms`, spread: `${fmt(s.min)}–${fmt(s.max)} ms` };
    };
    const worstLong = longTasks.length ? Math.max(...longTasks) : 0;
    const mb = (b: number): string => `${fmt(b / 2 ** 20, 1)} MB`;
    console.log(`  panel shows "${shown}"; background held ${held.exchanges} (bound ${MAX_EXCHANGES_PER_TAB}); long tasks while scrolling: ${longTasks.map((d) => fmt(d)).join(', ') || 'none'}`);
    rows.push(
      { target: 'panel: open → first rows painted < 300 ms', ...ms(firstRows), met: stats(firstRows).median < 300 },
      { target: 'panel: open → all 10,000 rows listed', ...ms(allRows), met: null },
      { target: 'panel: filter keystroke → repaint < 50 ms', ...ms(keys), met: stats(keys).max < 50 },
      { target: 'panel: scrolling, longest task ≤ 50 ms', median: `${fmt(worstLong)} ms`, spread: `${longTasks.length} long tasks`, met: worstLong <= 50 },
      { target: 'panel: detail view opens < 100 ms', ...ms(details), met: stats(details).max < 100 },
      { target: 'memory: heap, 10,000 in one tab ≤ 30 MB', median: `${fmt(heap1, 1)} MB`, spread: `${held.exchanges} held`, met: heap1 <= 30 && held.exchanges === 10_000 },
      { target: 'memory: heap, 50 tabs × 1,000 ≤ 30 MB', median: `${fmt(heapMany, 1)} MB`, spread: `${heldMany} restored of ${tabs * perTab}`, met: heapMany <= 30 && heldMany === tabs * perTab },
      { target: 'store: storage.session, 10,000 in one tab', median: mb(bytes1), spread: `quota ${mb(SESSION_QUOTA)}`, met: bytes1 < SESSION_QUOTA },
      { target: 'store: storage.session, 50 tabs × 1,000', median: mb(bytesMany), spread: `quota ${mb(SESSION_QUOTA)}`, met: bytesMany < SESSION_QUOTA },
      { target: 'store: 10,000 restored after the worker stopped', median: `${restored} of ${held.exchanges}`, spread: `heap after restore ${fmt(heapRestored, 1)} MB`, met: restored === held.exchanges },
      {
        target: `bound: ${BURST} over ${MAX_EXCHANGES_PER_TAB.toLocaleString('en-US')} → dropped`,
        median: `${after.dropped} dropped`,
        spread: `${before.exchanges}→${after.exchanges} held, ${mb(bytesFull)}`,
        met: after.exchanges === MAX_EXCHANGES_PER_TAB && after.dropped - before.dropped === before.exchanges + BURST - MAX_EXCHANGES_PER_TAB,
      },
    );
    return rows;
  } finally {
    await client.disconnect();
    await launched.close();
    await servers.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable(await panelScale());
