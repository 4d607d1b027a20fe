// Every CORS check the browser made, up to the one that failed: what it needed next to what the server sent.
import type { Check } from '../../core/checks.ts';
import { NetText } from '../NetText.tsx';

const STAGE: Record<Check['stage'], string> = { request: 'Request', preflight: 'Preflight', response: 'Response', redirect: 'Redirect' };

export function ChecksTable({ checks, hops }: { checks: readonly Check[]; hops: number }) {
  if (checks.length === 0) return <p class="muted">No CORS check applies to this request.</p>;
  return (
    <table class="checks" data-testid="checks-table">
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Needed</th>
          <th scope="col">Sent</th>
          <th scope="col" class="result">
            <span class="sr-only">Result</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c, i) => (
          <tr key={i} class={c.ok ? undefined : 'failing'} data-testid="check-row" data-ok={String(c.ok)}>
            <th scope="row">
              {c.header}
              <span class="stage">
                {STAGE[c.stage]}
                {hops > 1 ? ` · hop ${c.hop + 1}` : ''}
              </span>
            </th>
            <td>
              <NetText value={c.required} />
            </td>
            <td>{c.received === null ? <span class="muted">(not sent)</span> : <NetText value={c.received} />}</td>
            <td class="result">
              <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span>
              <span class="sr-only">{c.ok ? 'passed' : 'failed'}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
