// The panel's state: what the background reported for one tab, changed only by the pure applyMessage, and the
// signals that hold it for the components.
import { signal, type Signal } from '@preact/signals';
import type { ProbeAnswer, ProbeRequest } from '../core/probe.ts';
import { PROTOCOL_VERSION, type BackgroundMessage, type ExchangeRecord, type PanelMessage } from '../protocol/messages.ts';
import type { Transport } from '../protocol/transport.ts';

export type PanelTransport = Transport<BackgroundMessage, PanelMessage>;

export type Connection = 'connecting' | 'live' | 'version-mismatch';

export interface PanelState {
  tabId: number;
  connection: Connection;
  url: string | null;
  preserveLog: boolean;
  dropped: number;
  /** Ordered by start time; requests that started together keep arrival order. */
  records: readonly ExchangeRecord[];
}

export function initialState(tabId: number): PanelState {
  return { tabId, connection: 'connecting', url: null, preserveLog: false, dropped: 0, records: [] };
}

/** Index of the first record that started later than `startedAt`, so equal starts keep arrival order. */
function insertionPoint(records: readonly ExchangeRecord[], startedAt: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.startedAt <= startedAt) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upsert(records: readonly ExchangeRecord[], incoming: readonly ExchangeRecord[]): ExchangeRecord[] {
  const out = [...records];
  const at = new Map(out.map((r, i) => [r.id, i]));
  const added: ExchangeRecord[] = [];
  for (const r of incoming) {
    const i = at.get(r.id);
    if (i === undefined) added.push(r);
    // A delta that arrives after a newer snapshot must not roll a row back.
    else if (out[i]!.revision < r.revision) out[i] = r;
  }
  for (const r of added) {
    // Snapshot slices and most live batches only append: skip the search and the splice.
    const last = out[out.length - 1];
    if (!last || last.startedAt <= r.startedAt) out.push(r);
    else out.splice(insertionPoint(out, r.startedAt), 0, r);
  }
  return out;
}

/** The whole state transition; messages for another tab are ignored (a reused port, a stale delta). */
export function applyMessage(state: PanelState, msg: BackgroundMessage): PanelState {
  switch (msg.type) {
    case 'snapshot': {
      const s = msg.snapshot;
      if (s.tabId !== state.tabId) return state;
      const records = [...s.exchanges].sort((a, b) => a.startedAt - b.startedAt);
      return { ...state, connection: 'live', url: s.url, preserveLog: s.preserveLog, dropped: s.dropped, records };
    }
    case 'upsert': {
      if (msg.tabId !== state.tabId) return state;
      // The background evicted as many of the oldest exchanges as `dropped` grew (protocol: apply, then evict).
      const evicted = Math.max(0, msg.dropped - state.dropped);
      return { ...state, dropped: msg.dropped, records: upsert(state.records, msg.exchanges).slice(evicted) };
    }
    case 'reset':
      if (msg.tabId !== state.tabId) return state;
      return { ...state, url: msg.url, dropped: msg.dropped, preserveLog: msg.preserveLog, records: [] };
    case 'version-mismatch':
      return { ...state, connection: 'version-mismatch' };
    case 'probe-result':
      // Answered to the one caller waiting for it (connectStore), not part of the list's state.
      return state;
  }
}

export interface PanelStore {
  state: Signal<PanelState>;
  clear(): void;
  setPreserveLog(on: boolean): void;
  /** Asks the background to repeat a request with a foreign Origin; resolves with its answer. */
  probe(request: ProbeRequest): Promise<ProbeAnswer>;
  dispose(): void;
}

/** How long the panel waits for a check's answer: twice the background's own 15 s limit on the request it sends. */
export const PROBE_ANSWER_MS = 30_000;

/** Subscribes on every (re)connection: after a worker restart the background answers with a fresh snapshot. */
export function connectStore(transport: PanelTransport, tabId: number): PanelStore {
  const state = signal(initialState(tabId));
  const probes = new Map<string, (answer: ProbeAnswer) => void>();
  let probeCount = 0;
  const offMessage = transport.subscribe((msg) => {
    if (msg.type === 'probe-result' && msg.tabId === tabId) {
      probes.get(msg.probeId)?.(msg.answer);
      probes.delete(msg.probeId);
    }
    state.value = applyMessage(state.value, msg);
  });
  const offConnect = transport.onConnect(() => {
    transport.post({ type: 'subscribe', version: PROTOCOL_VERSION, tabId });
  });
  return {
    state,
    clear: () => transport.post({ type: 'clear', tabId }),
    setPreserveLog: (preserveLog) => {
      // Shown at once; the background confirms it with the next snapshot or reset.
      state.value = { ...state.value, preserveLog };
      transport.post({ type: 'set-preserve-log', tabId, preserveLog });
    },
    probe: (request) =>
      new Promise<ProbeAnswer>((resolve) => {
        const probeId = String(++probeCount);
        // A background that restarts mid-check loses its answer: without this the check would say "Checking…" forever.
        const timer = setTimeout(() => {
          probes.delete(probeId);
          resolve({ kind: 'failed', error: 'no answer from the extension (its background may have restarted). Try again.' });
        }, PROBE_ANSWER_MS);
        probes.set(probeId, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        transport.post({ type: 'probe', tabId, probeId, ...request });
      }),
    dispose: () => {
      offMessage();
      offConnect();
    },
  };
}
