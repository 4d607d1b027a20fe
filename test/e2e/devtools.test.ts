// The Corsight panel inside the real DevTools window of the demo tab (not the full-tab stand-in): it finds its tab
// through devtools.inspectedWindow, and lists the gallery as the engine diagnoses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickRunAll } from '../../demo/drive.ts';
import { RUN_ALL } from '../../demo/gallery.ts';
import { openDevtoolsPanel, type DevtoolsPanel } from '../../scripts/chromium.ts';
import { openDemoSession, type DemoSession } from '../../scripts/demo-session.ts';
import { readPanelRows, readSnapshot, rowsFromSnapshot, settledRows } from '../../scripts/panel-reader.ts';
import { visible } from '../../src/panel/format.ts';

describe('the Corsight panel in DevTools', () => {
  let session: DemoSession;
  let devtools: DevtoolsPanel;

  beforeAll(async () => {
    session = await openDemoSession({ headless: true, devtools: true, size: { width: 1920, height: 1080 } });
    // Before any other tab exists: headless, only that tab's DevTools renders extension panels (scripts/chromium.ts).
    devtools = await openDevtoolsPanel(session.launched, session.page);
  });

  afterAll(async () => {
    await devtools?.client.disconnect();
    await session?.close();
  });

  it('shows the inspected tab, found through devtools.inspectedWindow (no ?tabId=)', async () => {
    expect(devtools.frame.url()).not.toContain('tabId=');
    const shown = await devtools.frame.$eval('[data-testid="panel-tab"]', (el) => el.textContent);
    expect(shown).toBe(`Inspected tab: ${session.tabId}`);
  });

  it('lists every request of "Run all" with the engine verdict and reason', async () => {
    await clickRunAll(session.page);
    const rows = await settledRows(() => readPanelRows(devtools.frame), RUN_ALL.length);
    const snapshot = await readSnapshot(devtools.frame, session.tabId);
    const expected = rowsFromSnapshot(snapshot).map((r) => ({ verdict: r.verdict, method: r.method, url: r.url, reason: visible(r.reason) }));
    expect(rows.map((r) => ({ verdict: r.verdict, method: r.method, url: r.url, reason: r.reason }))).toEqual(expected);
    expect(rows.map((r) => [r.url, r.verdict])).toEqual(RUN_ALL.map((e) => [session.demo.apiOrigin + e.request.path, e.intent]));
  });
});
