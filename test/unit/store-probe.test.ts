// The panel's foreign-origin check never waits forever: an answer the background lost (it restarted mid-check) ends
// as a failed check the user can repeat, and a real answer still arrives as is.
import { afterEach, expect, it, vi } from 'vitest';
import { connectStore, PROBE_ANSWER_MS } from '../../src/panel/store.ts';
import type { BackgroundMessage, PanelMessage } from '../../src/protocol/messages.ts';
import { createMemoryTransportPair } from '../../src/protocol/transport.ts';

afterEach(() => {
  vi.useRealTimers();
});

const REQUEST = { url: 'http://127.0.0.1:1/x', method: 'GET' } as const;

it('ends a check the background never answers as failed, after PROBE_ANSWER_MS', async () => {
  vi.useFakeTimers();
  const [panel] = createMemoryTransportPair<BackgroundMessage, PanelMessage>();
  const store = connectStore(panel, 7);
  let answer: unknown = null;
  void store.probe(REQUEST).then((a) => (answer = a));
  await vi.advanceTimersByTimeAsync(PROBE_ANSWER_MS - 1);
  expect(answer).toBeNull();
  await vi.advanceTimersByTimeAsync(1);
  expect(answer).toMatchObject({ kind: 'failed' });
  store.dispose();
});

it('still delivers the background\'s answer', async () => {
  const [panel, background] = createMemoryTransportPair<BackgroundMessage, PanelMessage>();
  background.subscribe((m) => {
    if (m.type === 'probe') background.post({ type: 'probe-result', tabId: m.tabId, probeId: m.probeId, answer: { kind: 'redirect' } });
  });
  const store = connectStore(panel, 7);
  expect(await store.probe(REQUEST)).toEqual({ kind: 'redirect' });
  store.dispose();
});
