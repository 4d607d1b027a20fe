// The bar above the list, laid out like the Network panel's: filter, "Blocked only", "Security", clear, preserve log, export,
// and the counts.
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
      <label class="check">
        <input
          type="checkbox"
          data-testid="blocked-only"
          checked={p.blockedOnly.value}
          onChange={(e) => (p.blockedOnly.value = e.currentTarget.checked)}
        />
        Blocked only
      </label>
      <label class="check" title="Only requests whose responses allow more than they should (security findings)">
        <input
          type="checkbox"
          data-testid="security-only"
          checked={p.securityOnly.value}
          onChange={(e) => (p.securityOnly.value = e.currentTarget.checked)}
        />
        Security
      </label>
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
      <label class="check" title="Cookie, Set-Cookie, Authorization and Proxy-Authorization values are redacted unless this is on">
        <input
          type="checkbox"
          data-testid="include-secrets"
          checked={p.includeSecrets.value}
          onChange={(e) => (p.includeSecrets.value = e.currentTarget.checked)}
        />
        Include cookies and auth
      </label>
      <HarImportButton onFile={p.onImportHar} />
      <button type="button" data-testid="export" onClick={p.onExport}>
        Export report
      </button>
    </div>
  );
}
