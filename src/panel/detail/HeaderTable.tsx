// One list of headers as captured, in order with duplicates kept; offending ones highlighted, and offending ones
// the server did not send shown as missing (the most common CORS failure is an absent header).
import type { HeaderList } from '../../core/types.ts';
import { NetText } from '../NetText.tsx';

export interface HeaderTableProps {
  title: string;
  /** null: the listener never saw these headers. */
  headers: HeaderList | null;
  /** Lowercased names to highlight. */
  offending: ReadonlySet<string>;
  /** List offending names that are absent as "(not sent)" rows: for responses, where absence is the error. */
  showMissing: boolean;
  testid: string;
}

/** Canonical spelling for a missing header's row ("access-control-allow-origin" → "Access-Control-Allow-Origin"). */
function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

export function HeaderTable({ title, headers, offending, showMissing, testid }: HeaderTableProps) {
  const present = new Set((headers ?? []).map(([n]) => n.toLowerCase()));
  const missing = showMissing ? [...offending].filter((n) => !present.has(n)) : [];
  return (
    <div class="headers" data-testid={testid}>
      <h5>{title}</h5>
      {headers === null ? (
        <p class="muted">Not visible to the extension.</p>
      ) : (
        <table class="header-table">
          <tbody>
            {headers.map(([name, value], i) => {
              const bad = offending.has(name.toLowerCase());
              return (
                <tr key={i} class={bad ? 'offending' : undefined} data-testid="header-row" data-offending={bad ? 'true' : undefined}>
                  <th scope="row">
                    <NetText value={name} />
                    {bad && <span class="sr-only"> (the problem)</span>}
                  </th>
                  <td>
                    <NetText value={value} />
                  </td>
                </tr>
              );
            })}
            {missing.map((name) => (
              <tr key={name} class="offending missing" data-testid="header-row" data-offending="true">
                <th scope="row">
                  {titleCase(name)}
                  <span class="sr-only"> (the problem)</span>
                </th>
                <td class="muted">(not sent)</td>
              </tr>
            ))}
            {headers.length === 0 && missing.length === 0 && (
              <tr>
                <td colSpan={2} class="muted">
                  (none)
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
