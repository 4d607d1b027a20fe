// The preflight cache and "Copy as curl" in the panel, over recorded Chromium and Firefox exchanges: the row marker
// and the detail for a preflight the cache answered (or should have), the per-endpoint Preflights view, and the curl
// buttons with secrets redacted until "Include cookies and auth" is on.
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../src/core/report.ts';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { openPanel } from './harness.tsx';
import { recordedExchanges, recordOf } from './recorded.ts';

/** The three PUTs of one recorded run: Chromium sent one OPTIONS (Max-Age 600) and answered the other two from its cache. */
const three: ExchangeRecord[] = recordedExchanges('chrome')
  .filter((r) => r.scenario === 'preflight-cache-max-age-600-three')
  .map((r) => r.record);

function rows(): HTMLElement[] {
  return screen.getAllByTestId('request-row');
}

describe('preflight cache in the list and details', () => {
  it('marks the requests whose preflight came from the cache, saying it is inferred', async () => {
    await openPanel(three);
    expect(rows()).toHaveLength(3);
    const marked = rows().filter((r) => within(r).queryByTestId('row-preflight-cached') !== null);
    expect(marked).toHaveLength(2);
    expect(within(marked[0]!).getByTestId('row-preflight-cached').getAttribute('aria-label')).toMatch(/preflight cache \(inferred\)/);
    fireEvent.click(marked[0]!);
    expect(screen.getByTestId('preflight-cached').textContent).toMatch(/served from the preflight cache \(inferred\)/);
    // Its preflight can still be copied: rebuilt from the request, as the browser would send it.
    fireEvent.click(screen.getByTestId('copy-preflight-curl'));
    await screen.findByText(/Copied the preflight as curl/);
  });

  it('says in the details how long each browser keeps a preflight that passed', async () => {
    await openPanel(three);
    const first = rows().find((r) => within(r).queryByTestId('row-preflight-cached') === null)!;
    fireEvent.click(first);
    expect(screen.getByTestId('preflight-max-age').textContent).toBe('Preflight cache: Chrome keeps the preflight 600 s. Firefox keeps the preflight 600 s.');
  });

  it('does not claim a failed preflight is cached', async () => {
    await openPanel([recordOf('preflight-acah-missing')]);
    fireEvent.click(rows()[0]!);
    expect(screen.getByTestId('preflight')).toBeTruthy();
    expect(screen.queryByTestId('preflight-max-age')).toBeNull();
  });

  it('shows the Preflights view per endpoint: sent, served from cache, effective max-age', async () => {
    await openPanel(three);
    fireEvent.click(screen.getByTestId('preflights-toggle'));
    expect(screen.getByTestId('preflights-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(screen.queryByTestId('request-list')).toBeNull();
    const [row] = screen.getAllByTestId('preflights-row');
    expect(within(row!).getByTestId('preflights-endpoint').textContent).toMatch(/^PUT http:\/\/127\.0\.0\.1:\d+\/s\/preflight-cache-max-age-600-three\/.* with x-foo/);
    expect(within(row!).getByTestId('preflights-sent').textContent).toBe('1');
    expect(within(row!).getByTestId('preflights-cached').textContent).toBe('2');
    expect(within(row!).getByTestId('preflights-max-age').dataset.seconds).toBe('600');
    fireEvent.click(screen.getByTestId('preflights-toggle'));
    expect(screen.getAllByTestId('request-row')).toHaveLength(3);
  });

  it('counts the preflights a Max-Age would have saved', async () => {
    // Max-Age 0: Chromium sent the OPTIONS twice.
    const twice = recordedExchanges('chrome').filter((r) => r.scenario === 'preflight-cache-max-age-0').map((r) => r.record);
    await openPanel(twice);
    fireEvent.click(screen.getByTestId('preflights-toggle'));
    const [row] = screen.getAllByTestId('preflights-row');
    expect(within(row!).getByTestId('preflights-sent').textContent).toBe('2');
    expect(within(row!).getByTestId('preflights-max-age').textContent).toMatch(/^0 s not cached/);
    expect(within(row!).getByTestId('preflights-avoidable').textContent).toMatch(/^1 repeated: 1 avoidable with Max-Age: 7200 \(Chrome's cap\), 1 with 86400/);
  });

  it('shows the smallest Max-Age that saves 90% next to the one that saves all', async () => {
    // The recorded Max-Age 0 PUT, repeated each second ten times and once more 3 hours later.
    const [once] = recordedExchanges('chrome').filter((r) => r.scenario === 'preflight-cache-max-age-0').map((r) => r.record);
    const at = (ms: number, id: string): ExchangeRecord => {
      const hops = once!.exchange.hops.map((h) => (h.preflight ? { ...h, preflight: { ...h.preflight, respondedAt: h.preflight.respondedAt! + ms } } : h));
      return { ...once!, id, startedAt: once!.startedAt + ms, exchange: { ...once!.exchange, hops } };
    };
    await openPanel([...Array.from({ length: 11 }, (_, i) => at(i * 1000, `r${i}`)), at(10_800_000, 'late')]);
    fireEvent.click(screen.getByTestId('preflights-toggle'));
    const [row] = screen.getAllByTestId('preflights-row');
    expect(within(row!).getByTestId('preflights-avoidable').textContent).toBe(
      "11 repeated: 10 avoidable with Max-Age: 7200 (Chrome's cap), 11 with 86400 (Firefox's cap); in Chrome, Max-Age: 10800 avoids all 11, 10 avoids 10 (at least 90%)",
    );
  });

  it('says which requests had an unknown credentials mode', async () => {
    const twoUnknown = recordedExchanges('chrome').filter((r) => r.scenario === 'preflight-cache-max-age-600-credentials').map((r) => r.record);
    await openPanel(twoUnknown);
    fireEvent.click(screen.getByTestId('preflights-toggle'));
    expect(screen.getByTestId('preflights-credentials').textContent).toBe('Credentials: 2 unknown (webRequest does not show it; counted as one mode)');
  });

  it('adds no credentials line when every request went without them', async () => {
    await openPanel(three);
    fireEvent.click(screen.getByTestId('preflights-toggle'));
    expect(screen.getAllByTestId('preflights-row')).toHaveLength(1);
    expect(screen.queryByTestId('preflights-credentials')).toBeNull();
  });

  it('says so when there is no preflight yet', async () => {
    await openPanel([recordOf('simple-no-acao')]);
    fireEvent.click(screen.getByTestId('preflights-toggle'));
    expect(screen.getByTestId('preflights-empty')).toBeTruthy();
  });
});

describe('an OPTIONS the cache should have answered', () => {
  it('is shown in the details as an observation, not an error', async () => {
    // Recorded in Firefox with an IP-literal API: its cache dropped the first preflight (newer DNS record) and the
    // second PUT sent the OPTIONS again, although Max-Age allowed reuse.
    const ff = recordedExchanges('firefox').filter((r) => r.scenario === 'preflight-cache-max-age').map((r) => r.record);
    await openPanel(ff);
    fireEvent.click(rows()[0]!);
    expect(screen.queryByTestId('preflight-cache-unexpected')).toBeNull();
    fireEvent.click(rows()[1]!);
    expect(screen.getByTestId('detail-verdict').textContent).toMatch(/Allowed/);
    const note = screen.getByTestId('preflight-cache-unexpected').textContent;
    expect(note).toMatch(/^Observation: Expected from the preflight cache .* but the browser sent the OPTIONS\. Not an error/);
    expect(note).toMatch(/DNS record/);
  });

  it('is not claimed where the cache answered as expected', async () => {
    await openPanel(three);
    for (const r of rows()) {
      fireEvent.click(r);
      expect(screen.queryByTestId('preflight-cache-unexpected')).toBeNull();
    }
  });
});

describe('Copy as curl', () => {
  it('copies the preflight and the request, with Authorization redacted until secrets are included', async () => {
    const { host } = await openPanel([recordOf('trigger-authorization-preflight-ok')]);
    fireEvent.click(rows()[0]!);
    fireEvent.click(screen.getByTestId('copy-preflight-curl'));
    await screen.findByText('Copied the preflight as curl.');
    expect(host.copied[0]).toMatch(/^curl --globoff -i -X 'OPTIONS' 'http:\/\/127\.0\.0\.1:\d+\/s\/trigger-authorization-preflight-ok\//);
    expect(host.copied[0]).toContain("'Access-Control-Request-Headers: authorization'");
    fireEvent.click(screen.getByTestId('copy-request-curl'));
    await screen.findByText('Copied the request as curl.');
    expect(host.copied[1]).toContain(`'Authorization: ${REDACTED}'`);
    expect(host.copied[1]).not.toContain('Bearer x');
    fireEvent.click(screen.getByTestId('include-secrets'));
    fireEvent.click(screen.getByTestId('copy-request-curl'));
    await screen.findByText('Copied the request as curl (with cookies and auth).');
    expect(host.copied[2]).toContain("'Authorization: Bearer x'");
  });
});
