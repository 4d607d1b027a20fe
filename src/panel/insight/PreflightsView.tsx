// The "Preflights" insight: per endpoint (origin, URL, method, header names) how many preflights the browser sent,
// how many its cache answered (inferred), how long it keeps them, and how many an Access-Control-Max-Age would save.
import { useMemo } from 'preact/hooks';
import { MAX_AGE_LIMITS, MOST_SAVED, preflightEndpoints, type EndpointPreflights, type MaxAge } from '../../core/preflight-cache.ts';
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

const BROWSER_LABEL = { chrome: 'Chrome', firefox: 'Firefox' } as const;

function savings(e: EndpointPreflights): string {
  if (e.passed < 2) return '—';
  const repeated = `${e.passed - 1} repeated`;
  const s = e.savings;
  if (s === null) return `${repeated}: what a Max-Age saves depends on the credentials mode of ${e.credentials.unknown} requests, which webRequest does not show`;
  if (s.maxAgeForAll === null || s.maxAgeForMost === null) {
    return `${repeated}: none avoidable (each started before an earlier preflight was answered, or with other credentials)`;
  }
  const { chrome, firefox } = MAX_AGE_LIMITS;
  const most = s.maxAgeForMost < s.maxAgeForAll ? `, ${s.maxAgeForMost} avoids ${s.savedByMost} (at least ${MOST_SAVED * 100}%)` : '';
  return `${repeated}: ${s.avoidable.chrome} avoidable with Max-Age: ${chrome.capSeconds} (Chrome's cap), ${s.avoidable.firefox} with ${firefox.capSeconds} (Firefox's cap); in ${BROWSER_LABEL[e.browser]}, Max-Age: ${s.maxAgeForAll} avoids all ${s.possible}${most}`;
}

/** Only worth a line when some requests were credentialed or their mode is unknown. */
function CredentialsLine({ e }: { e: EndpointPreflights }) {
  const { include, omit, unknown } = e.credentials;
  if (include === 0 && unknown === 0) return null;
  const parts = [include > 0 && `${include} with credentials`, omit > 0 && `${omit} without`, unknown > 0 && `${unknown} unknown (webRequest does not show it; counted as one mode)`];
  return (
    <div class="muted" data-testid="preflights-credentials">
      Credentials: {parts.filter((p) => p !== false).join(', ')}
    </div>
  );
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
                  <CredentialsLine e={e} />
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
