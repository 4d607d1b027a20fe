// Reads what the Corsight panel shows (its request rows, from the DOM) and what the background holds (a protocol
// snapshot): npm start prints the first, the e2e tests compare both with the engine.
import { diagnose } from '../src/core/diagnose.ts';
import { PANEL_PORT_NAME, PROTOCOL_VERSION, type PanelMessage, type TabSnapshot } from '../src/protocol/messages.ts';
import { waitFor } from './chromium.ts';

/** One row of the panel's request list, as text. */
export interface PanelRow {
  /** `data-verdict` of the row: an engine Verdict. */
  verdict: string;
  /** The verdict in words, as the Verdict column shows it. */
  label: string;
  method: string;
  /** Full URL of the initial request (the Name cell's tooltip). */
  url: string;
  reason: string;
}

/** Anything that evaluates a function in the panel document: a Playwright page or frame, a puppeteer frame. */
export interface PanelDocument {
  evaluate<R>(fn: () => R): Promise<R>;
}

/** A panel document the reader can also click in as a user does: a Playwright page, or Firefox's panel tab over BiDi
 *  (scripts/firefox.ts). */
export interface PanelView extends PanelDocument {
  /** A real mouse click on the element matching the CSS `selector`, scrolled into view first. */
  click(selector: string): Promise<void>;
}

/** The rows the panel document shows now. */
export function readPanelRows(panel: PanelDocument): Promise<PanelRow[]> {
  return panel.evaluate(collectPanelRows);
}

/**
 * Runs inside the panel document (self-contained: it is serialized into the page). Cells are found through the
 * grid's column headers, the same structure a screen reader uses, so the reader does not depend on class names.
 * The list is virtual: only rows in view exist, so callers size the view to hold the rows they expect.
 */
function collectPanelRows(): PanelRow[] {
  const headers = [...document.querySelectorAll('[data-testid="request-list"] [role="columnheader"]')].map(
    (h) => h.getAttribute('aria-label') ?? h.textContent ?? '',
  );
  // No named inner functions: tsx and vitest may wrap them in a `__name` helper that does not exist in the page.
  const [method = -1, url = -1, verdict = -1, reason = -1] = ['Method', 'Name', 'Verdict', 'Reason'].map((name) => headers.indexOf(name));
  return [...document.querySelectorAll('[data-testid="request-row"]')].map((row) => {
    const cells = [...row.querySelectorAll('[role="gridcell"]')];
    return {
      verdict: row.getAttribute('data-verdict') ?? '',
      label: cells[verdict]?.textContent ?? '',
      method: cells[method]?.textContent ?? '',
      url: cells[url]?.getAttribute('title') ?? '',
      reason: cells[reason]?.textContent ?? '',
    };
  });
}

/**
 * Waits until `read` gives `expected` rows, none of them pending, and the same rows for two more polls (a late
 * upsert can still change a row that looked final). Returns them in list order.
 */
export async function settledRows(read: () => Promise<PanelRow[]>, expected: number, timeoutMs = 15_000): Promise<PanelRow[]> {
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  let stableFor = 0;
  for (;;) {
    const rows = await read();
    const text = JSON.stringify(rows);
    const done = rows.length >= expected && rows.every((r) => r.verdict !== 'pending');
    stableFor = done && text === previous ? stableFor + 1 : 0;
    if (stableFor >= 2) return rows;
    if (Date.now() > deadline) {
      const pending = rows.filter((r) => r.verdict === 'pending').length;
      throw new Error(`the rows did not settle in ${timeoutMs} ms: ${rows.length} of ${expected} rows, ${pending} pending`);
    }
    previous = text;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** What the detail view of one row adds to the list: the status a CORS error hides, and security findings. */
export interface PanelDetail {
  url: string;
  summary: string;
  /** The status in the "The server answered N" callout, or null when there is none. */
  hiddenStatus: number | null;
  findings: Array<{ severity: string; title: string; why: string }>;
  /** Highlights: the number of failing checks, and the text of each offending (or missing) header or status. */
  failingChecks: number;
  offending: string[];
}

/**
 * Opens row `index` (showing `row`) in the detail view (a click, as a user would) and reads it. The detail stays open: clicking the next
 * row replaces it, which is much faster than closing it in between.
 */
export async function readRowDetail(panel: PanelView, index: number, row: PanelRow): Promise<PanelDetail> {
  // aria-rowindex counts the header row as 1, so list row `index` is aria-rowindex index + 2.
  await panel.click(`[data-testid="request-row"][aria-rowindex="${index + 2}"]`);
  const read = await waitFor(`the detail of ${row.url}`, async () => {
    const shown = await panel.evaluate(collectDetail);
    return shown !== null && shown.url.includes(row.url) ? shown : undefined;
  });
  const { hidden, ...rest } = read;
  return { ...rest, hiddenStatus: hidden === null ? null : Number(hidden) };
}

/** Runs inside the panel document (self-contained, like collectPanelRows): the open detail view, or null. */
function collectDetail(): (Omit<PanelDetail, 'hiddenStatus'> & { hidden: string | null }) | null {
  const el = document.querySelector('[data-testid="detail"]');
  if (el === null) return null;
  return {
    url: el.querySelector('.detail-url')?.textContent ?? '',
    summary: el.querySelector('[data-testid="detail-summary"]')?.textContent ?? '',
    hidden: el.querySelector('[data-testid="hidden-status"] strong')?.textContent ?? null,
    findings: [...el.querySelectorAll('[data-testid="finding"]')].map((f) => ({
      severity: f.querySelector('.tag')?.textContent ?? '',
      title: f.querySelector('[data-testid="finding-title"]')?.textContent ?? '',
      why: f.querySelector('[data-testid="finding-why"]')?.textContent ?? '',
    })),
    failingChecks: el.querySelectorAll('[data-testid="check-row"][data-ok="false"]').length,
    offending: [...el.querySelectorAll('[data-offending="true"]')].map((r) => r.textContent ?? ''),
  };
}

/** An extension page or frame that evaluates a script (Playwright, puppeteer and the Firefox BiDi helper alike). */
export interface ExtensionDocument {
  evaluate(script: string): Promise<unknown>;
}

/**
 * A script for an extension page that asks the background for one tab's snapshot over the panel protocol (after
 * posting `commands`) and resolves to it as JSON text. A big tab's snapshot continues in `following` exchanges sent
 * as upserts right behind it; they are gathered into the one snapshot.
 */
export function snapshotScript(tabId: number, commands: readonly PanelMessage[] = []): string {
  return `new Promise((resolve, reject) => {
    const port = (globalThis.browser ?? globalThis.chrome).runtime.connect({ name: ${JSON.stringify(PANEL_PORT_NAME)} });
    const timer = setTimeout(() => {
      port.disconnect();
      reject(new Error('the background sent no snapshot within 5 s'));
    }, 5000);
    let whole = null;
    let missing = 0;
    port.onMessage.addListener((m) => {
      if (m.type === 'version-mismatch') {
        clearTimeout(timer);
        port.disconnect();
        reject(new Error('protocol version mismatch: background expects ' + m.expected));
        return;
      }
      if (whole && m.type === 'upsert' && m.tabId === ${tabId}) {
        whole.exchanges.push(...m.exchanges);
        missing -= m.exchanges.length;
      } else if (m.type === 'snapshot') {
        whole = m.snapshot;
        missing = m.following ?? 0;
      }
      if (!whole || missing > 0) return;
      clearTimeout(timer);
      port.disconnect();
      resolve(JSON.stringify(whole));
    });
    for (const c of ${JSON.stringify(commands)}) port.postMessage(c);
    port.postMessage({ type: 'subscribe', version: ${PROTOCOL_VERSION}, tabId: ${tabId} });
  })`;
}

/** The background's snapshot of one tab, as any panel receives it on connecting (the panel as a tab, or its frame
 *  inside DevTools). */
export async function readSnapshot(extensionPage: ExtensionDocument, tabId: number, commands: readonly PanelMessage[] = []): Promise<TabSnapshot> {
  const text = await extensionPage.evaluate(snapshotScript(tabId, commands));
  if (typeof text !== 'string') throw new Error('the snapshot script resolved to no text');
  return JSON.parse(text) as TabSnapshot;
}

/** A list row together with what its detail view adds. */
export interface DetailedRow extends PanelRow, Pick<PanelDetail, 'hiddenStatus' | 'findings'> {}

/** Every row with its detail view, read by opening each in turn. */
export async function readDetailedRows(panel: PanelView, rows: readonly PanelRow[]): Promise<DetailedRow[]> {
  const out: DetailedRow[] = [];
  for (const [i, row] of rows.entries()) {
    const { hiddenStatus, findings } = await readRowDetail(panel, i, row);
    out.push({ ...row, hiddenStatus, findings });
  }
  if (rows.length > 0) await panel.click('[data-testid="close-detail"]');
  return out;
}

/** The rows a panel derives from a snapshot, computed in Node with the same engine: the fallback when no panel DOM
 *  can be read, and the expectation the e2e tests hold the panel to. */
export function rowsFromSnapshot(snapshot: TabSnapshot): DetailedRow[] {
  return [...snapshot.exchanges]
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((record) => {
      const d = diagnose(record.exchange);
      const first = record.exchange.hops[0];
      return {
        verdict: d.verdict,
        label: d.verdict,
        method: first?.method ?? '',
        url: first?.url ?? '',
        reason: d.summary,
        hiddenStatus: d.hiddenStatus,
        findings: d.findings.map((f) => ({ severity: f.severity, title: f.title, why: f.why })),
      };
    });
}
