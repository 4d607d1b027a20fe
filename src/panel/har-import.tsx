// Importing a HAR into the panel: the file picker, drag-and-drop, an in-memory data source that answers `subscribe`
// with the imported exchanges, and the banner that says what a HAR cannot tell, with the way back to the live tab.
import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useMemo, useRef } from 'preact/hooks';
import { HAR_GAP_TEXT, parseHar, type HarExchange, type HarGap } from '../core/har.ts';
import { PROTOCOL_VERSION, type BackgroundMessage, type ExchangeRecord, type PanelMessage } from '../protocol/messages.ts';
import { createMemoryTransportPair } from '../protocol/transport.ts';
import type { BrowserName } from '../core/types.ts';
import type { PanelTransport } from './store.ts';
import './har-import.css';

/** A data source holding a HAR's exchanges as the tab's records: `subscribe` gets them all, Clear empties it. */
export function harTransport(exchanges: readonly HarExchange[], tabId: number): PanelTransport {
  const [panel, source] = createMemoryTransportPair<BackgroundMessage, PanelMessage>();
  let records: ExchangeRecord[] = exchanges.map((h) => ({ id: h.id, tabId, startedAt: h.startedAt, revision: 1, exchange: h.exchange }));
  source.subscribe((msg) => {
    if (msg.type === 'subscribe') {
      source.post({ type: 'snapshot', version: PROTOCOL_VERSION, snapshot: { tabId, url: null, preserveLog: false, dropped: 0, exchanges: records } });
    } else if (msg.type === 'clear') {
      records = [];
      source.post({ type: 'reset', tabId, url: null, dropped: 0, preserveLog: false });
    }
  });
  return panel;
}

/** The HAR on screen: what the export says about where its requests came from. */
export interface ShownHar {
  file: string;
  creator: string;
  browser: BrowserName;
  /** What the HAR could not tell about each request, by record id. */
  cannotTell: ReadonlyMap<string, readonly string[]>;
}

type Imported = { shown: ShownHar; gaps: HarGap[] } | { file: string; error: string };

/** One transport whose source can change: the live tab or an imported HAR. Switching is a reconnection, so the
 *  store subscribes again and the new source answers with its whole snapshot; the inactive source is not heard. */
function switchable(live: PanelTransport): { transport: PanelTransport; use(source: PanelTransport): void } {
  let active = live;
  const listeners = new Set<(m: BackgroundMessage) => void>();
  const connects = new Set<() => void>();
  const hear = (source: PanelTransport): void => {
    source.subscribe((m) => {
      if (active === source) listeners.forEach((l) => l(m));
    });
  };
  hear(live);
  live.onConnect(() => {
    if (active === live) connects.forEach((l) => l());
  });
  return {
    transport: {
      post: (m) => active.post(m),
      subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
      onConnect: (l) => {
        connects.add(l);
        return () => connects.delete(l);
      },
    },
    use(source) {
      if (source !== live) hear(source);
      active = source;
      connects.forEach((l) => l());
    },
  };
}

export interface HarImport {
  /** The panel's data source: the live tab, or the imported HAR while one is shown. */
  transport: PanelTransport;
  /** Reads a file the user picked or dropped. */
  open(file: File): Promise<void>;
  /** Drop targets for the whole panel. */
  dropHandlers: { onDragOver(e: DragEvent): void; onDrop(e: DragEvent): void };
  banner: JSX.Element | null;
  /** The file shown instead of the live tab, or null while the live tab is shown. */
  showing: ShownHar | null;
}

export function useHarImport(live: PanelTransport, tabId: number): HarImport {
  const imported = useSignal<Imported | null>(null);
  const source = useMemo(() => switchable(live), [live]);
  const current = imported.value;
  const fail = (file: string, error: string): void => {
    // The error banner shows over the live tab, never over an earlier HAR it does not name.
    if (imported.value && 'shown' in imported.value) source.use(live);
    imported.value = { file, error };
  };
  const open = async (file: File): Promise<void> => {
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      fail(file.name, e instanceof Error ? e.message : String(e));
      return;
    }
    const har = parseHar(text);
    if (!har.ok) {
      fail(file.name, har.error);
      return;
    }
    source.use(harTransport(har.exchanges, tabId));
    const cannotTell = new Map(har.exchanges.map((h) => [h.id, h.gaps.map((g) => HAR_GAP_TEXT[g])]));
    imported.value = { shown: { file: file.name, creator: har.source.creator, browser: har.source.browser, cannotTell }, gaps: har.gaps };
  };
  const back = (): void => {
    if (current && 'shown' in current) source.use(live);
    imported.value = null;
  };
  const dropHandlers = {
    onDragOver: (e: DragEvent) => {
      // Accepting the drag is what lets the drop happen.
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      e.preventDefault();
      void open(file);
    },
  };
  let banner: JSX.Element | null = null;
  if (current && 'error' in current) {
    banner = (
      <div class="har-banner har-error" role="alert" data-testid="har-banner">
        <span>
          Could not import {current.file}: {current.error}
        </span>
        <button type="button" class="link" onClick={back}>
          Dismiss
        </button>
      </div>
    );
  } else if (current) {
    banner = (
      <div class="har-banner" role="status" data-testid="har-banner">
        <span>
          Imported from <strong>{current.shown.file}</strong>
          {current.gaps.length > 0 && ` — what a HAR cannot tell: ${current.gaps.map((g) => HAR_GAP_TEXT[g]).join('; ')}.`}
        </span>
        <button type="button" data-testid="har-back" onClick={back}>
          Back to the live tab
        </button>
      </div>
    );
  }
  return { transport: source.transport, open, dropHandlers, banner, showing: current && 'shown' in current ? current.shown : null };
}

/** The toolbar's "Import HAR…" button over a hidden file input. */
export function HarImportButton({ onFile }: { onFile(file: File): void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".har,application/json"
        hidden
        data-testid="har-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) onFile(file);
          e.currentTarget.value = '';
        }}
      />
      <button type="button" data-testid="har-import" title="Show the requests of a HAR file (Chrome, Firefox, Playwright)" onClick={() => input.current?.click()}>
        Import HAR…
      </button>
    </>
  );
}
