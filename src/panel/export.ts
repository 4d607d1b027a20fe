// The "Export report" file: the live tab's report (or the imported HAR's), built from the panel's state and the
// diagnoses it already derived.
import { buildReport } from '../core/report.ts';
import type { Derivations, Row } from './derive.ts';
import type { ShownHar } from './har-import.tsx';
import type { PanelHost } from './host.ts';
import type { PanelState } from './store.ts';

export function reportFile(
  state: PanelState,
  rows: readonly Row[],
  derivations: Derivations,
  host: PanelHost,
  includeSecrets: boolean,
  /** The imported HAR on screen instead of the live tab, if any. */
  har: ShownHar | null = null,
): { name: string; text: string } {
  const report = buildReport({
    tab: { id: state.tabId, url: har ? null : state.url },
    browser: har ? har.browser : host.browser,
    version: host.version,
    dropped: har ? 0 : state.dropped,
    source: har ? { kind: 'har', file: har.file, creator: har.creator } : { kind: 'webrequest' },
    records: rows.map((row) => ({ ...row.record, diagnosis: derivations.diagnosis(row), cannotTell: har?.cannotTell.get(row.record.id) ?? [] })),
    includeSecrets,
  });
  const name = har ? `corsight-report-${har.file.replace(/\.har$/i, '')}.json` : `corsight-report-${state.tabId}.json`;
  return { name, text: `${JSON.stringify(report, null, 2)}\n` };
}
