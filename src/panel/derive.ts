// The engine's results per exchange, memoized by revision: the verdict for every row, the diagnosis only when a
// row is shown or opened (judge is ~2.5x cheaper than diagnose, and 10,000 rows must stay fast).
import { explain, type Diagnosis } from '../core/diagnose.ts';
import { judge, type Judgement } from '../core/judge.ts';
import type { ExchangeRecord } from '../protocol/messages.ts';

export interface Row {
  record: ExchangeRecord;
  judgement: Judgement;
}

interface Entry {
  revision: number;
  judgement: Judgement;
  diagnosis: Diagnosis | null;
}

export interface Derivations {
  /** One row per record, in the records' order; entries of records no longer present are forgotten. */
  rows(records: readonly ExchangeRecord[]): Row[];
  diagnosis(row: Row): Diagnosis;
}

export function createDerivations(): Derivations {
  let cache = new Map<string, Entry>();
  return {
    rows(records) {
      const next = new Map<string, Entry>();
      const rows = records.map((record) => {
        const old = cache.get(record.id);
        const entry = old && old.revision === record.revision
          ? old
          : { revision: record.revision, judgement: judge(record.exchange), diagnosis: null };
        next.set(record.id, entry);
        return { record, judgement: entry.judgement };
      });
      cache = next;
      return rows;
    },
    diagnosis({ record, judgement }) {
      const entry = cache.get(record.id);
      if (entry && entry.judgement === judgement) return (entry.diagnosis ??= explain(record.exchange, judgement));
      // A row from before the last refresh: still correct, just not worth caching.
      return explain(record.exchange, judgement);
    },
  };
}
