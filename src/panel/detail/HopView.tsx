// One URL of the request's chain: its preflight (or the inference that the cache answered it), the request and
// response headers with the offending ones highlighted, and where it redirected.
import type { Diagnosis } from '../../core/diagnose.ts';
import { redirectTarget } from '../../core/evaluate.ts';
import { effectiveMaxAge, storesPreflight, unexpectedPreflightNote } from '../../core/preflight-cache.ts';
import type { ObservedHop } from '../../core/types.ts';
import { NetText } from '../NetText.tsx';
import { HeaderTable } from './HeaderTable.tsx';
import { offendersOf } from '../../core/offenders.ts';

export interface HopViewProps {
  hop: ObservedHop;
  index: number;
  diagnosis: Diagnosis;
  /** The tab's earlier preflights say the cache should have answered this hop's OPTIONS (preflightUses). */
  cacheExpected?: boolean;
}

/** `missing` says why there is no status: the request never went out, or no response came back (yet). */
function Status({ status, missing, bad, testid }: { status: number | null; missing: string; bad: boolean; testid: string }) {
  return (
    <span class={bad ? 'status offending' : 'status'} data-testid={testid} data-offending={bad ? 'true' : undefined}>
      {status === null ? missing : `HTTP ${status}`}
    </span>
  );
}

export function HopView({ hop, index, diagnosis, cacheExpected = false }: HopViewProps) {
  const o = offendersOf(diagnosis, index);
  const cached = diagnosis.preflights.some((p) => p.hop === index && p.fromCacheInferred);
  const pre = hop.preflight;
  const target = redirectTarget(hop);
  const preResponse = pre?.response ?? null;
  const failedHere = diagnosis.checks.some((c) => c.hop === index && c.stage === 'preflight' && !c.ok);
  const cachedFor = storesPreflight(preResponse, failedHere)
    ? [diagnosis.browser, diagnosis.otherBrowser.browser].map((b) => effectiveMaxAge(preResponse.headers, b).explanation)
    : null;
  return (
    <section class="hop" data-testid="hop" aria-label={index === 0 ? 'Initial request' : `Redirect ${index}`}>
      <h4>
        {index === 0 ? 'Request' : `After redirect ${index}`}: {hop.method} <NetText value={hop.url} />
      </h4>
      {pre && (
        <div class="part" data-testid="preflight">
          <h5>
            Preflight OPTIONS <Status status={pre.response?.status ?? null} missing="no response" bad={o.preflightStatus} testid="preflight-status" />
            {pre.error !== null && (
              <>
                {' '}
                <span class="muted">
                  error <NetText value={pre.error} />
                </span>
              </>
            )}
          </h5>
          <div class="pair">
            <HeaderTable title="Request headers" headers={pre.requestHeaders} offending={o.preflightRequest} showMissing={false} testid="preflight-request-headers" />
            <HeaderTable title="Response headers" headers={pre.response?.headers ?? null} offending={o.preflightResponse} showMissing testid="preflight-response-headers" />
          </div>
          {cachedFor && (
            <p class="muted" data-testid="preflight-max-age">
              Preflight cache: <NetText value={cachedFor.join(' ')} />
            </p>
          )}
          {cacheExpected && (
            <p class="muted" data-testid="preflight-cache-unexpected">
              Observation: {unexpectedPreflightNote(diagnosis.browser)}
            </p>
          )}
        </div>
      )}
      {cached && <p class="muted" data-testid="preflight-cached">Preflight: not seen; served from the preflight cache (inferred).</p>}
      <div class="part" data-testid="actual">
        <h5>
          {pre || cached ? 'Actual request' : 'Request'} <Status
            status={hop.response?.status ?? null}
            missing={hop.requestHeaders === null ? 'not sent' : 'no response'}
            bad={false}
            testid="response-status"
          />
        </h5>
        <div class="pair">
          <HeaderTable title="Request headers" headers={hop.requestHeaders} offending={o.request} showMissing={false} testid="request-headers" />
          <HeaderTable title="Response headers" headers={hop.response?.headers ?? null} offending={o.response} showMissing testid="response-headers" />
        </div>
      </div>
      {target !== null && (
        <p class="redirect" data-testid="redirect">
          ↳ {hop.response ? `${hop.response.status} ` : ''}redirect to <NetText value={target} />
          {hop.redirectTo === null && ' (not followed)'}
        </p>
      )}
    </section>
  );
}
