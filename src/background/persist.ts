// Keeps the per-tab store and the in-flight pairing state in storage.session, so a stopped background (Chrome's idle
// service worker, Firefox's suspended event page) restarts with everything it had: compact, batched, chunked writes.
import type { CorrelatorState } from '../capture/correlate.ts';
import { headerLine, headerList, internString } from '../capture/intern.ts';
import type { BrowserName, HeaderList, ObservedExchange, ObservedPreflight, ObservedResponse } from '../core/types.ts';
import type { StoredExchange, TabMeta } from './tab-store.ts';

/** The subset of a `storage.StorageArea` used here (storage.session in the extension, a Map in unit tests). */
export interface SessionArea {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** What the persister reads when it writes (the live store and capture state). */
export interface PersistSource {
  hasTab(tabId: number): boolean;
  meta(tabId: number): TabMeta;
  entries(tabId: number): readonly StoredExchange[];
  /** The tab's in-flight pairing state; null when nothing is in flight. */
  pending(tabId: number): CorrelatorState | null;
}

export interface RestoredTab {
  tabId: number;
  meta: TabMeta;
  entries: StoredExchange[];
  pending: CorrelatorState | null;
}

/** Exchanges per stored chunk. Finished chunks are never rewritten; a flush rewrites only chunks that changed. */
export const CHUNK_SIZE = 64;
/** Writes are batched: a flush runs once changes have paused this long (a debounce), and at the latest
 *  FLUSH_MAX_DELAY_MS after the first change, so steady traffic still flushes. The background only dies after ~30 s
 *  without events (docs/browser-facts.md §3), long after either. A burst of 500 fetches used to rewrite its in-flight
 *  state and growing chunks every 300 ms, which was most of Corsight's own CPU in the worker (bench/page-overhead.ts). */
export const FLUSH_DELAY_MS = 300;
export const FLUSH_MAX_DELAY_MS = 2000;

// Compact form: tuples instead of objects, header lists flattened to [name, value, name, value, ...], null as 0.
type Flat = string[];
type ResponseTuple = [status: number, headers: Flat];
type PreflightTuple = [url: string, requestHeaders: Flat | 0, response: ResponseTuple | 0, error: string | 0, respondedAt?: number];
type HopTuple = [url: string, method: string, requestHeaders: Flat | 0, preflight: PreflightTuple | 0, response: ResponseTuple | 0, redirectTo: string | 0, ip?: string];
/** `end`: 0 pending, 1 completed, a string is the error. */
type RecordTuple = [id: string, startedAt: number, revision: number, seq: number, blocked: 0 | 1, origin: string | 0, type: string, hops: HopTuple[], end: 0 | 1 | string];
type MetaTuple = [url: string | 0, preserveLog: 0 | 1, dropped: number, since: number, revision: number, nextSeq: number, evicted: string[]];

const flat = (h: HeaderList | null): Flat | 0 => (h ? h.flat() : 0);
const unflat = (f: Flat | 0): HeaderList | null => {
  if (f === 0) return null;
  const out: Array<readonly [string, string]> = [];
  for (let i = 0; i + 1 < f.length; i += 2) out.push(headerLine(f[i]!, f[i + 1]!));
  return headerList(out);
};
const response = (r: ObservedResponse | null): ResponseTuple | 0 => (r ? [r.status, r.headers.flat()] : 0);
const unresponse = (r: ResponseTuple | 0): ObservedResponse | null => (r === 0 ? null : { status: r[0], headers: unflat(r[1]) ?? [] });
const preflight = (p: ObservedPreflight | null): PreflightTuple | 0 => {
  if (!p) return 0;
  const t: PreflightTuple = [p.url, flat(p.requestHeaders), response(p.response), p.error ?? 0];
  if (p.respondedAt !== undefined) t.push(p.respondedAt);
  return t;
};
// Chunks stored before respondedAt was kept have four elements.
const unpreflight = (p: PreflightTuple | 0): ObservedPreflight | null =>
  p === 0 ? null : { url: p[0], requestHeaders: unflat(p[1]), response: unresponse(p[2]), error: p[3] === 0 ? null : p[3], ...(p[4] === undefined ? {} : { respondedAt: p[4] }) };

export function encodeExchange(s: StoredExchange): RecordTuple {
  const { id, startedAt, revision, exchange: x } = s.record;
  const hops = x.hops.map((h): HopTuple => {
    const t: HopTuple = [h.url, h.method, flat(h.requestHeaders), preflight(h.preflight), response(h.response), h.redirectTo ?? 0];
    if (h.ip !== undefined) t.push(h.ip);
    return t;
  });
  const end = x.end.state === 'pending' ? 0 : x.end.state === 'completed' ? 1 : x.end.error;
  return [id, startedAt, revision, s.seq, s.blocked ? 1 : 0, x.origin ?? 0, x.type, hops, end];
}

export function decodeExchange(t: RecordTuple, tabId: number, browser: BrowserName): StoredExchange {
  const [id, startedAt, revision, seq, blocked, origin, type, hops, end] = t;
  const exchange: ObservedExchange = {
    browser,
    origin: origin === 0 ? null : internString(origin),
    type: internString(type),
    hops: hops.map((h) => ({
      url: h[0],
      method: h[1],
      requestHeaders: unflat(h[2]),
      preflight: unpreflight(h[3]),
      response: unresponse(h[4]),
      redirectTo: h[5] === 0 ? null : h[5],
      ...(h[6] === undefined ? {} : { ip: h[6] }),
    })),
    end: end === 0 ? { state: 'pending' } : end === 1 ? { state: 'completed' } : { state: 'error', error: end },
  };
  return { record: { id, tabId, startedAt, revision, exchange }, seq, blocked: blocked === 1 };
}

const encodeMeta = (m: TabMeta): MetaTuple => [m.url ?? 0, m.preserveLog ? 1 : 0, m.dropped, m.since, m.revision, m.nextSeq, m.evicted];
const decodeMeta = (t: MetaTuple): TabMeta => ({
  url: t[0] === 0 ? null : t[0],
  preserveLog: t[1] === 1,
  dropped: t[2],
  since: t[3],
  revision: t[4],
  nextSeq: t[5],
  evicted: t[6],
});

// Header lists repeat from request to request (User-Agent, sec-ch-ua, Accept, the same Origin and ACAO), so a gzipped
// chunk is 15-30x smaller than its JSON (measured: ~1.4 KB an exchange as JSON tuples, 40-100 bytes gzipped, base64
// included); storage.session holds JSON, hence base64. Both browsers and Node have CompressionStream, so this also
// runs in unit tests.
const BASE64_SLICE = 0x8000;

async function gzipBase64(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += BASE64_SLICE) binary += String.fromCharCode(...bytes.subarray(i, i + BASE64_SLICE));
  return btoa(binary);
}

async function gunzipBase64(data: string): Promise<string> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}

const metaKey = (tabId: number): string => `t${tabId}`;
const pendingKey = (tabId: number): string => `c${tabId}`;
const chunkKey = (tabId: number, chunk: number): string => `x${tabId}.${chunk}`;
const KEY = /^([tcx])(\d+)(?:\.(\d+))?$/;

interface Dirty {
  chunks: Set<number>;
  meta: boolean;
  pending: boolean;
}

export class Persister {
  private dirty = new Map<number, Dirty>();
  /** What each tab has in storage, so a cleared or closed tab's keys can be removed without reading them, and a tab
   *  that never had any costs no write. */
  private readonly written = new Map<number, { chunks: Set<number>; pending: boolean }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstChange = 0;
  private lastChange = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly area: SessionArea,
    private readonly source: PersistSource,
    private readonly delayMs = FLUSH_DELAY_MS,
    private readonly maxDelayMs = Math.max(delayMs, FLUSH_MAX_DELAY_MS),
  ) {}

  private mark(tabId: number): Dirty {
    let d = this.dirty.get(tabId);
    if (!d) {
      d = { chunks: new Set(), meta: false, pending: false };
      this.dirty.set(tabId, d);
    }
    // One timer per batch, not one per event: it re-arms itself while changes keep coming.
    this.lastChange = Date.now();
    if (this.timer === null) {
      this.firstChange = this.lastChange;
      this.arm(this.delayMs);
    }
    return d;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const now = Date.now();
      const quietAt = this.lastChange + this.delayMs;
      const latest = this.firstChange + this.maxDelayMs;
      if (now < quietAt && now < latest) {
        this.arm(Math.min(quietAt, latest) - now);
        return;
      }
      this.timer = null;
      void this.flush();
    }, ms);
  }

  /** Exchanges were added, changed or evicted (each by its insertion number); the tab's counters changed with them. */
  exchanges(tabId: number, seqs: Iterable<number>): void {
    const d = this.mark(tabId);
    d.meta = true;
    for (const seq of seqs) d.chunks.add(Math.floor(seq / CHUNK_SIZE));
  }

  /** The tab's settings changed (URL, preserve log). */
  settings(tabId: number): void {
    this.mark(tabId).meta = true;
  }

  /** The tab's whole list changed: emptied (Clear, navigation) or the tab closed. */
  list(tabId: number): void {
    const d = this.mark(tabId);
    d.meta = true;
    d.pending = true;
    for (const chunk of this.written.get(tabId)?.chunks ?? []) d.chunks.add(chunk);
  }

  /** The tab's in-flight pairing state changed. */
  pending(tabId: number): void {
    this.mark(tabId).pending = true;
  }

  /** Writes what changed since the last flush; flushes run one after another, in order. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const dirty = this.dirty;
    this.dirty = new Map();
    // Serialized now, synchronously: later events must not leak into (or race with) this write.
    const items: Record<string, unknown> = {};
    const chunks: Array<[key: string, json: string]> = [];
    const removals: string[] = [];
    for (const [tabId, d] of dirty) {
      const keys = this.written.get(tabId);
      if (!this.source.hasTab(tabId)) {
        if (keys) removals.push(metaKey(tabId), pendingKey(tabId), ...[...keys.chunks].map((c) => chunkKey(tabId, c)));
        this.written.delete(tabId);
        continue;
      }
      const written = keys ?? { chunks: new Set<number>(), pending: false };
      this.written.set(tabId, written);
      if (d.meta) items[metaKey(tabId)] = encodeMeta(this.source.meta(tabId));
      if (d.pending) {
        const pending = this.source.pending(tabId);
        // Cloned now: it shares objects with the live correlator, which later events mutate before the write runs.
        if (pending) items[pendingKey(tabId)] = structuredClone(pending);
        else if (written.pending) removals.push(pendingKey(tabId));
        written.pending = pending !== null;
      }
      if (d.chunks.size === 0) continue;
      const contents = new Map<number, RecordTuple[]>([...d.chunks].map((c) => [c, []]));
      for (const s of this.source.entries(tabId)) contents.get(Math.floor(s.seq / CHUNK_SIZE))?.push(encodeExchange(s));
      for (const [chunk, tuples] of contents) {
        if (tuples.length === 0) {
          if (written.chunks.delete(chunk)) removals.push(chunkKey(tabId, chunk));
          continue;
        }
        tuples.sort((a, b) => a[3] - b[3]);
        chunks.push([chunkKey(tabId, chunk), JSON.stringify(tuples)]);
        written.chunks.add(chunk);
      }
    }
    this.writing = this.writing.then(async () => {
      try {
        const zipped = await Promise.all(chunks.map(([, json]) => gzipBase64(json)));
        chunks.forEach(([key], i) => (items[key] = zipped[i]));
        if (Object.keys(items).length) await this.area.set(items);
        if (removals.length) await this.area.remove(removals);
      } catch (error) {
        // Quota (10 MB in Chrome) or a storage failure: the store in memory is intact and stays visible; this write
        // is lost unless the same data changes again. Logged so the loss is not silent.
        console.warn('Corsight: could not persist captured requests', error);
      }
    });
    return this.writing;
  }

  /** Reads everything back (call once, at start, before any flush). */
  async restore(browser: BrowserName): Promise<RestoredTab[]> {
    const all = await this.area.get(null);
    const tabs = new Map<number, { meta?: MetaTuple; pending?: CorrelatorState; chunks: string[] }>();
    for (const [key, value] of Object.entries(all)) {
      const m = KEY.exec(key);
      if (!m) continue;
      const tabId = Number(m[2]);
      let t = tabs.get(tabId);
      if (!t) tabs.set(tabId, (t = { chunks: [] }));
      let written = this.written.get(tabId);
      if (!written) this.written.set(tabId, (written = { chunks: new Set(), pending: false }));
      if (m[1] === 't') t.meta = value as MetaTuple;
      else if (m[1] === 'c') {
        t.pending = value as CorrelatorState;
        written.pending = true;
      } else {
        t.chunks.push(value as string);
        written.chunks.add(Number(m[3]));
      }
    }
    const restored: RestoredTab[] = [];
    for (const [tabId, t] of tabs) {
      // Chunks without their tab's settings are leftovers of an interrupted write: removed with the next flush.
      if (!t.meta) {
        this.list(tabId);
        continue;
      }
      const entries: StoredExchange[] = [];
      for (const json of await Promise.all(t.chunks.map(gunzipBase64))) {
        for (const tuple of JSON.parse(json) as RecordTuple[]) entries.push(decodeExchange(tuple, tabId, browser));
      }
      restored.push({ tabId, meta: decodeMeta(t.meta), entries, pending: t.pending ?? null });
    }
    return restored;
  }
}
