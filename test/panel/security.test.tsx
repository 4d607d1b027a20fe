// The "Security" filter and the rows' severity markers, on recorded exchanges over the real in-memory transport.
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/core/judge.ts';
import { lint } from '../../src/core/lint.ts';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { openPanel } from './harness.tsx';
import { recordOf } from './recorded.ts';

/** Scenarios with findings of each severity (see test/unit/lint.test.ts) and two without any. */
const RISKY = ['simple-acao-null-credentials', 'preflight-acah-star-authorization', 'preflight-max-age-86400'] as const;
const CLEAN = ['simple-acao-exact', 'preflight-acah-missing'] as const;

function rowOf(record: ExchangeRecord): HTMLElement | undefined {
  const url = record.exchange.hops[0]!.url;
  return screen.queryAllByTestId('request-row').find((r) => r.querySelector(`[title="${url}"]`));
}

describe('Security filter', () => {
  const risky = RISKY.map((s) => recordOf(s));
  const clean = CLEAN.map((s) => recordOf(s));
  const all = [clean[0]!, risky[0]!, risky[1]!, clean[1]!, risky[2]!];

  it('marks each row with its worst finding, counts them, and shows only them when "Security" is on', async () => {
    await openPanel(all);
    expect(screen.getAllByTestId('request-row')).toHaveLength(5);
    expect(screen.getByTestId('findings-count').textContent).toBe('3 with security findings');

    const severities = risky.map((r) => within(rowOf(r)!).getByTestId('row-finding').dataset.severity);
    expect(severities).toEqual(['error', 'warning', 'info']);
    for (const r of clean) expect(within(rowOf(r)!).queryByTestId('row-finding')).toBeNull();
    // The marker names the findings (hover) and says how many there are (screen readers).
    const marker = within(rowOf(risky[0]!)!).getByTestId('row-finding');
    expect(marker.getAttribute('aria-label')).toBe('1 security finding, worst: error');
    expect(marker.getAttribute('title')).toBe(`error: ${lint(judge(risky[0]!.exchange))[0]!.title}`);

    const security = screen.getByRole('checkbox', { name: 'Security' });
    fireEvent.click(security);
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(3));
    expect(risky.every((r) => rowOf(r) !== undefined)).toBe(true);
    expect(screen.getByTestId('request-count').textContent).toBe('3 / 5 requests');

    // Combined with "Blocked only": the blocked one among them (a credentialed "null" answer is refused).
    fireEvent.click(screen.getByRole('checkbox', { name: 'Blocked only' }));
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(1));
    expect(rowOf(risky[0]!)).toBeDefined();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Blocked only' }));
    fireEvent.click(security);
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(5));
  });

  it('finds rows by finding id in the text filter, and says so when none has findings', async () => {
    await openPanel(all);
    fireEvent.input(screen.getByRole('searchbox', { name: 'Filter requests' }), { target: { value: 'null-origin-trusted' } });
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(1));
    expect(rowOf(risky[0]!)).toBeDefined();
  });

  it('with no findings at all: no count, and the filter leaves an empty list that says why', async () => {
    await openPanel(clean);
    expect(screen.queryByTestId('findings-count')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Security' }));
    await waitFor(() => expect(screen.getByTestId('list-empty').textContent).toBe('No request matches the filter.'));
  });

  it('the detail view lists each finding with its title and one-line why', async () => {
    await openPanel([risky[1]!]);
    fireEvent.click(rowOf(risky[1]!)!);
    const items = within(screen.getByTestId('findings')).getAllByTestId('finding');
    const expected = lint(judge(risky[1]!.exchange));
    expect(items.map((i) => [within(i).getByTestId('finding-title').textContent, within(i).getByTestId('finding-why').textContent])).toEqual(
      expected.map((f) => [f.title, f.why]),
    );
  });
});
