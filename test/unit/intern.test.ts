// Captured exchanges share their repeated header lines (the background's heap at 10,000 exchanges depends on it),
// and the sharing table stays bounded however many distinct values pass through it.
import { describe, expect, it } from 'vitest';
import { toHeaderList } from '../../src/capture/correlate.ts';
import { headerLine } from '../../src/capture/intern.ts';

describe('header line sharing', () => {
  it('gives two requests with the same header line the same tuple, and keeps distinct values apart', () => {
    const a = toHeaderList([{ name: 'User-Agent', value: 'Mozilla/5.0 bench' }, { name: 'x-id', value: '1' }]);
    const b = toHeaderList([{ name: 'User-Agent', value: 'Mozilla/5.0 bench' }, { name: 'x-id', value: '2' }]);
    expect(a[0]).toBe(b[0]);
    expect(a).not.toBe(b);
    // Line for line the same: one shared list.
    expect(toHeaderList([{ name: 'User-Agent', value: 'Mozilla/5.0 bench' }, { name: 'x-id', value: '1' }])).toBe(a);
    expect(a[1]).toEqual(['x-id', '1']);
    expect(b[1]).toEqual(['x-id', '2']);
  });

  it('keeps every value intact when 100,000 distinct values overflow the table', () => {
    const kept = [...Array(100_000).keys()].map((i) => headerLine('x-request-id', `id-${i}`));
    expect(kept.every((line, i) => line[0] === 'x-request-id' && line[1] === `id-${i}`)).toBe(true);
    // Sharing still works after the table started over.
    expect(headerLine('accept', '*/*')).toBe(headerLine('accept', '*/*'));
  });
});
