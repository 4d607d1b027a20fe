// The detail pane for one exchange: the sentence, the fix, the checks, why a preflight was needed, credentials,
// what webRequest cannot tell apart, the other browser, every hop's headers, findings and the MDN page.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { BrowserVerdict, Diagnosis } from '../../core/diagnose.ts';
import { preflightUsesOf } from '../../core/preflight-cache.ts';
import { policyFromDiagnosis } from '../../core/snippets/policy.ts';
import type { ExchangeRecord } from '../../protocol/messages.ts';
import { NetText } from '../NetText.tsx';
import { VERDICT_LOOK } from '../verdict.ts';
import { ChecksTable } from './ChecksTable.tsx';
import { CurlButtons } from './CurlButtons.tsx';
import { FixView } from './FixView.tsx';
import { HopView } from './HopView.tsx';
import { ProbeCheck } from './ProbeCheck.tsx';
import { probeRequest, REFLECTION_QUESTIONS, type ProbeAnswer, type ProbeRequest } from '../../core/probe.ts';

export interface DetailViewProps {
  record: ExchangeRecord;
  diagnosis: Diagnosis;
  onClose(): void;
  copyText(text: string): Promise<void>;
  /** The toolbar's "Include cookies and auth": the curl commands keep secrets only then. */
  includeSecrets: boolean;
  /** The active check (src/core/probe.ts); without it the findings offer no button. */
  probe?(request: ProbeRequest): Promise<ProbeAnswer>;
  /** The tab's records, for the preflight cache replay (an OPTIONS sent where the cache should have answered). */
  tabRecords?: readonly ExchangeRecord[];
}

const BROWSER_LABEL = { chrome: 'Chrome', firefox: 'Firefox' } as const;

function Section({ title, testid, children }: { title: string; testid: string; children: ComponentChildren }) {
  return (
    <section class="detail-section" data-testid={testid}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function VerdictLine({ v }: { v: BrowserVerdict }) {
  return (
    <>
      <span class={`badge v-${v.verdict}`}>{VERDICT_LOOK[v.verdict].label}</span> <NetText value={v.sentence} />
    </>
  );
}

export function DetailView({ record, diagnosis: d, onClose, copyText, includeSecrets, probe, tabRecords }: DetailViewProps) {
  const ex = record.exchange;
  const unexpectedPreflights = useMemo(
    () => new Set((tabRecords ? preflightUsesOf(tabRecords, record) : []).filter((u) => u.predicted === 'cached' && u.observed === 'sent').map((u) => u.hop)),
    [tabRecords, record],
  );
  const probing = probe && d.findings.some((f) => REFLECTION_QUESTIONS.includes(f.id)) ? probeRequest(ex) : null;
  const first = ex.hops[0];
  const look = VERDICT_LOOK[d.verdict];
  return (
    <aside class="detail" aria-label="Request details" data-testid="detail">
      <header class="detail-head">
        <span class={`badge v-${d.verdict}`} data-testid="detail-verdict">
          <span aria-hidden="true">{look.icon} </span>
          {look.label}
        </span>
        <span class="detail-url">
          {first?.method} <NetText value={first?.url ?? ''} />
        </span>
        <button type="button" class="close" aria-label="Close details" data-testid="close-detail" onClick={onClose}>
          ✕
        </button>
      </header>

      <p class="summary" data-testid="detail-summary">
        <NetText value={d.summary} />
        {d.mdn !== null && (
          <>
            {' '}
            <a href={d.mdn} target="_blank" rel="noreferrer" data-testid="mdn-link">
              MDN: this error
            </a>
          </>
        )}
      </p>

      {d.hiddenStatus !== null && (
        <p class="callout" data-testid="hidden-status">
          The server answered <strong>{d.hiddenStatus}</strong>: the CORS error hides that status from the page. Fix the
          server error too.
        </p>
      )}

      {d.alternatives.length > 0 && (
        <Section title="Other possible reasons" testid="alternatives">
          <p>webRequest cannot tell which of these the browser reported:</p>
          <ul>
            {d.alternatives.map((a, i) => (
              <li key={i}>
                <NetText value={a.sentence} />
              </li>
            ))}
          </ul>
        </Section>
      )}

      {d.fix !== null && (
        <Section title="Fix: what the server must send" testid="fix-section">
          <FixView fix={d.fix} policy={policyFromDiagnosis(ex, d)} copyText={copyText} />
        </Section>
      )}

      <Section title="Checks" testid="checks">
        <ChecksTable checks={d.checks} hops={ex.hops.length} />
      </Section>

      {d.preflights.length > 0 && (
        <Section title="Why a preflight was needed" testid="preflight-why">
          {d.preflights.map((p) => (
            <div key={p.hop} class="preflight-why">
              <p>
                {p.method} <NetText value={p.url} />
                {p.fromCacheInferred ? ' — served from cache (inferred)' : p.seen ? '' : ' — not seen'}
              </p>
              <ul>
                {p.triggers.map((t, i) => (
                  <li key={i} data-testid="preflight-trigger" data-rule={t.rule}>
                    <NetText value={t.message} />
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </Section>
      )}

      <Section title="Credentials" testid="credentials">
        <p>
          <strong data-testid="credentials-mode">{d.credentials}</strong>
          {d.credentialsInferred && (
            <span class="tag" data-testid="credentials-inferred">
              inferred
            </span>
          )}{' '}
          <span class="muted">{d.credentialsNote}</span>
        </p>
        {d.ifCredentialed !== null && (
          <p data-testid="if-credentialed">
            If the page sent credentials: <VerdictLine v={d.ifCredentialed} />
          </p>
        )}
      </Section>

      <Section title={`In ${BROWSER_LABEL[d.otherBrowser.browser]}`} testid="other-browser">
        <p>
          <VerdictLine v={d.otherBrowser} />
        </p>
        {d.divergence !== null && (
          <p class="callout" data-testid="divergence">
            <NetText value={d.divergence} />
          </p>
        )}
      </Section>

      {d.notes.length > 0 && (
        <Section title="Notes" testid="notes">
          <ul>
            {d.notes.map((n, i) => (
              <li key={i}>
                <NetText value={n} />
              </li>
            ))}
          </ul>
        </Section>
      )}

      <Section title={ex.hops.length > 1 ? `Headers (${ex.hops.length} hops)` : 'Headers'} testid="hops">
        {ex.hops.map((hop, i) => (
          <div key={i}>
            <HopView hop={hop} index={i} diagnosis={d} cacheExpected={unexpectedPreflights.has(i)} />
            <CurlButtons exchange={ex} hop={i} includeSecrets={includeSecrets} copyText={copyText} />
          </div>
        ))}
      </Section>

      {d.findings.length > 0 && (
        <Section title="Security findings" testid="findings">
          <ul>
            {d.findings.map((f) => (
              <li key={f.id} class={`finding ${f.severity}`} data-testid="finding">
                <span class="tag">{f.severity}</span>{' '}
                <strong class="finding-title" data-testid="finding-title">
                  <NetText value={f.title} />
                </strong>
                {': '}
                <span data-testid="finding-why">
                  <NetText value={f.why} />
                </span>
              </li>
            ))}
          </ul>
          {probe && probing && <ProbeCheck key={record.id} request={probing} probe={probe} />}
        </Section>
      )}
    </aside>
  );
}
