// The panel's port transport: announces every (re)connection, reconnects when the background drops the port (a
// stopped worker), delivers what was posted meanwhile, and passes on only valid messages about its own tab.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PANEL_PORT_NAME, PROTOCOL_VERSION, type BackgroundMessage, type PanelMessage } from '../../src/protocol/messages.ts';
import { fakePortPair, tick, type FakePort } from './fake-port.ts';

/** The background ends of every port the transport opened, newest last. */
const backgroundEnds: FakePort[] = [];
let refuse = false;
const fakeBrowser = {
  runtime: {
    connect: ({ name }: { name: string }): FakePort => {
      if (refuse) throw new Error('Extension context invalidated.');
      const [panelEnd, backgroundEnd] = fakePortPair(name);
      backgroundEnds.push(backgroundEnd);
      return panelEnd;
    },
  },
};
vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const { createPortTransport } = await import('../../src/platform/port-transport.ts');

afterEach(() => {
  backgroundEnds.length = 0;
  refuse = false;
});

const snapshot = (tabId: number): BackgroundMessage => ({
  type: 'snapshot',
  version: PROTOCOL_VERSION,
  snapshot: { tabId, url: null, preserveLog: false, dropped: 0, exchanges: [] },
});

/** A panel store in miniature: subscribes on every connection and records what it hears. */
function client(tabId: number) {
  const transport = createPortTransport(tabId);
  const heard: BackgroundMessage[] = [];
  let connects = 0;
  transport.subscribe((m) => heard.push(m));
  transport.onConnect(() => {
    connects++;
    transport.post({ type: 'subscribe', version: PROTOCOL_VERSION, tabId });
  });
  return { transport, heard, connects: () => connects };
}

describe('createPortTransport', () => {
  it('connects by the panel port name and announces the connection to listeners added afterwards', async () => {
    const c = client(3);
    await tick();
    expect(backgroundEnds.map((p) => p.name)).toEqual([PANEL_PORT_NAME]);
    expect(c.connects()).toBe(1);
    expect(backgroundEnds[0]!.received).toEqual([{ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 3 }]);
  });

  it('reconnects after the background drops the port, subscribes again, then sends what was posted meanwhile', async () => {
    const c = client(3);
    await tick();
    backgroundEnds[0]!.disconnect();
    await tick();
    const clear: PanelMessage = { type: 'clear', tabId: 3 };
    c.transport.post(clear);
    await tick(200);
    expect(backgroundEnds.length).toBe(2);
    expect(c.connects()).toBe(2);
    expect(backgroundEnds[1]!.received).toEqual([{ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 3 }, clear]);
  });

  it('passes on valid messages about its tab only', async () => {
    const c = client(3);
    await tick();
    const bg = backgroundEnds[0]!;
    bg.postMessage(snapshot(4));
    bg.postMessage({ type: 'upsert', tabId: 3 });
    bg.postMessage({ type: 'reset', tabId: 4, url: null, dropped: 0, preserveLog: false });
    bg.postMessage(snapshot(3));
    bg.postMessage({ type: 'upsert', tabId: 3, exchanges: [], dropped: 0 });
    bg.postMessage({ type: 'version-mismatch', expected: 9 });
    await tick();
    expect(c.heard.map((m) => m.type)).toEqual(['snapshot', 'upsert', 'version-mismatch']);
  });

  it('stops when the extension context is gone instead of retrying forever', async () => {
    client(3);
    await tick();
    refuse = true;
    backgroundEnds[0]!.disconnect();
    await tick(300);
    expect(backgroundEnds.length).toBe(1);
  });
});
