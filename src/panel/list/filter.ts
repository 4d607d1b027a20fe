// The list's filter: free text over what the row shows (every word must match), "Blocked only" and "Security"
// (only exchanges with security findings).
import type { Row } from '../derive.ts';

export interface RowFilter {
  text: string;
  blockedOnly: boolean;
  securityOnly?: boolean;
}

/** Keyed by the judgement, which stays the same object while the exchange's revision does: typing re-filters
 *  10,000 rows per keystroke without rebuilding their text. */
const haystacks = new WeakMap<Row['judgement'], string>();

function haystack(row: Row): string {
  let text = haystacks.get(row.judgement);
  if (text === undefined) haystacks.set(row.judgement, (text = searchText(row)));
  return text;
}

function searchText({ record, judgement, findings }: Row): string {
  const first = record.exchange.hops[0];
  const status = record.exchange.hops[record.exchange.hops.length - 1]?.response?.status ?? '';
  return [
    first?.method,
    ...record.exchange.hops.map((h) => h.url),
    record.exchange.type,
    judgement.verdict,
    status,
    judgement.corsError,
    judgement.firefoxReason,
    ...findings.map((f) => f.id),
  ]
    .join(' ')
    .toLowerCase();
}

/** Builds the search text of rows that have none yet while `hasTime()` allows; true once every row has one. Run
 *  when the panel is idle, so the first keystroke on 10,000 rows does not build them all at once. */
export function prepareSearch(rows: readonly Row[], hasTime: () => boolean): boolean {
  for (const row of rows) {
    if (haystacks.has(row.judgement)) continue;
    if (!hasTime()) return false;
    haystack(row);
  }
  return true;
}

export function filterRows(rows: readonly Row[], filter: RowFilter): readonly Row[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && !filter.blockedOnly && !filter.securityOnly) return rows;
  return rows.filter((row) => {
    if (filter.blockedOnly && row.judgement.verdict !== 'blocked') return false;
    if (filter.securityOnly && row.findings.length === 0) return false;
    if (words.length === 0) return true;
    const text = haystack(row);
    return words.every((w) => text.includes(w));
  });
}
