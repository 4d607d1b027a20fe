// Each tab's captured exchanges (pure, no browser APIs): start order, a bound with a dropped count, revisions per
// change, cleared by navigation unless "Preserve log" is on.
import type { ObservedExchange } from '../core/types.ts';
import type { ExchangeRecord, TabSnapshot } from '../protocol/messages.ts';

export const MAX_EXCHANGES_PER_TAB = 10_000;

/** One exchange as the store keeps it: the record the panel gets, plus what persistence and the badge need. */
export interface StoredExchange {
  record: ExchangeRecord;
  /** Insertion number within the tab, never reused (persistence groups records by it). */
  seq: number;
  /** The engine's verdict was "blocked" (the badge counts these). */
  blocked: boolean;
}

/** The tab's settings and counters, without its exchanges (what persistence writes next to them). */
export interface TabMeta {
  url: string | null;
  preserveLog: boolean;
  dropped: number;
  /** Exchanges that started before this time (ms since the epoch) belong to a cleared list and are ignored. */
  since: number;
  /** The last revision handed out in this tab; each change takes the next one, so revisions only grow. */
  revision: number;
  nextSeq: number;
  /** Still-pending exchanges pushed out by the bound: their later events must not bring them back. */
  evicted: string[];
}

interface TabState extends Omit<TabMeta, 'evicted'> {
  evicted: Set<string>;
  byId: Map<string, StoredExchange>;
  /** By start time; equal starts keep insertion order (the panel's store orders the same way). */
  order: StoredExchange[];
  blocked: number;
}

export interface Upserted {
  stored: StoredExchange;
  /** Exchanges the bound pushed out to make room (oldest first). */
  evicted: StoredExchange[];
}

/** What a change to one exchange looks like to the store: the correlator's exchange and the engine's verdict. */
export interface ExchangeUpdate {
  id: string;
  startedAt: number;
  exchange: ObservedExchange;
  blocked: boolean;
}

function emptyTab(): TabState {
  return {
    url: null,
    preserveLog: false,
    dropped: 0,
    since: 0,
    revision: 0,
    nextSeq: 0,
    evicted: new Set(),
    byId: new Map(),
    order: [],
    blocked: 0,
  };
}

/** Index after the last exchange that started at or before `startedAt`. */
function insertionPoint(order: readonly StoredExchange[], startedAt: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order[mid]!.record.startedAt <= startedAt) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TabStore {
  private readonly tabs = new Map<number, TabState>();

  constructor(private readonly limit = MAX_EXCHANGES_PER_TAB) {}

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  private tab(tabId: number): TabState {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = emptyTab();
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  /** Adds or updates one exchange. Null when it belongs to a cleared list or was pushed out by the bound before. */
  upsert(tabId: number, update: ExchangeUpdate): Upserted | null {
    const tab = this.tab(tabId);
    const existing = tab.byId.get(update.id);
    if (existing) {
      existing.record = { ...existing.record, revision: ++tab.revision, exchange: update.exchange };
      if (existing.blocked !== update.blocked) tab.blocked += update.blocked ? 1 : -1;
      existing.blocked = update.blocked;
      return { stored: existing, evicted: [] };
    }
    if (update.startedAt < tab.since) return null;
    if (tab.evicted.has(update.id)) {
      if (update.exchange.end.state !== 'pending') tab.evicted.delete(update.id);
      return null;
    }
    const stored: StoredExchange = {
      record: { id: update.id, tabId, startedAt: update.startedAt, revision: ++tab.revision, exchange: update.exchange },
      seq: tab.nextSeq++,
      blocked: update.blocked,
    };
    tab.byId.set(update.id, stored);
    tab.order.splice(insertionPoint(tab.order, update.startedAt), 0, stored);
    if (stored.blocked) tab.blocked++;
    const evicted = tab.order.length > this.limit ? tab.order.splice(0, tab.order.length - this.limit) : [];
    for (const old of evicted) {
      tab.byId.delete(old.record.id);
      tab.dropped++;
      if (old.blocked) tab.blocked--;
      if (old.record.exchange.end.state === 'pending') tab.evicted.add(old.record.id);
    }
    // An exchange that started before every kept one may be evicted at once; it is still returned, so a panel that
    // applies "dropped grew by k: remove the k oldest" after adding it ends with the same list.
    return { stored, evicted };
  }

  /** A new top-level document committed at `at`. Returns true when the list was emptied (no "Preserve log"). */
  navigate(tabId: number, url: string, at: number): boolean {
    const tab = this.tab(tabId);
    tab.url = url;
    if (tab.preserveLog) return false;
    this.clear(tabId, at);
    return true;
  }

  /** Empties the list; exchanges that started before `at` and report later stay out. */
  clear(tabId: number, at: number): void {
    const tab = this.tab(tabId);
    tab.byId.clear();
    tab.order = [];
    tab.evicted.clear();
    tab.dropped = 0;
    tab.blocked = 0;
    tab.since = at;
  }

  setPreserveLog(tabId: number, preserveLog: boolean): void {
    this.tab(tabId).preserveLog = preserveLog;
  }

  setUrl(tabId: number, url: string): void {
    this.tab(tabId).url = url;
  }

  remove(tabId: number): void {
    this.tabs.delete(tabId);
  }

  blockedCount(tabId: number): number {
    return this.tabs.get(tabId)?.blocked ?? 0;
  }

  dropped(tabId: number): number {
    return this.tabs.get(tabId)?.dropped ?? 0;
  }

  /** The tab's exchanges in start order (read-only view for persistence). */
  entries(tabId: number): readonly StoredExchange[] {
    return this.tabs.get(tabId)?.order ?? [];
  }

  meta(tabId: number): TabMeta {
    const { url, preserveLog, dropped, since, revision, nextSeq, evicted } = this.tabs.get(tabId) ?? emptyTab();
    return { url, preserveLog, dropped, since, revision, nextSeq, evicted: [...evicted] };
  }

  snapshot(tabId: number): TabSnapshot {
    const tab = this.tabs.get(tabId) ?? emptyTab();
    return {
      tabId,
      url: tab.url,
      preserveLog: tab.preserveLog,
      dropped: tab.dropped,
      exchanges: tab.order.map((s) => s.record),
    };
  }

  /** Puts back a persisted tab. Entries may come in any order; equal start times keep their insertion order. */
  restore(tabId: number, meta: TabMeta, entries: StoredExchange[]): void {
    const order = [...entries].sort((a, b) => a.record.startedAt - b.record.startedAt || a.seq - b.seq);
    this.tabs.set(tabId, {
      ...meta,
      evicted: new Set(meta.evicted),
      byId: new Map(order.map((s) => [s.record.id, s])),
      order,
      blocked: order.filter((s) => s.blocked).length,
    });
  }
}
