// A server can put anything in a header: markup, script, 64 KB values, control characters. The panel must show all
// of it as inert text, inject nothing into its DOM, and keep working.
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEndpoint } from '../../demo/drive.ts';
import { GALLERY, HOSTILE_VALUES } from '../../demo/gallery.ts';
import { openPanelTab } from '../../scripts/chromium.ts';
import { openDemoSession, type DemoSession } from '../../scripts/demo-session.ts';
import { readPanelRows, readRowDetail, readSnapshot, rowsFromSnapshot, settledRows, type PanelRow } from '../../scripts/panel-reader.ts';
import { visible } from '../../src/panel/format.ts';

const HOSTILE = GALLERY.filter((e) => e.id.startsWith('hostile-'));

/** Elements that only an injection could have put into the panel: the panel itself renders none of these. */
function injectedElements(): string[] {
  const suspicious = document.querySelectorAll('img, iframe, object, embed, svg script, [onerror], [onload], [onclick]');
  const scripts = [...document.querySelectorAll('script')].filter((s) => !(s.type === 'module' && s.src.startsWith(location.origin)));
  return [...suspicious, ...scripts].map((el) => el.outerHTML.slice(0, 120));
}

describe('hostile response headers in the panel', () => {
  let session: DemoSession;
  let panel: Page;
  let rows: PanelRow[];
  const dialogs: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    session = await openDemoSession({ headless: true, size: { width: 1280, height: 900 } });
    for (const endpoint of HOSTILE) await runEndpoint(session.page, endpoint.id);
    panel = await openPanelTab(session.launched, session.tabId);
    panel.on('dialog', (d: Dialog) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    panel.on('pageerror', (e) => errors.push(String(e)));
    panel.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    rows = await settledRows(() => readPanelRows(panel), HOSTILE.length);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('captured the responses with the hostile values intact', async () => {
    const snapshot = await readSnapshot(panel, session.tabId);
    const headers = snapshot.exchanges.flatMap((r) => r.exchange.hops.flatMap((h) => h.response?.headers ?? []));
    const value = (name: string): string | undefined => headers.find(([n]) => n.toLowerCase() === name)?.[1];
    // Otherwise the test would prove nothing: the browser and the capture must hand the raw values to the panel.
    expect(value('x-markup')).toBe(HOSTILE_VALUES.markup);
    expect(value('x-script')).toBe(HOSTILE_VALUES.script);
    expect(value('x-big')).toHaveLength(HOSTILE_VALUES.big.length);
    expect(value('x-control')).toBe(HOSTILE_VALUES.control);
  });

  it('lists both requests with the engine verdicts, the markup in the reason shown as text', async () => {
    const expected = rowsFromSnapshot(await readSnapshot(panel, session.tabId));
    expect(rows.map((r) => [r.verdict, r.reason])).toEqual(expected.map((r) => [r.verdict, visible(r.reason)]));
    expect(rows.map((r) => r.verdict)).toEqual(HOSTILE.map((e) => e.intent));
    expect(rows[0]?.reason).toContain(HOSTILE_VALUES.markup);
  });

  it.each(HOSTILE.map((e, i) => [e.id, i] as const))('%s: the detail shows every value as text and injects nothing', async (_id, index) => {
    const row = rows[index]!;
    await readRowDetail(panel, index, row);
    const detail = panel.getByTestId('detail');
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(HOSTILE_VALUES.markup);
    expect(text).toContain(HOSTILE_VALUES.script);
    // Control characters are shown as escapes, never raw (a raw ESC could restyle a terminal the text is pasted to).
    expect(text).toContain(visible(HOSTILE_VALUES.control));
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // The 64 KB value is cut until asked for, then shown whole (booleans: a failure must not print 64 KB).
    expect(text.includes(HOSTILE_VALUES.big), 'the 64 KB value is shown whole before "show all"').toBe(false);
    const big = detail.getByTestId('header-row').filter({ hasText: 'X-Big' });
    await big.getByTestId('show-all').click();
    expect(((await big.textContent()) ?? '').includes(HOSTILE_VALUES.big), 'the whole value after "show all"').toBe(true);
    expect(await panel.evaluate(injectedElements)).toEqual([]);
    // Closed, so the next row's detail starts from scratch (a reused one would keep "show all" expanded).
    await panel.getByTestId('close-detail').click();
  });

  it('opened no dialog, logged no error, and still works: filter, clear', async () => {
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await panel.getByTestId('filter').fill('hostile-allowed');
    await expect.poll(async () => (await readPanelRows(panel)).map((r) => r.url)).toEqual([session.demo.apiOrigin + '/hostile-allowed']);
    await panel.getByTestId('filter').fill('');
    await panel.getByTestId('clear').click();
    await expect.poll(async () => (await readPanelRows(panel)).length).toBe(0);
  });
});
