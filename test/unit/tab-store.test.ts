// The per-tab store: start order, the bound with its dropped count, navigation and Clear, tab removal, revisions.
import { describe, expect, it } from 'vitest';
import type { ObservedExchange } from '../../src/core/types.ts';
import { TabStore, type ExchangeUpdate } from '../../src/background/tab-store.ts';

function exchange(url: string, end: ObservedExchange['end'] = { state: 'pending' }): ObservedExchange {
  return {
    browser: 'chrome',
    origin: 'http://localhost:5173',
    type: 'xmlhttprequest',
    hops: [{ url, method: 'GET', requestHeaders: null, preflight: null, response: null, redirectTo: null }],
    end,
  };
}

function update(id: string, startedAt: number, end: ObservedExchange['end'] = { state: 'pending' }, blocked = false): ExchangeUpdate {
  return { id, startedAt, exchange: exchange(`http://127.0.0.1:8080/${id}`, end), blocked };
}

const ids = (store: TabStore, tabId: number): string[] => store.snapshot(tabId).exchanges.map((r) => r.id);

describe('TabStore', () => {
  it('keeps exchanges in start order; equal starts keep arrival order', () => {
    const store = new TabStore();
    store.upsert(1, update('b', 20));
    store.upsert(1, update('c', 30));
    store.upsert(1, update('a', 10));
    store.upsert(1, update('b2', 20));
    expect(ids(store, 1)).toEqual(['a', 'b', 'b2', 'c']);
  });

  it('bumps the revision on every change, never reusing one within the tab', () => {
    const store = new TabStore();
    const first = store.upsert(1, update('a', 1))!.stored.record;
    store.upsert(1, update('b', 2));
    const done = store.upsert(1, update('a', 1, { state: 'completed' }))!.stored.record;
    expect(done.id).toBe('a');
    expect(done.revision).toBeGreaterThan(first.revision);
    const revisions = store.snapshot(1).exchanges.map((r) => r.revision);
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(store.snapshot(1).exchanges[0]!.exchange.end).toEqual({ state: 'completed' });
  });

  it('is bounded: the oldest go first, counted as dropped, and report their insertion numbers', () => {
    const store = new TabStore(3);
    for (let i = 0; i < 3; i++) expect(store.upsert(1, update(`r${i}`, i))!.evicted).toEqual([]);
    const fourth = store.upsert(1, update('r3', 3))!;
    expect(fourth.evicted.map((s) => [s.record.id, s.seq])).toEqual([['r0', 0]]);
    store.upsert(1, update('r4', 4));
    expect(ids(store, 1)).toEqual(['r2', 'r3', 'r4']);
    expect(store.snapshot(1).dropped).toBe(2);
    expect(store.dropped(1)).toBe(2);
  });

  it('does not bring back a pending exchange the bound pushed out, and forgets it once it ends', () => {
    const store = new TabStore(2);
    store.upsert(1, update('slow', 1));
    store.upsert(1, update('x', 2));
    store.upsert(1, update('y', 3));
    expect(ids(store, 1)).toEqual(['x', 'y']);
    expect(store.upsert(1, update('slow', 1, { state: 'completed' }))).toBeNull();
    expect(store.meta(1).evicted).toEqual([]);
    expect(ids(store, 1)).toEqual(['x', 'y']);
    expect(store.dropped(1)).toBe(1);
  });

  it('returns an exchange older than every kept one together with its own eviction', () => {
    const store = new TabStore(2);
    store.upsert(1, update('x', 5));
    store.upsert(1, update('y', 6));
    const late = store.upsert(1, update('early', 1, { state: 'completed' }))!;
    // A panel adds it, sees dropped grow by one, and removes its oldest: the same list as here.
    expect(late.evicted.map((s) => s.record.id)).toEqual(['early']);
    expect(ids(store, 1)).toEqual(['x', 'y']);
    expect(store.dropped(1)).toBe(1);
  });

  it('counts blocked exchanges for the badge, following verdict changes, evictions and Clear', () => {
    const store = new TabStore(2);
    store.upsert(1, update('a', 1, { state: 'error', error: 'net::ERR_FAILED' }, true));
    store.upsert(1, update('b', 2));
    expect(store.blockedCount(1)).toBe(1);
    store.upsert(1, update('b', 2, { state: 'error', error: 'net::ERR_FAILED' }, true));
    expect(store.blockedCount(1)).toBe(2);
    store.upsert(1, update('c', 3, { state: 'completed' }, false));
    expect(store.blockedCount(1)).toBe(1);
    store.clear(1, 10);
    expect(store.blockedCount(1)).toBe(0);
  });

  it('empties the list on navigation, and ignores exchanges of the old page that report later', () => {
    const store = new TabStore(3);
    store.upsert(1, update('old', 100));
    store.upsert(1, update('older', 90));
    store.upsert(1, update('a', 101));
    store.upsert(1, update('b', 102));
    expect(store.dropped(1)).toBe(1);
    expect(store.navigate(1, 'http://localhost:5173/next', 150)).toBe(true);
    expect(store.snapshot(1)).toEqual({ tabId: 1, url: 'http://localhost:5173/next', preserveLog: false, dropped: 0, exchanges: [] });
    expect(store.upsert(1, update('old', 100, { state: 'completed' }))).toBeNull();
    expect(store.upsert(1, update('new', 160))).not.toBeNull();
    expect(ids(store, 1)).toEqual(['new']);
  });

  it('keeps the list across navigations with "Preserve log" (per tab), updating the URL', () => {
    const store = new TabStore();
    store.setPreserveLog(1, true);
    store.upsert(1, update('a', 1));
    store.upsert(2, update('z', 1));
    expect(store.navigate(1, 'http://localhost:5173/two', 5)).toBe(false);
    expect(store.navigate(2, 'http://localhost:5173/two', 5)).toBe(true);
    expect(ids(store, 1)).toEqual(['a']);
    expect(ids(store, 2)).toEqual([]);
    expect(store.snapshot(1).url).toBe('http://localhost:5173/two');
    expect(store.snapshot(1).preserveLog).toBe(true);
    store.setPreserveLog(1, false);
    expect(store.navigate(1, 'http://localhost:5173/three', 6)).toBe(true);
    expect(ids(store, 1)).toEqual([]);
  });

  it('Clear empties the list even with "Preserve log", which stays on', () => {
    const store = new TabStore();
    store.setPreserveLog(1, true);
    store.upsert(1, update('a', 1));
    store.clear(1, 2);
    expect(store.snapshot(1)).toMatchObject({ preserveLog: true, dropped: 0, exchanges: [] });
    expect(store.upsert(1, update('a', 1, { state: 'completed' }))).toBeNull();
  });

  it('forgets a closed tab entirely, and keeps tabs apart', () => {
    const store = new TabStore();
    store.upsert(1, update('a', 1));
    store.upsert(2, update('a', 1));
    store.setPreserveLog(2, true);
    store.remove(2);
    expect(store.has(2)).toBe(false);
    expect(store.has(1)).toBe(true);
    expect(store.snapshot(2)).toEqual({ tabId: 2, url: null, preserveLog: false, dropped: 0, exchanges: [] });
    expect(ids(store, 1)).toEqual(['a']);
    expect(store.snapshot(1).exchanges[0]!.tabId).toBe(1);
  });

  it('restores a tab from its settings and entries in any order', () => {
    const store = new TabStore();
    store.upsert(1, update('a', 5));
    store.upsert(1, update('b', 5, { state: 'error', error: 'net::ERR_FAILED' }, true));
    store.upsert(1, update('c', 1));
    const meta = store.meta(1);
    const entries = [...store.entries(1)].reverse();
    const copy = new TabStore();
    copy.restore(1, meta, entries);
    expect(copy.snapshot(1)).toEqual(store.snapshot(1));
    expect(copy.blockedCount(1)).toBe(1);
    // Revisions and insertion numbers continue where they were.
    const next = copy.upsert(1, update('d', 9))!;
    expect(next.stored.seq).toBe(3);
    expect(next.stored.record.revision).toBe(meta.revision + 1);
  });
});
