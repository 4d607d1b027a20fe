// The background's panel hub: nothing answered before the restore, version check, snapshot then batched upserts,
// resets, and commands handled in the order a panel sent them.
import { describe, expect, it } from 'vitest';
import { PanelHub, UPSERT_BATCH_MS } from '../../src/background/panel-hub.ts';
import { TabStore } from '../../src/background/tab-store.ts';
import { PANEL_PORT_NAME, PROTOCOL_VERSION, type BackgroundMessage } from '../../src/protocol/messages.ts';
import { exchangeUpdate } from './exchange-update.ts';
import { asPort, fakePortPair, tick, type FakePort } from './fake-port.ts';

function setup(ready: Promise<void> = Promise.resolve()) {
  const store = new TabStore(3);
  const commands: string[] = [];
  const hub = new PanelHub(store, ready, {
    prepare: async (tabId) => void commands.push(`prepare ${tabId}`),
    clear: (tabId) => {
      commands.push(`clear ${tabId}`);
      store.clear(tabId, Date.now());
      hub.reset(tabId);
    },
    setPreserveLog: (tabId, on) => {
      commands.push(`preserve ${tabId} ${on}`);
      store.setPreserveLog(tabId, on);
    },
    probe: async ({ url, method }) => {
      commands.push(`probe ${method} ${url}`);
      return { kind: 'response', status: 200, acao: null, acac: null };
    },
  });
  const panel = (): FakePort => {
    const [mine, theirs] = fakePortPair(PANEL_PORT_NAME);
    hub.connect(asPort(theirs));
    return mine;
  };
  const record = (tabId: number, id: string, startedAt: number): void => hub.queue(store.upsert(tabId, exchangeUpdate(id, startedAt))!.stored.record);
  return { store, hub, commands, panel, record };
}

const types = (p: FakePort): string[] => (p.received as BackgroundMessage[]).map((m) => m.type);

describe('PanelHub', () => {
  it('answers nobody before the persisted state is restored, then sends the restored snapshot', async () => {
    let restored!: () => void;
    const { store, panel } = setup(new Promise<void>((r) => (restored = r)));
    const p = panel();
    p.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    await tick(10);
    expect(p.received).toEqual([]);
    store.upsert(4, exchangeUpdate('a', 1));
    restored();
    await tick();
    const [snap] = p.received as BackgroundMessage[];
    expect(snap?.type === 'snapshot' && snap.snapshot.exchanges.map((r) => r.id)).toEqual(['a']);
  });

  it('answers a probe on the asking port only, and refuses one for a non-http URL or an unsafe method', async () => {
    const { panel, commands } = setup();
    const [asker, other] = [panel(), panel()];
    for (const p of [asker, other]) p.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    await tick();
    asker.postMessage({ type: 'probe', tabId: 4, probeId: '1', url: 'http://127.0.0.1:8080/a', method: 'GET' });
    asker.postMessage({ type: 'probe', tabId: 4, probeId: '2', url: 'file:///etc/passwd', method: 'GET' });
    asker.postMessage({ type: 'probe', tabId: 4, probeId: '3', url: 'http://127.0.0.1:8080/a', method: 'DELETE' });
    await tick();
    expect(commands.filter((c) => c.startsWith('probe'))).toEqual(['probe GET http://127.0.0.1:8080/a']);
    expect(types(asker)).toEqual(['snapshot', 'probe-result']);
    expect(types(other)).toEqual(['snapshot']);
  });

  it('refuses a panel of another protocol version', async () => {
    const { panel, record } = setup();
    const p = panel();
    p.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION + 1, tabId: 4 });
    await tick();
    expect(p.received).toEqual([{ type: 'version-mismatch', expected: PROTOCOL_VERSION }]);
    record(4, 'a', 1);
    await tick(UPSERT_BATCH_MS + 20);
    expect(p.received.length).toBe(1);
  });

  it('batches changes per tab into one upsert with the latest record of each exchange and the dropped count', async () => {
    const { panel, record } = setup();
    const p = panel();
    const other = panel();
    p.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    other.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 5 });
    await tick();
    for (const [id, t] of [['a', 1], ['b', 2], ['a', 1], ['c', 3], ['d', 4]] as const) record(4, id, t);
    await tick(UPSERT_BATCH_MS + 20);
    expect(types(p)).toEqual(['snapshot', 'upsert']);
    const upsert = p.received[1] as BackgroundMessage & { type: 'upsert' };
    // a was evicted by d (bound 3), yet stays in the batch: the panel adds it, then drops its oldest one.
    expect(upsert.exchanges.map((r) => `${r.id}@${r.revision}`)).toEqual(['a@3', 'b@2', 'c@4', 'd@5']);
    expect(upsert.dropped).toBe(1);
    expect(types(other)).toEqual(['snapshot']);
  });

  it('sends queued changes to the open panels before a new panel’s snapshot, and not to the new panel', async () => {
    const { panel, record } = setup();
    const first = panel();
    first.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    await tick();
    record(4, 'a', 1);
    const second = panel();
    second.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    await tick();
    expect(types(first)).toEqual(['snapshot', 'upsert']);
    expect(types(second)).toEqual(['snapshot']);
    await tick(UPSERT_BATCH_MS + 20);
    expect(types(second)).toEqual(['snapshot']);
  });

  it('handles a panel’s messages in order, resets its tab on clear and drops what was queued', async () => {
    const { panel, record, commands } = setup();
    const p = panel();
    p.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    p.postMessage({ type: 'set-preserve-log', tabId: 4, preserveLog: true });
    p.postMessage({ type: 'clear', tabId: 4 });
    await tick();
    expect(commands).toEqual(['prepare 4', 'preserve 4 true', 'clear 4']);
    record(4, 'a', Date.now() + 1000);
    p.postMessage({ type: 'clear', tabId: 4 });
    await tick(UPSERT_BATCH_MS + 20);
    expect(types(p)).toEqual(['snapshot', 'reset', 'reset']);
    expect(p.received[2]).toEqual({ type: 'reset', tabId: 4, url: null, dropped: 0, preserveLog: true });
  });

  it('ignores ports with other names and malformed messages, and forgets closed panels', async () => {
    const { hub, panel, record } = setup();
    const [stranger, strangerEnd] = fakePortPair('something-else');
    hub.connect(asPort(strangerEnd));
    stranger.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    const p = panel();
    p.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 'four' });
    await tick();
    expect(stranger.received).toEqual([]);
    expect(p.received).toEqual([]);
    p.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: 4 });
    await tick();
    p.disconnect();
    await tick();
    record(4, 'a', 1);
    await tick(UPSERT_BATCH_MS + 20);
    expect(types(p)).toEqual(['snapshot']);
  });
});
