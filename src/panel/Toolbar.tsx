// The bar above the list, laid out like the Network panel's: filter, "Blocked only", clear, preserve log, export,
// and the counts.
import type { Signal } from '@preact/signals';

export interface ToolbarProps {
  filterText: Signal<string>;
  blockedOnly: Signal<boolean>;
  includeSecrets: Signal<boolean>;
  preserveLog: boolean;
  onPreserveLog(on: boolean): void;
  onClear(): void;
  onExport(): void;
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
      <button type="button" data-testid="export" onClick={p.onExport}>
        Export report
      </button>
    </div>
  );
}
