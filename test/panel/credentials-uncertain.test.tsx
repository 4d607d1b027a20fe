// The list row of a request whose verdict hinges on a credentials mode the browser did not show, on real Firefox
// and Chromium captures: Firefox completes a CORS-blocked simple request like an allowed one, so "Allowed" needs a
// qualifier there; Chromium reports the block as an error, so its rows need none.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/core/judge.ts';
import { rowDomId } from '../../src/panel/list/RequestList.tsx';
import { compareRecording } from '../conformance/agreement.ts';
import { loadRecording, loadScenarios } from '../conformance/corpus.ts';
import { openPanel } from './harness.tsx';
import { recordedExchanges } from './recorded.ts';
import { VIEWPORT_HEIGHT } from './setup.ts';

const CAVEAT = 'Allowed without credentials; blocked if the page sent cookies or HTTP auth (Firefox does not show which)';

interface ShownRow {
  verdict: string;
  cell: string;
  marker: { label: string | null; title: string | null } | null;
  reason: string;
}

/** Every row as the list shows it, scrolled through viewport by viewport (only rows in view are rendered). */
async function scrollThrough(total: number): Promise<Map<string, ShownRow>> {
  const body = screen.getByTestId('request-list-body');
  const shown = new Map<string, ShownRow>();
  for (let top = 0; shown.size < total; top += VIEWPORT_HEIGHT) {
    await act(async () => body.scrollTo({ top }));
    for (const row of screen.getAllByTestId('request-row')) {
      const marker = row.querySelector('[data-testid="row-credentials-dependent"]');
      shown.set(row.id, {
        verdict: row.dataset.verdict ?? '',
        cell: within(row).getAllByRole('gridcell')[4]!.textContent ?? '',
        marker: marker && { label: marker.getAttribute('aria-label'), title: marker.getAttribute('title') },
        reason: within(row).getByTestId('row-reason').textContent ?? '',
      });
    }
    if (top > total * 21 + VIEWPORT_HEIGHT) throw new Error(`scrolled past the end with ${shown.size}/${total} rows seen`);
  }
  return shown;
}

/** The page's own credentials mode per scenario (what the recorder's fetch() was told). */
const pageCredentials = new Map(loadScenarios('main').map((s) => [s.id, s.request.credentials ?? 'same-origin']));

describe('Firefox rows whose verdict depends on the unseen credentials mode', () => {
  const recorded = recordedExchanges('firefox');

  it('carry a "?" with the caveat on every row Firefox blocked for credentials the extension could not see, and never on a row whose mode is known', async () => {
    await openPanel(recorded.map((r) => r.record));
    const shown = await scrollThrough(recorded.length);
    const marked = recorded.filter((r) => shown.get(rowDomId(r.record.id))!.marker !== null);

    // The browser is the oracle: every fetch it blocked (the page sent credentials, no Cookie went out, Firefox
    // completed it anyway) while the engine's verdict says "allowed" is marked.
    const blockedForCredentials = compareRecording(loadRecording('firefox')!).filter(
      (a) => a.diagnosis?.verdict === 'allowed' && a.browser.verdict !== 'allowed' && a.agreement === 'agree-ambiguous',
    );
    expect(blockedForCredentials.length).toBeGreaterThanOrEqual(14);
    const markedScenarios = new Set(marked.map((r) => r.scenario));
    expect(blockedForCredentials.map((a) => a.id).filter((id) => !markedScenarios.has(id))).toEqual([]);
    expect(blockedForCredentials.every((a) => pageCredentials.get(a.id) === 'include')).toBe(true);

    for (const r of marked) {
      const row = shown.get(rowDomId(r.record.id))!;
      // The verdict stays (Firefox let the page read it unless it sent credentials), with the qualifier beside it.
      expect(row.verdict, r.scenario).toBe('allowed');
      expect(row.cell).toMatch(/^Allowed\?/);
      expect(row.marker).toEqual({ label: CAVEAT, title: CAVEAT });
      expect(row.reason.startsWith(`${CAVEAT}. `), row.reason).toBe(true);
      expect(row.reason).toMatch(/credentials/i);
    }
    // Rows whose credentials mode was seen (a Cookie header), inferred from how they ended, or irrelevant are
    // never qualified; nor is a plain "Allowed" reason left on a qualified row.
    for (const r of recorded) {
      const row = shown.get(rowDomId(r.record.id))!;
      if (judge(r.record.exchange).credentialsSource !== 'unknown') expect(row.marker, r.scenario).toBeNull();
      if (row.marker === null) expect(row.cell).not.toContain('?');
    }
    // Among them: fetches whose Cookie header showed the mode, including ones the server let through.
    const observed = recorded.filter((r) => judge(r.record.exchange).credentialsSource === 'observed');
    expect(observed.some((r) => shown.get(rowDomId(r.record.id))!.verdict === 'allowed')).toBe(true);

    // The status bar counts them; "Blocked only" treats them as allowed.
    expect(screen.getByTestId('uncertain-count').textContent).toBe(`${marked.length} uncertain`);
    console.log(`firefox: ${marked.length} of ${recorded.length} recorded rows carry the credentials qualifier (${blockedForCredentials.length} of them blocked by Firefox)`);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Blocked only' }));
    await waitFor(() => expect(screen.getByTestId('request-count').textContent).toMatch(/ \/ 390 requests$/));
    const blockedShown = Number.parseInt(screen.getByTestId('request-count').textContent!, 10);
    expect(blockedShown).toBe(Number.parseInt(screen.getByTestId('blocked-count').textContent!, 10));
    expect(screen.queryAllByTestId('row-credentials-dependent')).toEqual([]);
  });
});

describe('Chromium rows', () => {
  it('carry no credentials qualifier: a blocked request ends in an error, so the outcome settles the mode', async () => {
    const recorded = recordedExchanges('chrome');
    await openPanel(recorded.map((r) => r.record));
    const shown = await scrollThrough(recorded.length);
    expect([...shown.values()].filter((r) => r.marker !== null)).toEqual([]);
    expect(screen.queryByTestId('uncertain-count')).toBeNull();
    // The Chromium fetches that sent credentials without a Cookie and were blocked are shown blocked outright.
    const blockedWithCredentials = compareRecording(loadRecording('chrome')!).filter(
      (a) => pageCredentials.get(a.id) === 'include' && a.browser.verdict === 'blocked' && a.diagnosis !== null,
    );
    expect(blockedWithCredentials.length).toBeGreaterThan(0);
    expect(blockedWithCredentials.every((a) => a.diagnosis!.verdict === 'blocked')).toBe(true);
  });
});
