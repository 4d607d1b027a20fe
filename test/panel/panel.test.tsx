// The panel's components against recorded exchanges over the real in-memory transport: list, counts, filter,
// keyboard, details with highlights, hostile header values, live updates, and the export.
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose.ts';
import { judge } from '../../src/core/judge.ts';
import type { Report } from '../../src/core/report.ts';
import type { HeaderList } from '../../src/core/types.ts';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { openPanel } from './harness.tsx';
import { recordedExchanges, recordOf, TAB } from './recorded.ts';

const all = recordedExchanges().map((r) => r.record);
const blockedTotal = all.filter((r) => judge(r.exchange).verdict === 'blocked').length;

function rows(): HTMLElement[] {
  return screen.getAllByTestId('request-row');
}

function grid(): HTMLElement {
  return screen.getByRole('grid', { name: 'Cross-origin requests' });
}

function openRowOf(record: ExchangeRecord): HTMLElement {
  const url = record.exchange.hops[0]!.url;
  const row = rows().find((r) => r.querySelector(`[title="${url}"]`));
  if (!row) throw new Error(`no row for ${url}`);
  fireEvent.click(row);
  return screen.getByTestId('detail');
}

/** A recorded exchange whose last response carries other headers. */
function withResponseHeaders(record: ExchangeRecord, headers: HeaderList): ExchangeRecord {
  const hops = record.exchange.hops.map((h, i, list) =>
    i === list.length - 1 ? { ...h, response: { status: h.response?.status ?? 200, headers } } : h,
  );
  return { ...record, id: `${record.id}-hostile`, revision: 1, exchange: { ...record.exchange, hops } };
}

describe('list', () => {
  it('shows the rows and counts like the Network panel', async () => {
    await openPanel(all);
    expect(screen.getByTestId('request-count').textContent).toBe(`${all.length} requests`);
    expect(screen.getByTestId('blocked-count').textContent).toBe(`${blockedTotal} blocked`);
    // Virtual: a viewport's worth of rows plus a margin, not all of them.
    expect(rows().length).toBeGreaterThan(15);
    expect(rows().length).toBeLessThan(60);
    expect(grid().getAttribute('aria-rowcount')).toBe(String(all.length + 1));
    expect(screen.queryByTestId('dropped-count')).toBeNull();
  });

  it('shows a blocked row with its icon, method, host and path, verdict and reason', async () => {
    const record = recordOf('preflight-acah-missing');
    await openPanel([record]);
    const [row] = rows();
    expect(row!.dataset.verdict).toBe('blocked');
    expect(row!.className).toContain('v-blocked');
    const cells = within(row!).getAllByRole('gridcell');
    expect(cells[0]!.getAttribute('aria-label')).toBe('Blocked');
    expect(cells[1]!.textContent).toBe('PUT');
    expect(cells[2]!.textContent).toMatch(/^127\.0\.0\.1:\d+\/s\/preflight-acah-missing\//);
    expect(cells[4]!.textContent).toBe('Blocked');
    expect(within(row!).getByTestId('row-reason').textContent).toContain('x-foo');
  });

  it('filters by text (every word must match) and by "Blocked only"', async () => {
    await openPanel(all);
    const filter = screen.getByRole('searchbox', { name: 'Filter requests' });
    fireEvent.input(filter, { target: { value: '/preflight-acah-missing/' } });
    await waitFor(() => expect(rows().length).toBe(1));
    expect(screen.getByTestId('request-count').textContent).toBe(`1 / ${all.length} requests`);

    fireEvent.input(filter, { target: { value: 'redirect put' } });
    const both = all.filter((r) => /redirect/.test(r.exchange.hops.map((h) => h.url).join(' ')) && r.exchange.hops[0]!.method === 'PUT');
    await waitFor(() => expect(screen.getByTestId('request-count').textContent).toBe(`${both.length} / ${all.length} requests`));

    fireEvent.input(filter, { target: { value: 'no-such-request' } });
    await waitFor(() => expect(screen.getByTestId('list-empty').textContent).toBe('No request matches the filter.'));

    fireEvent.input(filter, { target: { value: '' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Blocked only' }));
    await waitFor(() => expect(screen.getByTestId('request-count').textContent).toBe(`${blockedTotal} / ${all.length} requests`));
    expect(rows().every((r) => r.dataset.verdict === 'blocked')).toBe(true);
  });

  it('moves the selection with the keyboard, opens details with Enter and closes them with Escape', async () => {
    await openPanel(all);
    const list = grid();
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    await waitFor(() => expect(rows()[0]!.getAttribute('aria-selected')).toBe('true'));
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    await waitFor(() => expect(rows()[1]!.getAttribute('aria-selected')).toBe('true'));
    expect(rows()[0]!.getAttribute('aria-selected')).toBe('false');
    expect(list.getAttribute('aria-activedescendant')).toBe(rows()[1]!.id);

    fireEvent.keyDown(list, { key: 'ArrowUp' });
    fireEvent.keyDown(list, { key: 'Enter' });
    const detail = await screen.findByTestId('detail');
    expect(detail.textContent).toContain(all[0]!.exchange.hops[0]!.url);

    // End scrolls the last row into view; the details follow the selection.
    fireEvent.keyDown(list, { key: 'End' });
    const last = all[all.length - 1]!;
    await waitFor(() => expect(screen.getByTestId('detail').textContent).toContain(last.exchange.hops[0]!.url));
    const selected = rows().find((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected?.getAttribute('aria-rowindex')).toBe(String(all.length + 1));
    expect(list.getAttribute('aria-activedescendant')).toBe(selected?.id);

    fireEvent.keyDown(list, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('detail')).toBeNull());
    expect(document.activeElement).toBe(list);
  });
});

describe('detail view', () => {
  it('states the sentence, highlights the failing check and the offending headers', async () => {
    const record = recordOf('preflight-acah-missing');
    await openPanel([record]);
    const detail = openRowOf(record);
    expect(within(detail).getByTestId('detail-summary').textContent).toMatch(/x-foo/);

    const failing = within(detail).getAllByTestId('check-row').filter((r) => r.dataset.ok === 'false');
    expect(failing).toHaveLength(1);
    expect(failing[0]!.className).toContain('failing');
    expect(failing[0]!.textContent).toContain('Access-Control-Allow-Headers');
    expect(failing[0]!.textContent).toContain('x-foo');
    expect(failing[0]!.textContent).toContain('(not sent)');

    // The preflight response lacks the header: shown as a missing, highlighted row.
    const response = within(detail).getByTestId('preflight-response-headers');
    const offending = within(response).getAllByTestId('header-row').filter((r) => r.dataset.offending === 'true');
    expect(offending.map((r) => r.textContent)).toEqual(['Access-Control-Allow-Headers (the problem)(not sent)']);
    // And the preflight's request names the header the page asked for.
    const asked = within(within(detail).getByTestId('preflight-request-headers')).getAllByTestId('header-row').filter((r) => r.dataset.offending === 'true');
    expect(asked.map((r) => r.textContent)).toEqual([expect.stringMatching(/^Access-Control-Request-Headers.*x-foo$/)]);

    const why = within(detail).getByTestId('preflight-why');
    expect(within(why).getAllByTestId('preflight-trigger').length).toBeGreaterThan(0);
    expect(within(detail).getByTestId('fix-preflight').textContent).toContain('Access-Control-Allow-Headers: x-foo');
    expect(within(detail).getByTestId('mdn-link').getAttribute('href')).toMatch(/^https:\/\/developer\.mozilla\.org\//);
    expect(within(detail).getByTestId('credentials-inferred')).toBeTruthy();
  });

  it('highlights a missing Access-Control-Allow-Origin on the response', async () => {
    const record = recordOf('simple-no-acao');
    await openPanel([record]);
    const detail = openRowOf(record);
    const response = within(detail).getByTestId('response-headers');
    const offending = within(response).getAllByTestId('header-row').filter((r) => r.dataset.offending === 'true');
    expect(offending.map((r) => r.textContent)).toEqual(['Access-Control-Allow-Origin (the problem)(not sent)']);
  });

  it('shows the real status hidden behind the CORS error, with the preflight status highlighted', async () => {
    const record = recordOf('preflight-404-no-cors');
    await openPanel([record]);
    const detail = openRowOf(record);
    expect(within(detail).getByTestId('hidden-status').textContent).toContain('404');
    expect(within(detail).getByTestId('preflight-status').dataset.offending).toBe('true');
  });

  it('shows redirect hops, the alternatives webRequest cannot tell apart, the other browser and the cache inference', async () => {
    const redirect = recordOf('redirect-302-target-no-acao');
    const alternatives = recordOf('preflight-acah-lists-neither-of-two');
    const divergent = recordOf('simple-acao-space');
    const cached = all.find((r) => diagnose(r.exchange).preflights.some((p) => p.fromCacheInferred))!;
    await openPanel([redirect, alternatives, divergent, cached]);

    let detail = openRowOf(redirect);
    expect(within(detail).getAllByTestId('hop').length).toBeGreaterThan(1);
    expect(within(detail).getByTestId('redirect').textContent).toMatch(/302 redirect to/);

    detail = openRowOf(alternatives);
    expect(within(detail).getByTestId('alternatives').textContent).toContain('webRequest cannot tell which');

    detail = openRowOf(divergent);
    expect(within(detail).getByTestId('divergence').textContent).toMatch(/^Firefox/);

    detail = openRowOf(cached);
    expect(within(detail).getByTestId('preflight-why').textContent).toContain('served from cache (inferred)');
    expect(within(detail).getByTestId('preflight-cached')).toBeTruthy();
  });

  it('copies the fix through the host', async () => {
    const record = recordOf('preflight-acah-missing');
    const panel = await openPanel([record]);
    const detail = openRowOf(record);
    fireEvent.click(within(detail).getByRole('button', { name: 'Copy fix' }));
    await waitFor(() => expect(within(detail).getByTestId('copy-status').textContent).toBe(' Copied.'));
    expect(panel.host.copied[0]).toMatch(/^# Preflight response \(OPTIONS .*\)\nAccess-Control-Allow-Origin: http:\/\/localhost:\d+\n/);
  });
});

describe('hostile header values', () => {
  // No double quotes: the engine's sentence quotes values JSON-style, which would escape them.
  const markup = '<img src=x onerror=window.__pwned=1>';
  const script = '<script>window.__pwned=1</script>';
  const big = 'A'.repeat(65536);
  const control = 'a\u0000b\u001b[31mc\u202ed\r\ne';
  const hostile = withResponseHeaders(recordOf('simple-no-acao'), [
    ['Access-Control-Allow-Origin', markup],
    ['X-Script', script],
    ['X-Big', big],
    ['X-Control', control],
    ['<b>x</b>', 'name with markup'],
  ]);

  it('renders them as text: no element injected, nothing run, escapes visible, 64 KB cut', async () => {
    await openPanel([hostile]);
    const detail = openRowOf(hostile);
    expect(document.querySelector('img, script, b')).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
    const text = detail.textContent ?? '';
    expect(text).toContain(markup);
    expect(text).toContain(script);
    expect(text).toContain('<b>x</b>');
    // The engine quotes the bad Allow-Origin in its sentence: still text.
    expect(within(detail).getByTestId('detail-summary').textContent).toContain(markup);
    // Control and bidi characters as escapes, never raw.
    expect(text).toContain('a\\u0000b\\u001b[31mc\\u202ed\\u000d\\u000ae');
    expect(document.body.textContent).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    expect(detail.querySelectorAll('.escape').length).toBeGreaterThanOrEqual(5);

    const bigRow = within(within(detail).getByTestId('response-headers'))
      .getAllByTestId('header-row')
      .find((r) => r.textContent?.startsWith('X-Big'))!;
    expect(bigRow.textContent!.length).toBeLessThan(1000);
    fireEvent.click(within(bigRow).getByRole('button', { name: 'show all 65,536 characters' }));
    await waitFor(() => expect(bigRow.textContent!.length).toBeGreaterThan(65536));
    expect(document.querySelector('img, script, b')).toBeNull();
  });

  it('keeps the list row as text too', async () => {
    await openPanel([hostile]);
    const reason = within(rows()[0]!).getByTestId('row-reason');
    expect(reason.textContent).toContain(markup);
    expect(reason.children).toHaveLength(0);
  });
});

describe('live updates', () => {
  it('applies deltas, resets and the dropped count; Clear and Preserve log go to the background', async () => {
    const [a, b, c, d] = [...all.slice(0, 4)].sort((x, y) => x.startedAt - y.startedAt);
    const panel = await openPanel([a!], { dropped: 10 });
    expect(panel.received[0]).toEqual({ type: 'subscribe', version: 1, tabId: TAB });
    expect(screen.getByTestId('dropped-count').textContent).toBe('10 older requests dropped');

    // One more dropped: the oldest row (a) leaves as three arrive.
    await panel.send({ type: 'upsert', tabId: TAB, exchanges: [b!, c!, d!], dropped: 11 });
    expect(rows().map((r) => r.querySelector('[title]')?.getAttribute('title'))).toEqual([b, c, d].map((r) => r!.exchange.hops[0]!.url));
    expect(screen.getByTestId('dropped-count').textContent).toBe('11 older requests dropped');
    // Another tab's delta is not this panel's business.
    await panel.send({ type: 'upsert', tabId: TAB + 1, exchanges: [all[4]!], dropped: 0 });
    expect(rows()).toHaveLength(3);

    fireEvent.click(screen.getByRole('checkbox', { name: 'Preserve log' }));
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(panel.received.slice(1)).toEqual([
      { type: 'set-preserve-log', tabId: TAB, preserveLog: true },
      { type: 'clear', tabId: TAB },
    ]));
    await panel.send({ type: 'reset', tabId: TAB, url: null, dropped: 0, preserveLog: true });
    expect(screen.queryAllByTestId('request-row')).toHaveLength(0);
    expect(screen.getByTestId('list-empty')).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Preserve log' }).checked).toBe(true);
  });

  it('tells the user when the background speaks another protocol version', async () => {
    const panel = await openPanel([]);
    await panel.send({ type: 'version-mismatch', expected: 2 });
    expect(screen.getByTestId('panel-status').textContent).toMatch(/different versions/);
  });
});

describe('export', () => {
  it('downloads corsight-report-<tab>.json with the engine\'s verdicts, secrets redacted unless asked', async () => {
    const panel = await openPanel(all);
    fireEvent.click(screen.getByRole('button', { name: 'Export report' }));
    expect(panel.host.saved).toHaveLength(1);
    const { name, text } = panel.host.saved[0]!;
    expect(name).toBe(`corsight-report-${TAB}.json`);
    const report = JSON.parse(text) as Report;
    expect(report.schema).toBe('corsight-report/1');
    expect(report.tab).toEqual({ id: TAB, url: 'http://localhost:5173/' });
    expect(report.exchanges).toHaveLength(all.length);
    expect(report.secretsRedacted).toBe(true);
    const verdicts = new Map(all.map((r) => [r.id, judge(r.exchange).verdict]));
    for (const e of report.exchanges) expect(e.verdict).toBe(verdicts.get(e.id));

    fireEvent.click(screen.getByRole('checkbox', { name: 'Include cookies and auth' }));
    fireEvent.click(screen.getByRole('button', { name: 'Export report' }));
    expect((JSON.parse(panel.host.saved[1]!.text) as Report).secretsRedacted).toBe(false);
  });
});
