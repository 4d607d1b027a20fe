// Persistence across a background restart: the compact encoding loses nothing, chunked writes rewrite only what
// changed, and a correlator restored mid-request pairs and finishes every recorded fetch as if never stopped.
import { describe, expect, it } from 'vitest';
import { Correlator, type CorrelatedExchange } from '../../src/capture/correlate.ts';
import type { WebRequestEvent } from '../../src/capture/webrequest.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import type { BrowserName } from '../../src/core/types.ts';
import { CHUNK_SIZE, Persister, decodeExchange, encodeExchange, type PersistSource, type SessionArea } from '../../src/background/persist.ts';
import { TabStore } from '../../src/background/tab-store.ts';
import { loadRecording } from '../conformance/corpus.ts';

const BROWSERS: readonly BrowserName[] = ['chrome', 'firefox'];
const recordings = BROWSERS.map((b) => {
  const rec = loadRecording(b);
  if (!rec) throw new Error(`no ${b} fixture`);
  return rec;
});

/** storage.session stand-in: values are stored as JSON, as Chrome does, and writes are counted. */
class MemoryArea implements SessionArea {
  readonly data = new Map<string, string>();
  writes: string[] = [];
  async get(): Promise<Record<string, unknown>> {
    return Object.fromEntries([...this.data].map(([k, v]) => [k, JSON.parse(v) as unknown]));
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, JSON.stringify(v));
    this.writes.push(...Object.keys(items));
  }
  async remove(keys: string[]): Promise<void> {
    for (const k of keys) this.data.delete(k);
  }
  bytes(): number {
    let n = 0;
    for (const [k, v] of this.data) n += k.length + v.length;
    return n;
  }
}

function source(store: TabStore): PersistSource {
  return {
    hasTab: (tabId) => store.has(tabId),
    meta: (tabId) => store.meta(tabId),
    entries: (tabId) => store.entries(tabId),
    pending: () => null,
  };
}

/** Every recorded fetch's exchanges, as a live capture would hold them once finished. */
function recordedExchanges(browser: BrowserName): CorrelatedExchange[] {
  const rec = recordings[BROWSERS.indexOf(browser)]!;
  return rec.scenarios.flatMap((s) =>
    s.fetches.flatMap((f) => {
      const c = new Correlator(browser);
      for (const e of f.events) c.push(e);
      return c.exchanges();
    }),
  );
}

describe('compact encoding', () => {
  for (const browser of BROWSERS) {
    it(`round-trips every recorded ${browser} exchange exactly`, () => {
      const all = recordedExchanges(browser);
      expect(all.length).toBeGreaterThan(300);
      all.forEach((c, seq) => {
        const stored = { record: { id: c.id, tabId: 7, startedAt: c.startedAt, revision: 3, exchange: c.exchange }, seq, blocked: seq % 2 === 0 };
        const tuple = JSON.parse(JSON.stringify(encodeExchange(stored))) as ReturnType<typeof encodeExchange>;
        expect(decodeExchange(tuple, 7, browser)).toEqual(stored);
      });
    });
  }
});

describe('Persister', () => {
  it('writes nothing for a tab it never stored and that the store does not know', async () => {
    const calls: string[] = [];
    const area: SessionArea = {
      get: async () => ({}),
      set: async (items) => void calls.push(`set ${Object.keys(items).join()}`),
      remove: async (keys) => void calls.push(`remove ${keys.join()}`),
    };
    const persister = new Persister(area, source(new TabStore()), 1);
    persister.pending(9);
    persister.list(9);
    await persister.flush();
    expect(calls).toEqual([]);
  });

  it('restores what it wrote, in order, with the settings and the dropped count', async () => {
    const area = new MemoryArea();
    const store = new TabStore(300);
    const persister = new Persister(area, source(store), 1);
    const all = recordedExchanges('chrome');
    for (const c of all) {
      const up = store.upsert(3, { id: c.id, startedAt: c.startedAt, exchange: c.exchange, blocked: diagnose(c.exchange).verdict === 'blocked' })!;
      persister.exchanges(3, [up.stored.seq, ...up.evicted.map((s) => s.seq)]);
    }
    store.setPreserveLog(3, true);
    store.setUrl(3, 'http://localhost:5173/');
    persister.settings(3);
    await persister.flush();

    const restoredStore = new TabStore(300);
    const tabs = await new Persister(area, source(restoredStore)).restore('chrome');
    expect(tabs.map((t) => t.tabId)).toEqual([3]);
    restoredStore.restore(3, tabs[0]!.meta, tabs[0]!.entries);
    expect(restoredStore.snapshot(3)).toEqual(store.snapshot(3));
    expect(restoredStore.snapshot(3).dropped).toBe(all.length - 300);
    expect(restoredStore.blockedCount(3)).toBe(store.blockedCount(3));
    // Evicted exchanges' chunks are gone from storage, not just emptied.
    const chunks = [...area.data.keys()].filter((k) => k.startsWith('x3.'));
    expect(chunks.length).toBe(new Set(store.entries(3).map((s) => Math.floor(s.seq / CHUNK_SIZE))).size);
    const perExchange = area.bytes() / 300;
    console.log(`storage.session: ${area.bytes()} bytes for 300 recorded exchanges (${perExchange.toFixed(0)} bytes each)`);
    expect(perExchange).toBeLessThan(400);
  });

  it('batches writes and rewrites only the chunks that changed', async () => {
    const area = new MemoryArea();
    const store = new TabStore();
    const persister = new Persister(area, source(store), 20);
    const all = recordedExchanges('firefox').slice(0, CHUNK_SIZE * 3);
    for (const c of all) persister.exchanges(1, [store.upsert(1, { ...c, blocked: false })!.stored.seq]);
    expect(area.writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(area.writes.sort()).toEqual(['t1', 'x1.0', 'x1.1', 'x1.2']);
    area.writes = [];
    const last = all[all.length - 1]!;
    persister.exchanges(1, [store.upsert(1, { ...last, blocked: true })!.stored.seq]);
    await persister.flush();
    expect(area.writes.sort()).toEqual(['t1', 'x1.2']);
  });

  it('removes a cleared or closed tab from storage', async () => {
    const area = new MemoryArea();
    const store = new TabStore();
    const persister = new Persister(area, source(store), 1);
    for (const [tabId, c] of recordedExchanges('chrome').slice(0, 100).entries()) {
      const tab = tabId % 2;
      persister.exchanges(tab, [store.upsert(tab, { ...c, blocked: false })!.stored.seq]);
    }
    await persister.flush();
    expect([...area.data.keys()].filter((k) => k.startsWith('x0.')).length).toBeGreaterThan(0);
    store.clear(0, Date.now());
    persister.list(0);
    store.remove(1);
    persister.list(1);
    await persister.flush();
    expect([...area.data.keys()].sort()).toEqual(['t0']);
  });
});

/** What a live capture keeps per request: the latest exchange of each, finished ones forgotten by the correlator. */
function liveCapture(browser: BrowserName, events: readonly WebRequestEvent[], stopAfter: number | null): string {
  let correlator = new Correlator(browser);
  let kept = new Map<string, CorrelatedExchange>();
  events.forEach((e, i) => {
    const changed = correlator.push(e);
    if (changed) {
      kept.set(changed.id, changed);
      if (changed.exchange.end.state !== 'pending') correlator.forget(changed.id);
    }
    if (i + 1 === stopAfter) {
      // The background stops: only what went through storage (JSON) survives.
      const state = JSON.parse(JSON.stringify(correlator.saveState())) as ReturnType<Correlator['saveState']>;
      kept = new Map(JSON.parse(JSON.stringify([...kept])) as Array<[string, CorrelatedExchange]>);
      correlator = Correlator.fromState(browser, state);
    }
  });
  return JSON.stringify([...kept.values()].map((c) => [c.id, diagnose(c.exchange)]));
}

describe('a correlator restored mid-request', () => {
  for (const [i, browser] of BROWSERS.entries()) {
    it(`finishes every recorded ${browser} fetch as if the background never stopped, wherever it stops`, () => {
      let cuts = 0;
      for (const s of recordings[i]!.scenarios) {
        for (const f of s.fetches) {
          const expected = liveCapture(browser, f.events, null);
          for (let k = 1; k < f.events.length; k++) {
            expect(liveCapture(browser, f.events, k), `${s.id}, stopped after event ${k}`).toBe(expected);
            cuts++;
          }
        }
      }
      expect(cuts).toBeGreaterThan(1000);
    });
  }
});
