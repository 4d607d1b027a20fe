// The engine's results per exchange, memoized by revision: the verdict for every row, the diagnosis only when a
// row is shown or opened (judge is ~2.5x cheaper than diagnose, and 10,000 rows must stay fast). Security findings
// come with the verdict: lint only reads the judged chain's headers, so the Security filter needs no diagnosis.
import { explain, type Diagnosis } from '../core/diagnose.ts';
import { judge, type Judgement } from '../core/judge.ts';
import { lint, worstSeverity, type Finding, type Severity } from '../core/lint.ts';
import type { ExchangeRecord } from '../protocol/messages.ts';

export interface Row {
  record: ExchangeRecord;
  judgement: Judgement;
  findings: readonly Finding[];
  /** The worst finding's severity, for the row's marker; null without findings. */
  severity: Severity | null;
}

interface Entry {
  revision: number;
  judgement: Judgement;
  findings: readonly Finding[];
  severity: Severity | null;
  diagnosis: Diagnosis | null;
}

function entryOf(record: ExchangeRecord): Entry {
  const judgement = judge(record.exchange);
  const findings = lint(judgement);
  return { revision: record.revision, judgement, findings, severity: worstSeverity(findings), diagnosis: null };
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
        const entry = old && old.revision === record.revision ? old : entryOf(record);
        next.set(record.id, entry);
        return { record, judgement: entry.judgement, findings: entry.findings, severity: entry.severity };
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
