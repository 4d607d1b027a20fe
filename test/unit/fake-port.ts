// A connected pair of runtime-port stand-ins for unit tests: what one end posts, the other receives asynchronously,
// and disconnecting one end fires onDisconnect on the other, as extension ports do.
import type { Port } from '../../src/platform/browser.ts';

export interface FakePort {
  name: string;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(l: (message: unknown) => void): void };
  onDisconnect: { addListener(l: () => void): void };
  /** Everything this end received, in order. */
  received: unknown[];
  connected: boolean;
}

function end(name: string): FakePort & { deliver(m: unknown): void; drop(): void } {
  const onMessage: Array<(m: unknown) => void> = [];
  const onDisconnect: Array<() => void> = [];
  const port = {
    name,
    received: [] as unknown[],
    connected: true,
    postMessage(_m: unknown): void {},
    disconnect(): void {},
    onMessage: { addListener: (l: (m: unknown) => void) => void onMessage.push(l) },
    onDisconnect: { addListener: (l: () => void) => void onDisconnect.push(l) },
    deliver(m: unknown): void {
      port.received.push(m);
      for (const l of onMessage) l(m);
    },
    drop(): void {
      port.connected = false;
      for (const l of onDisconnect) l();
    },
  };
  return port;
}

export function fakePortPair(name: string): [FakePort, FakePort] {
  const a = end(name);
  const b = end(name);
  const link = (from: typeof a, to: typeof a): void => {
    from.postMessage = (m) => {
      if (!from.connected) throw new Error('Attempting to use a disconnected port object');
      // Structured like the real thing: the receiver gets a copy, later.
      const copy = structuredClone(m);
      queueMicrotask(() => to.connected && to.deliver(copy));
    };
    from.disconnect = () => {
      from.connected = false;
      queueMicrotask(() => to.connected && to.drop());
    };
  };
  link(a, b);
  link(b, a);
  return [a, b];
}

/** The fake as the extension's Port type (it implements the members the code under test uses). */
export const asPort = (p: FakePort): Port => p as unknown as Port;

export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));
