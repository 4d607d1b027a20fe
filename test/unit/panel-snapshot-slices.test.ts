// A big tab reaches a panel in slices (a snapshot, then upserts right behind it): the panel ends with every exchange,
// in start order, with the dropped count, even when live changes arrive while the slices are still coming.
import { describe, expect, it } from 'vitest';
import { FIRST_SLICE, PanelHub, SLICE_GAP_MS, SNAPSHOT_SLICE, UPSERT_BATCH_MS } from '../../src/background/panel-hub.ts';
import { TabStore } from '../../src/background/tab-store.ts';
import { applyMessage, initialState, type PanelState } from '../../src/panel/store.ts';
import { PANEL_PORT_NAME, PROTOCOL_VERSION, type BackgroundMessage } from '../../src/protocol/messages.ts';
import { exchangeUpdate } from './exchange-update.ts';
import { asPort, fakePortPair, tick } from './fake-port.ts';

const TAB = 7;

describe('a snapshot bigger than one slice', () => {
  it('arrives whole, in order, with the dropped count; a live change sent meanwhile still lands', async () => {
    // Enough slices that they are still coming when the live batch (UPSERT_BATCH_MS) goes out.
    const total = SNAPSHOT_SLICE * Math.ceil(UPSERT_BATCH_MS / SLICE_GAP_MS + 2) + 7;
    const slices = Math.ceil((total - FIRST_SLICE) / SNAPSHOT_SLICE);
    const store = new TabStore(total);
    const hub = new PanelHub(store, Promise.resolve(), {
      prepare: async () => {},
      clear: () => {},
      setPreserveLog: () => {},
      probe: async () => ({ kind: 'response', status: 200, acao: null, acac: null }),
    });
    // Two over the bound: the two oldest are dropped before the panel connects.
    for (let i = 0; i < total + 2; i++) store.upsert(TAB, exchangeUpdate(`r${i}`, 1000 + i, 'completed'));
    const [mine, theirs] = fakePortPair(PANEL_PORT_NAME);
    hub.connect(asPort(theirs));
    mine.postMessage({ type: 'subscribe', version: PROTOCOL_VERSION, tabId: TAB });
    await tick();
    const received = mine.received as BackgroundMessage[];
    expect(received.map((m) => m.type)).toEqual(['snapshot']);
    expect(received[0]?.type === 'snapshot' && received[0].following).toBe(total - FIRST_SLICE);

    // One more exchange while the slices are still coming: it evicts the oldest kept one, and reaches the panel
    // after the last slice.
    hub.queue(store.upsert(TAB, exchangeUpdate('late', 5000, 'completed'))!.stored.record);
    await tick(SLICE_GAP_MS * (slices + 2) + 200);
    expect(received.map((m) => m.type)).toEqual(['snapshot', ...Array<string>(slices + 1).fill('upsert')]);
    const last = received.at(-1);
    expect(last?.type === 'upsert' && last.exchanges.map((r) => r.id)).toEqual(['late']);
    let state: PanelState = initialState(TAB);
    for (const m of mine.received as BackgroundMessage[]) state = applyMessage(state, m);
    const expected = [...Array(total + 2).keys()].slice(3).map((i) => `r${i}`).concat('late');
    expect(state.records.map((r) => r.id)).toEqual(expected);
    expect(state.dropped).toBe(3);
  });
});
