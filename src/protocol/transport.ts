// The two-method transport the panel and the background talk through, and an in-memory pair for tests and the
// demo's headless mode. The port-based implementation lives in src/platform (it needs extension APIs).

export interface Transport<In, Out> {
  post(message: Out): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (message: In) => void): () => void;
  /** Called on every (re)connection, including the first; a reconnecting transport calls it after a worker restart. */
  onConnect(listener: () => void): () => void;
}

/** Two connected in-memory ends: what one posts, the other receives (asynchronously, like a port). */
export function createMemoryTransportPair<A, B>(): [Transport<A, B>, Transport<B, A>] {
  const toA = new Set<(m: A) => void>();
  const toB = new Set<(m: B) => void>();
  const connect = (listener: () => void): (() => void) => {
    queueMicrotask(listener);
    return () => {};
  };
  const a: Transport<A, B> = {
    post: (m) => queueMicrotask(() => toB.forEach((l) => l(m))),
    subscribe: (l) => (toA.add(l), () => toA.delete(l)),
    onConnect: connect,
  };
  const b: Transport<B, A> = {
    post: (m) => queueMicrotask(() => toA.forEach((l) => l(m))),
    subscribe: (l) => (toB.add(l), () => toB.delete(l)),
    onConnect: connect,
  };
  return [a, b];
}
