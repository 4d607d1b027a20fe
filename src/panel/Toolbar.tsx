// The bar above the list, laid out like the Network panel's: clear, filter, "Blocked only", "Security", preserve log,
// the Preflights view, include secrets, HAR import and export.
import type { Signal } from '@preact/signals';
import { HarImportButton } from './har-import.tsx';

export interface ToolbarProps {
  filterText: Signal<string>;
  blockedOnly: Signal<boolean>;
  securityOnly: Signal<boolean>;
  includeSecrets: Signal<boolean>;
  /** Shows the per-endpoint preflight table instead of the list. */
  preflightsView: Signal<boolean>;
  preserveLog: boolean;
  onPreserveLog(on: boolean): void;
  onClear(): void;
  onExport(): void;
  onImportHar(file: File): void;
}

/** A toolbar checkbox bound to a signal. */
function Check({ label, testid, on, title }: { label: string; testid: string; on: Signal<boolean>; title?: string }) {
  return (
    <label class="check" title={title}>
      <input type="checkbox" data-testid={testid} checked={on.value} onChange={(e) => (on.value = e.currentTarget.checked)} />
      {label}
    </label>
  );
}

export function Toolbar(p: ToolbarProps) {
  return (
    <div class="toolbar">
      <button type="button" class="icon-button" aria-label="Clear" title="Clear" data-testid="clear" onClick={p.onClear}>
        <span aria-hidden="true">⊘</span>
      </button>
      <span class="divider" />
      <input
        type="search"
        class="filter"
        placeholder="Filter"
        aria-label="Filter requests"
        data-testid="filter"
        value={p.filterText.value}
        onInput={(e) => (p.filterText.value = e.currentTarget.value)}
      />
      <Check label="Blocked only" testid="blocked-only" on={p.blockedOnly} />
      <Check label="Security" testid="security-only" on={p.securityOnly} title="Only requests whose responses allow more than they should (security findings)" />
      <span class="divider" />
      <label class="check">
        <input
          type="checkbox"
          data-testid="preserve-log"
          checked={p.preserveLog}
          onChange={(e) => p.onPreserveLog(e.currentTarget.checked)}
        />
        Preserve log
      </label>
      <button
        type="button"
        aria-pressed={p.preflightsView.value}
        data-testid="preflights-toggle"
        title="Preflights per endpoint: sent, served from the cache, and what Access-Control-Max-Age would save"
        onClick={() => (p.preflightsView.value = !p.preflightsView.value)}
      >
        Preflights
      </button>
      <span class="spacer" />
      <Check
        label="Include cookies and auth"
        testid="include-secrets"
        on={p.includeSecrets}
        title="Cookie, Set-Cookie, Authorization and Proxy-Authorization values are redacted unless this is on"
      />
      <HarImportButton onFile={p.onImportHar} />
      <button type="button" data-testid="export" onClick={p.onExport}>
        Export report
      </button>
    </div>
  );
}
