// The "Export report" file: the tab's report built from the panel's state and the diagnoses it already derived.
import { buildReport } from '../core/report.ts';
import type { Derivations, Row } from './derive.ts';
import type { PanelHost } from './host.ts';
import type { PanelState } from './store.ts';

export function reportFile(
  state: PanelState,
  rows: readonly Row[],
  derivations: Derivations,
  host: PanelHost,
  includeSecrets: boolean,
): { name: string; text: string } {
  const report = buildReport({
    tab: { id: state.tabId, url: state.url },
    browser: host.browser,
    version: host.version,
    dropped: state.dropped,
    records: rows.map((row) => ({ ...row.record, diagnosis: derivations.diagnosis(row) })),
    includeSecrets,
  });
  return { name: `corsight-report-${state.tabId}.json`, text: `${JSON.stringify(report, null, 2)}\n` };
}
