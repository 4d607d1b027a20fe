// The "Preflights" insight: per endpoint (origin, URL, method, header names) how many preflights the browser sent,
// how many its cache answered (inferred), how long it keeps them, and how many an Access-Control-Max-Age would save.
import { useMemo } from 'preact/hooks';
import { MAX_AGE_LIMITS, preflightEndpoints, type EndpointPreflights, type MaxAge } from '../../core/preflight-cache.ts';
import type { ExchangeRecord } from '../../protocol/messages.ts';
import { NetText } from '../NetText.tsx';

export interface PreflightsViewProps {
  records: readonly ExchangeRecord[];
}

const SOURCE_LABEL: Record<MaxAge['source'], string> = {
  default: 'default',
  header: 'from the header',
  capped: 'capped',
  'not-cached': 'not cached',
};

function MaxAgeCell({ maxAge }: { maxAge: MaxAge | null }) {
  if (maxAge === null) return <span class="muted">no preflight passed</span>;
  return (
    <span title={maxAge.explanation} data-testid="preflights-max-age" data-seconds={maxAge.seconds}>
      {maxAge.seconds} s <span class="tag">{SOURCE_LABEL[maxAge.source]}</span>
      {maxAge.raw !== null && (
        <span class="muted">
          {' '}
          (Access-Control-Max-Age: <NetText value={maxAge.raw} />)
        </span>
      )}
    </span>
  );
}

function savings(e: EndpointPreflights): string {
  if (e.maxAgeForAll === null) return '—';
  const { chrome, firefox } = MAX_AGE_LIMITS;
  return `${e.passed - 1} repeated: ${e.avoidable.chrome} avoidable with Max-Age: ${chrome.capSeconds} (Chrome's cap), ${e.avoidable.firefox} with ${firefox.capSeconds} (Firefox's cap); Max-Age: ${e.maxAgeForAll} avoids them all`;
}

export function PreflightsView({ records }: PreflightsViewProps) {
  const endpoints = useMemo(() => preflightEndpoints(records), [records]);
  return (
    <section class="preflights" aria-label="Preflights per endpoint" data-testid="preflights-view">
      {endpoints.length === 0 ? (
        <p class="empty" data-testid="preflights-empty">
          No preflights yet. Requests that need one (a method other than GET, HEAD or POST, or a custom header) appear here.
        </p>
      ) : (
        <table class="preflights-table">
          <thead>
            <tr>
              <th>Endpoint</th>
              <th>Preflights sent</th>
              <th>Served from cache (inferred)</th>
              <th>Effective max-age</th>
              <th>Avoidable with Access-Control-Max-Age</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e, i) => (
              <tr key={i} data-testid="preflights-row">
                <td data-testid="preflights-endpoint">
                  {e.key.method} <NetText value={e.key.url} />
                  {e.key.headerNames.length > 0 && (
                    <span class="muted">
                      {' '}
                      with <NetText value={e.key.headerNames.join(', ')} />
                    </span>
                  )}
                  <div class="muted">
                    from <NetText value={e.key.origin} />
                  </div>
                </td>
                <td data-testid="preflights-sent">{e.sent}</td>
                <td data-testid="preflights-cached">{e.fromCache}</td>
                <td>
                  <MaxAgeCell maxAge={e.maxAge} />
                </td>
                <td data-testid="preflights-avoidable">{savings(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
