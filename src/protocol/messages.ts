// Typed messages between the background and the panel (one port per panel), with the protocol version both check.
import type { ProbeAnswer, ProbeMethod } from '../core/probe.ts';
import type { ObservedExchange } from '../core/types.ts';

/** Bump when a message changes shape; a panel and a background of different versions refuse to talk. */
export const PROTOCOL_VERSION = 1;

/** Port name a panel connects with; the tab it watches travels in `subscribe`. */
export const PANEL_PORT_NAME = 'corsight-panel';

/** One request the page made, as the background captured it so far. The panel derives the diagnosis itself
 *  (src/core is pure), so only observations cross the port. */
export interface ExchangeRecord {
  /** Unique within the tab: the actual request's webRequest requestId. */
  id: string;
  tabId: number;
  /** webRequest timeStamp of the first event, in ms since the epoch. */
  startedAt: number;
  /** Increases on every change, so the panel re-derives only changed rows. */
  revision: number;
  exchange: ObservedExchange;
}

export interface TabSnapshot {
  tabId: number;
  /** URL of the tab's top-level document when known. */
  url: string | null;
  preserveLog: boolean;
  /** Older exchanges dropped to respect the per-tab bound. */
  dropped: number;
  exchanges: ExchangeRecord[];
}

export type PanelMessage =
  | { type: 'subscribe'; version: number; tabId: number }
  | { type: 'clear'; tabId: number }
  | { type: 'set-preserve-log'; tabId: number; preserveLog: boolean }
  /** The user asked to repeat a request with a foreign Origin (src/core/probe.ts); answered on the same port. */
  | { type: 'probe'; tabId: number; probeId: string; url: string; method: ProbeMethod };

export type BackgroundMessage =
  /** The whole tab, sent after every subscribe (so a reconnect after a worker restart is a full refresh). A big tab
   *  comes in slices: the snapshot holds its oldest exchanges, and `following` more arrive at once in upserts
   *  (absent: 0). */
  | { type: 'snapshot'; version: number; snapshot: TabSnapshot; following?: number }
  /** New or changed exchanges (batched), plus the current dropped count. When `dropped` grew by k since the last
   *  snapshot/upsert, the tab's k oldest exchanges (by startedAt, equal starts in arrival order) left the list to
   *  respect the bound: apply the batch, then remove that many from the start. A batch may hold an exchange that
   *  this same eviction removes (it arrived older than everything kept). */
  | { type: 'upsert'; tabId: number; exchanges: ExchangeRecord[]; dropped: number }
  /** The tab's list was emptied: navigation without "Preserve log", or the user's Clear. */
  | { type: 'reset'; tabId: number; url: string | null; dropped: number; preserveLog: boolean }
  | { type: 'version-mismatch'; expected: number }
  | { type: 'probe-result'; tabId: number; probeId: string; answer: ProbeAnswer };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

export function isPanelMessage(x: unknown): x is PanelMessage {
  if (!isObject(x) || typeof x.tabId !== 'number') return false;
  switch (x.type) {
    case 'subscribe':
      return typeof x.version === 'number';
    case 'clear':
      return true;
    case 'set-preserve-log':
      return typeof x.preserveLog === 'boolean';
    case 'probe':
      return typeof x.probeId === 'string' && typeof x.url === 'string' && /^https?:\/\//i.test(x.url) && (x.method === 'GET' || x.method === 'HEAD');
    default:
      return false;
  }
}

export function isBackgroundMessage(x: unknown): x is BackgroundMessage {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'snapshot':
      return typeof x.version === 'number' && isObject(x.snapshot) && Array.isArray(x.snapshot.exchanges);
    case 'upsert':
      return typeof x.tabId === 'number' && Array.isArray(x.exchanges) && typeof x.dropped === 'number';
    case 'reset':
      return typeof x.tabId === 'number' && typeof x.dropped === 'number';
    case 'version-mismatch':
      return typeof x.expected === 'number';
    case 'probe-result':
      return typeof x.tabId === 'number' && typeof x.probeId === 'string' && isObject(x.answer);
    default:
      return false;
  }
}
