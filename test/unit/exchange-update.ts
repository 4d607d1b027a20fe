// A minimal one-hop exchange update for the background's store and hub tests: a GET to another origin, by id.
import type { ExchangeUpdate } from '../../src/background/tab-store.ts';

export function exchangeUpdate(id: string, startedAt: number, state: 'pending' | 'completed' = 'pending'): ExchangeUpdate {
  return {
    id,
    startedAt,
    blocked: false,
    exchange: {
      browser: 'chrome',
      origin: 'http://localhost:5173',
      type: 'xmlhttprequest',
      hops: [{ url: `http://127.0.0.1:8080/${id}`, method: 'GET', requestHeaders: null, preflight: null, response: null, redirectTo: null }],
      end: { state },
    },
  };
}
