// Renders the panel against a scripted background on the other end of the real in-memory transport, with a host
// that records what the panel saved and copied.
import { act, render, screen, waitFor } from '@testing-library/preact';
import { expect } from 'vitest';
import { App } from '../../src/panel/App.tsx';
import type { PanelHost } from '../../src/panel/host.ts';
import { PROTOCOL_VERSION, type BackgroundMessage, type ExchangeRecord, type PanelMessage } from '../../src/protocol/messages.ts';
import { createMemoryTransportPair, type Transport } from '../../src/protocol/transport.ts';
import { TAB } from './recorded.ts';

export interface RecordingHost extends PanelHost {
  saved: Array<{ name: string; text: string }>;
  copied: string[];
}

export interface OpenPanel {
  background: Transport<PanelMessage, BackgroundMessage>;
  /** Everything the panel posted, in order. */
  received: PanelMessage[];
  host: RecordingHost;
  /** Posts a message as the background and lets the panel render it. */
  send(msg: BackgroundMessage): Promise<void>;
}

export interface PanelSetup {
  url?: string;
  dropped?: number;
  preserveLog?: boolean;
}

export async function openPanel(exchanges: readonly ExchangeRecord[], setup: PanelSetup = {}): Promise<OpenPanel> {
  const [panelEnd, background] = createMemoryTransportPair<BackgroundMessage, PanelMessage>();
  const received: PanelMessage[] = [];
  background.subscribe((msg) => {
    received.push(msg);
    if (msg.type === 'subscribe') {
      background.post({
        type: 'snapshot',
        version: PROTOCOL_VERSION,
        snapshot: {
          tabId: msg.tabId,
          url: setup.url ?? 'http://localhost:5173/',
          preserveLog: setup.preserveLog ?? false,
          dropped: setup.dropped ?? 0,
          exchanges: [...exchanges],
        },
      });
    }
  });
  const host: RecordingHost = {
    browser: 'chrome',
    version: '0.1.0',
    saved: [],
    copied: [],
    saveFile(name, text) {
      host.saved.push({ name, text });
    },
    async copyText(text) {
      host.copied.push(text);
    },
  };
  render(<App transport={panelEnd} tabId={TAB} host={host} />);
  await waitFor(() => expect(screen.getByTestId('panel-status').textContent).toBe('Recording'));
  const send = async (msg: BackgroundMessage): Promise<void> => {
    // The pair delivers on a microtask; act() waits for it and for the render it causes.
    await act(async () => {
      background.post(msg);
      await new Promise((r) => setTimeout(r, 0));
    });
  };
  return { background, received, host, send };
}
