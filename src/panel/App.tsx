// The panel's root: one tab's requests from the transport, the list, the details of the selected one, and the
// export. Everything arrives through props; main.tsx is the only place that knows about the browser.
import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { dependsOnCredentials } from '../core/judge.ts';
import { createDerivations } from './derive.ts';
import { DetailView } from './detail/DetailView.tsx';
import { reportFile } from './export.ts';
import type { PanelHost } from './host.ts';
import { filterRows } from './list/filter.ts';
import { RequestList } from './list/RequestList.tsx';
import { useIdleSearch } from './list/use-idle-search.ts';
import { connectStore, type Connection, type PanelTransport } from './store.ts';
import { PreflightsView } from './insight/PreflightsView.tsx';
import { Toolbar } from './Toolbar.tsx';
import { useHarImport } from './har-import.tsx';

export interface AppProps {
  transport: PanelTransport;
  tabId: number;
  host: PanelHost;
}

/** Shown instead of <App> when the panel cannot tell which tab to show (a bad `?tabId=`, no DevTools). */
export function NoTab() {
  return (
    <main class="panel" data-testid="corsight-panel">
      <p class="empty" data-testid="panel-tab">
        No inspected tab.
      </p>
    </main>
  );
}

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Recording',
  'version-mismatch': 'This panel and the background are different versions of Corsight: reload the extension.',
};

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function App({ transport, tabId, host }: AppProps) {
  // An imported HAR replaces the live data source until the user goes back to the tab.
  const har = useHarImport(transport, tabId);
  const store = useMemo(() => connectStore(har.transport, tabId), [har.transport, tabId]);
  useEffect(() => store.dispose, [store]);
  const derivations = useMemo(createDerivations, [store]);

  const filterText = useSignal('');
  const blockedOnly = useSignal(false);
  const securityOnly = useSignal(false);
  const includeSecrets = useSignal(false);
  const preflightsView = useSignal(false);
  const selectedId = useSignal<string | null>(null);
  const detailOpen = useSignal(false);
  const gridRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const rows = useComputed(() => derivations.rows(store.state.value.records));
  useIdleSearch(rows.value);
  const shown = useComputed(() =>
    filterRows(rows.value, { text: filterText.value, blockedOnly: blockedOnly.value, securityOnly: securityOnly.value }),
  );
  const blocked = useComputed(() => rows.value.reduce((n, r) => n + (r.judgement.verdict === 'blocked' ? 1 : 0), 0));
  const risky = useComputed(() => rows.value.reduce((n, r) => n + (r.findings.length > 0 ? 1 : 0), 0));
  const uncertain = useComputed(() => rows.value.reduce((n, r) => n + (dependsOnCredentials(r.judgement) ? 1 : 0), 0));
  const opened = useComputed(() =>
    detailOpen.value ? (rows.value.find((r) => r.record.id === selectedId.value) ?? null) : null,
  );

  const state = store.state.value;
  const closeDetail = (): void => {
    detailOpen.value = false;
    gridRef.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && detailOpen.value) {
      e.preventDefault();
      closeDetail();
    }
  };
  const onExport = (): void => {
    const file = reportFile(state, rows.value, derivations, host, includeSecrets.value, har.showing);
    host.saveFile(file.name, file.text);
  };
  const filtered = filterText.value.trim() !== '' || blockedOnly.value || securityOnly.value;
  const openRow = opened.value;

  return (
    <main class="panel" data-testid="corsight-panel" onKeyDown={onKeyDown} {...har.dropHandlers}>
      <Toolbar
        filterText={filterText}
        blockedOnly={blockedOnly}
        securityOnly={securityOnly}
        includeSecrets={includeSecrets}
        preflightsView={preflightsView}
        preserveLog={state.preserveLog}
        onPreserveLog={store.setPreserveLog}
        onClear={store.clear}
        onExport={onExport}
        onImportHar={har.open}
      />
      {har.banner}
      {preflightsView.value ? (
        <PreflightsView records={state.records} />
      ) : (
        <div class={openRow ? 'split open' : 'split'}>
          <RequestList
            rows={shown.value}
            selectedId={selectedId.value}
            reason={(row) => derivations.diagnosis(row).summary}
            onSelect={(id) => (selectedId.value = id)}
            onOpen={(id) => {
              selectedId.value = id;
              detailOpen.value = true;
            }}
            compact={openRow !== null}
            emptyText={
              filtered && rows.value.length > 0
                ? 'No request matches the filter.'
                : 'No cross-origin requests yet. Requests the page makes from now on appear here.'
            }
            gridRef={gridRef}
            scrollRef={scrollRef}
          />
          {openRow && (
            // Keyed by exchange: a copy status or a credentials answer given for one exchange never shows on another.
            <DetailView key={openRow.record.id} record={openRow.record} diagnosis={derivations.diagnosis(openRow)} onClose={closeDetail} copyText={host.copyText} includeSecrets={includeSecrets.value} probe={store.probe} tabRecords={state.records} />
          )}
        </div>
      )}
      <footer class="status-bar">
        <span data-testid="request-count">
          {filtered ? `${shown.value.length.toLocaleString('en-US')} / ` : ''}
          {plural(rows.value.length, 'request', 'requests')}
        </span>
        <span class={blocked.value > 0 ? 'blocked-count has-blocked' : 'blocked-count'} data-testid="blocked-count">
          {blocked.value.toLocaleString('en-US')} blocked
        </span>
        {risky.value > 0 && (
          <span class="findings-count" data-testid="findings-count">
            {risky.value.toLocaleString('en-US')} with security findings
          </span>
        )}
        {uncertain.value > 0 && (
          <span data-testid="uncertain-count" title="Allowed only if the page sent no cookies or HTTP auth: the browser does not show whether it did (marked ? in the list)">
            {uncertain.value.toLocaleString('en-US')} uncertain
          </span>
        )}
        {state.dropped > 0 && (
          <span class="dropped" data-testid="dropped-count">
            {plural(state.dropped, 'older request', 'older requests')} dropped
          </span>
        )}
        <span class="spacer" />
        <span data-testid="panel-status" role="status">
          {har.showing === null ? CONNECTION_TEXT[state.connection] : `Imported HAR: ${har.showing.file} (the live tab is still recorded)`}
        </span>
        <span data-testid="panel-tab">Inspected tab: {tabId}</span>
      </footer>
    </main>
  );
}
