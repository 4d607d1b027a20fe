// The panel's end of the background connection: a runtime port that connects again whenever the background drops it
// (Chrome stops an idle service worker after ~30 s, Firefox suspends its event page), announcing each (re)connection.
import { PANEL_PORT_NAME, isBackgroundMessage, type BackgroundMessage, type PanelMessage } from '../protocol/messages.ts';
import type { Transport } from '../protocol/transport.ts';
import { browser, type Port } from './browser.ts';

/** First retry delay after a disconnect; doubles while the background keeps dropping the port without answering. */
const RETRY_MS = 50;
const MAX_RETRY_MS = 2000;

/**
 * `tabId` is the tab the panel shows: messages about any other tab are dropped here. The subscription itself is the
 * consumer's job, from `onConnect` (called on every (re)connection), so a restarted background always gets a fresh
 * `subscribe` and answers with a full snapshot.
 */
export function createPortTransport(tabId: number): Transport<BackgroundMessage, PanelMessage> {
  const messageListeners = new Set<(message: BackgroundMessage) => void>();
  const connectListeners = new Set<() => void>();
  let port: Port | null = null;
  /** Messages posted while disconnected, sent after the next (re)connection's own messages. */
  let outbox: PanelMessage[] = [];
  let retries = 0;

  const forMe = (m: BackgroundMessage): boolean => m.type === 'version-mismatch' || (m.type === 'snapshot' ? m.snapshot.tabId : m.tabId) === tabId;

  function connect(): void {
    let next: Port;
    try {
      next = browser.runtime.connect({ name: PANEL_PORT_NAME });
    } catch {
      // "Extension context invalidated": the extension was reloaded or removed; this page is an orphan now.
      return;
    }
    port = next;
    next.onMessage.addListener((message: unknown) => {
      retries = 0;
      if (isBackgroundMessage(message) && forMe(message)) for (const l of messageListeners) l(message);
    });
    next.onDisconnect.addListener(() => {
      port = null;
      // Connecting wakes the background again, so live updates keep coming while the panel is open.
      setTimeout(connect, Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** retries++));
    });
    for (const l of connectListeners) l();
    const queued = outbox;
    outbox = [];
    for (const m of queued) send(m);
  }

  function send(message: PanelMessage): void {
    try {
      if (port) {
        port.postMessage(message);
        return;
      }
    } catch {
      // Disconnected a moment ago; onDisconnect has not run yet.
    }
    outbox.push(message);
  }

  connect();
  return {
    post: send,
    subscribe(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onConnect(listener) {
      connectListeners.add(listener);
      // Like the in-memory pair: a listener added after connecting still hears about the current connection.
      if (port) queueMicrotask(() => port && listener());
      return () => connectListeners.delete(listener);
    },
  };
}
