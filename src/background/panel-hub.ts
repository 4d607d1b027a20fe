// The background's end of the panel protocol: ports by tab, a snapshot on every subscribe, then batched upserts and
// resets; the panels' commands (clear, preserve log) are handed to the background.
import {
  PANEL_PORT_NAME,
  PROTOCOL_VERSION,
  isPanelMessage,
  type BackgroundMessage,
  type ExchangeRecord,
  type PanelMessage,
} from '../protocol/messages.ts';
import type { ProbeAnswer, ProbeRequest } from '../core/probe.ts';
import type { Port } from '../platform/browser.ts';
import type { TabStore } from './tab-store.ts';

/** Changes are coalesced per exchange for this long: a burst of requests costs one message per panel. */
export const UPSERT_BATCH_MS = 75;

/** Exchanges in the snapshot message itself: more rows than any panel shows at once, so it paints a full view. */
export const FIRST_SLICE = 150;
/** A bigger tab's snapshot continues in upserts of this many exchanges, oldest first. */
export const SNAPSHOT_SLICE = 500;
/** Time between two slices: about a frame, so the panel can paint what it has. */
export const SLICE_GAP_MS = 16;

export interface HubCommands {
  /** Runs before a tab's snapshot is sent (the background fills in what it can, e.g. the tab's URL). */
  prepare(tabId: number): Promise<void>;
  clear(tabId: number): void;
  setPreserveLog(tabId: number, preserveLog: boolean): void;
  /** Repeats a request with a foreign Origin (the user's click in the detail view). */
  probe(request: ProbeRequest): Promise<ProbeAnswer>;
}

export class PanelHub {
  private readonly ports = new Map<number, Set<Port>>();
  private readonly queued = new Map<number, Map<string, ExchangeRecord>>();
  /** Ports still being sent a sliced snapshot, with what waits for them in order. */
  private readonly paced = new Map<Port, BackgroundMessage[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: TabStore,
    /** Settles once the persisted state is restored: no panel is answered from a half-restored store. */
    private readonly ready: Promise<void>,
    private readonly commands: HubCommands,
  ) {}

  /** For `runtime.onConnect` (registered at top level, so a panel's connect wakes a stopped background). */
  connect(port: Port): void {
    if (port.name !== PANEL_PORT_NAME) return;
    let tabId: number | null = null;
    // One message at a time per port: a `clear` right after `subscribe` must not overtake its snapshot.
    let turn: Promise<void> = this.ready;
    port.onMessage.addListener((message: unknown) => {
      if (!isPanelMessage(message)) return;
      if (message.type === 'probe') {
        // Out of turn: a slow server must not hold up the panel's other messages.
        void this.probe(port, message);
        return;
      }
      turn = turn
        .then(async () => {
          if (message.type === 'subscribe') tabId = await this.subscribe(port, tabId, message);
          else this.command(message);
        })
        // A failed message must not stall the ones behind it.
        .catch((error: unknown) => console.warn('Corsight: panel message failed', error));
    });
    port.onDisconnect.addListener(() => {
      if (tabId !== null) this.ports.get(tabId)?.delete(port);
    });
  }

  private async subscribe(port: Port, current: number | null, message: PanelMessage & { type: 'subscribe' }): Promise<number | null> {
    if (current !== null) this.ports.get(current)?.delete(port);
    this.paced.delete(port);
    if (message.version !== PROTOCOL_VERSION) {
      post(port, { type: 'version-mismatch', expected: PROTOCOL_VERSION });
      return null;
    }
    const tabId = message.tabId;
    await this.commands.prepare(tabId);
    // Deltas queued before the snapshot go out to the other panels first: the snapshot already has them, and a
    // panel must see each eviction either in its snapshot or through the `dropped` count of a later upsert.
    this.flushTab(tabId);
    // In slices: one message of 10,000 exchanges (~14 MB) took the panel over a second to receive and derive before
    // it could paint a row. The first slice goes at once; the rest follow as upserts, SLICE_GAP_MS apart so the panel
    // paints in between (it decodes each message before any of its code runs), with this port's live messages
    // queued behind them in order.
    const snapshot = this.store.snapshot(tabId);
    const all = snapshot.exchanges;
    const following = Math.max(0, all.length - FIRST_SLICE);
    post(port, { type: 'snapshot', version: PROTOCOL_VERSION, snapshot: { ...snapshot, exchanges: all.slice(0, FIRST_SLICE) }, following });
    const rest: BackgroundMessage[] = [];
    for (let i = FIRST_SLICE; i < all.length; i += SNAPSHOT_SLICE) {
      rest.push({ type: 'upsert', tabId, exchanges: all.slice(i, i + SNAPSHOT_SLICE), dropped: snapshot.dropped });
    }
    if (rest.length) this.pace(port, rest);
    let ports = this.ports.get(tabId);
    if (!ports) this.ports.set(tabId, (ports = new Set()));
    ports.add(port);
    return tabId;
  }

  private async probe(port: Port, message: PanelMessage & { type: 'probe' }): Promise<void> {
    const answer = await this.commands
      .probe({ url: message.url, method: message.method })
      .catch((error: unknown): ProbeAnswer => ({ kind: 'failed', error: String(error) }));
    post(port, { type: 'probe-result', tabId: message.tabId, probeId: message.probeId, answer });
  }

  private command(message: PanelMessage): void {
    if (message.type === 'clear') this.commands.clear(message.tabId);
    else if (message.type === 'set-preserve-log') this.commands.setPreserveLog(message.tabId, message.preserveLog);
  }

  /** An exchange changed: it reaches the tab's panels with the next batch. */
  queue(record: ExchangeRecord): void {
    if (!this.ports.get(record.tabId)?.size) return;
    let batch = this.queued.get(record.tabId);
    if (!batch) this.queued.set(record.tabId, (batch = new Map()));
    batch.set(record.id, record);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      for (const tabId of [...this.queued.keys()]) this.flushTab(tabId);
    }, UPSERT_BATCH_MS);
  }

  /** The tab's list was emptied (navigation, Clear): queued deltas belonged to the old list. */
  reset(tabId: number): void {
    this.queued.delete(tabId);
    const { url, dropped, preserveLog } = this.store.meta(tabId);
    this.broadcast(tabId, { type: 'reset', tabId, url, dropped, preserveLog });
  }

  forgetTab(tabId: number): void {
    this.queued.delete(tabId);
  }

  private flushTab(tabId: number): void {
    const batch = this.queued.get(tabId);
    this.queued.delete(tabId);
    if (!batch?.size) return;
    this.broadcast(tabId, { type: 'upsert', tabId, exchanges: [...batch.values()], dropped: this.store.dropped(tabId) });
  }

  private broadcast(tabId: number, message: BackgroundMessage): void {
    const ports = this.ports.get(tabId);
    for (const port of ports ?? []) {
      const waiting = this.paced.get(port);
      if (waiting) waiting.push(message);
      else if (!post(port, message)) ports?.delete(port);
    }
  }

  /** Sends `messages` to one port one every SLICE_GAP_MS; what is broadcast meanwhile waits behind them. */
  private pace(port: Port, messages: BackgroundMessage[]): void {
    this.paced.set(port, messages);
    const next = (): void => {
      // The port subscribed again meanwhile: its new snapshot replaced these slices.
      if (this.paced.get(port) !== messages) return;
      const message = messages.shift();
      if (message === undefined) {
        this.paced.delete(port);
        return;
      }
      // A closed port: drop the rest (onDisconnect already took it out of `ports`).
      if (!post(port, message)) {
        this.paced.delete(port);
        return;
      }
      setTimeout(next, SLICE_GAP_MS);
    };
    setTimeout(next, SLICE_GAP_MS);
  }
}

/** False when the port is gone (the panel closed between its last message and this one). */
function post(port: Port, message: BackgroundMessage): boolean {
  try {
    port.postMessage(message);
    return true;
  } catch {
    return false;
  }
}
