// The panel's pure state transition: snapshots, deltas in start order, stale revisions, resets, other tabs.
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ExchangeRecord } from '../../src/protocol/messages.ts';
import { applyMessage, initialState } from '../../src/panel/store.ts';
import { recordedExchanges, TAB } from '../panel/recorded.ts';

const [base] = recordedExchanges().map((r) => r.record);

function rec(id: string, startedAt: number, revision = 1): ExchangeRecord {
  return { ...base!, id, startedAt, revision };
}

const snapshot = (exchanges: ExchangeRecord[]) =>
  applyMessage(initialState(TAB), {
    type: 'snapshot',
    version: PROTOCOL_VERSION,
    snapshot: { tabId: TAB, url: 'http://localhost/', preserveLog: true, dropped: 2, exchanges },
  });

describe('applyMessage', () => {
  it('takes a snapshot whole, ordered by start', () => {
    const s = snapshot([rec('b', 20), rec('a', 10)]);
    expect(s).toMatchObject({ connection: 'live', url: 'http://localhost/', preserveLog: true, dropped: 2 });
    expect(s.records.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('inserts deltas by start, replaces newer revisions and ignores stale ones', () => {
    const s0 = snapshot([rec('a', 10), rec('c', 30)]);
    const s1 = applyMessage(s0, { type: 'upsert', tabId: TAB, dropped: 2, exchanges: [rec('d', 40), rec('b', 20), rec('c', 30, 2)] });
    expect(s1.records.map((r) => `${r.id}${r.revision}`)).toEqual(['a1', 'b1', 'c2', 'd1']);
    expect(s1.dropped).toBe(2);
    const s2 = applyMessage(s1, { type: 'upsert', tabId: TAB, dropped: 2, exchanges: [rec('c', 30, 1)] });
    expect(s2.records[2]!.revision).toBe(2);
    // Never mutates: the old state still holds what it held.
    expect(s0.records.map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('evicts as many of the oldest as the dropped count grew, after applying the batch', () => {
    const s0 = snapshot([rec('a', 10), rec('c', 30)]);
    // dropped 2 → 4: the batch's older 'b' is evicted along with 'a'.
    const s1 = applyMessage(s0, { type: 'upsert', tabId: TAB, dropped: 4, exchanges: [rec('b', 20), rec('d', 40)] });
    expect(s1.records.map((r) => r.id)).toEqual(['c', 'd']);
    expect(s1.dropped).toBe(4);
  });

  it('keeps arrival order for requests that started in the same millisecond', () => {
    const s = applyMessage(snapshot([rec('a', 10)]), { type: 'upsert', tabId: TAB, dropped: 0, exchanges: [rec('b', 10), rec('c', 10)] });
    expect(s.records.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('empties on reset and ignores other tabs', () => {
    const s = snapshot([rec('a', 10)]);
    expect(applyMessage(s, { type: 'reset', tabId: TAB, url: null, dropped: 0, preserveLog: false })).toMatchObject({ records: [], url: null, preserveLog: false });
    expect(applyMessage(s, { type: 'reset', tabId: TAB + 1, url: null, dropped: 0, preserveLog: false })).toBe(s);
    expect(applyMessage(s, { type: 'upsert', tabId: TAB + 1, dropped: 9, exchanges: [rec('x', 1)] })).toBe(s);
  });

  it('records a protocol version mismatch', () => {
    expect(applyMessage(initialState(TAB), { type: 'version-mismatch', expected: 2 }).connection).toBe('version-mismatch');
  });
});
