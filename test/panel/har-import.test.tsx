// Importing the HAR that Chromium recorded (npm run record:har) into the panel, by the file picker and by
// drag-and-drop: its requests replace the live tab's, a banner says what a HAR cannot tell, and "Back" returns.
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAR_GAP_TEXT, parseHar } from '../../src/core/har.ts';
import type { Report } from '../../src/core/report.ts';
import type { HarRecording } from '../conformance/har-recorder.ts';
import { HAR_FIXTURE, HAR_ORACLE_FIXTURE } from '../conformance/record-har.ts';
import { openPanel } from './harness.tsx';
import { recordOf } from './recorded.ts';

const harText = readFileSync(HAR_FIXTURE, 'utf8');
const oracle = JSON.parse(readFileSync(HAR_ORACLE_FIXTURE, 'utf8')) as HarRecording;
const parsed = parseHar(harText);
if (!parsed.ok) throw new Error(parsed.error);
const harFile = (): File => new File([harText], 'session.har', { type: 'application/json' });

/** Chromium's own verdict for a scenario of the recording: the panel must show the same. */
function chromium(scenario: string): 'blocked' | 'allowed' {
  const o = oracle.oracles.find((x) => x.id === scenario)!.oracle;
  return o.fetch === 'rejected' ? 'blocked' : 'allowed';
}

async function rowFor(scenario: string): Promise<HTMLElement> {
  fireEvent.input(screen.getByTestId('filter'), { target: { value: `/s/${scenario}/` } });
  return waitFor(() => {
    const [row, ...more] = screen.getAllByTestId('request-row');
    expect(more).toEqual([]);
    return row!;
  });
}

describe('HAR import', () => {
  it('shows the imported requests with the same verdicts as Chromium, and the banner', async () => {
    await openPanel([recordOf('simple-acao-exact')]);
    expect(screen.getByTestId('request-count').textContent).toBe('1 request');
    fireEvent.change(screen.getByTestId('har-file'), { target: { files: [harFile()] } });
    await waitFor(() => expect(screen.getByTestId('request-count').textContent).toBe(`${parsed.exchanges.length} requests`));
    const banner = screen.getByTestId('har-banner');
    expect(banner.textContent).toContain('Imported from session.har — what a HAR cannot tell: ');
    for (const gap of parsed.gaps) expect(banner.textContent).toContain(HAR_GAP_TEXT[gap]);

    expect(chromium('simple-no-acao')).toBe('blocked');
    expect((await rowFor('simple-no-acao')).dataset.verdict).toBe('blocked');
    expect(chromium('preflight-ok-json-credentials')).toBe('allowed');
    expect((await rowFor('preflight-ok-json-credentials')).dataset.verdict).toBe('allowed');
  });

  it('takes a HAR dropped onto the panel, and goes back to the live tab', async () => {
    const { received } = await openPanel([recordOf('simple-acao-exact')]);
    const subscribes = received.filter((m) => m.type === 'subscribe').length;
    fireEvent.drop(screen.getByTestId('corsight-panel'), { dataTransfer: { files: [harFile()], types: ['Files'] } });
    await waitFor(() => expect(screen.getByTestId('request-count').textContent).toBe(`${parsed.exchanges.length} requests`));
    expect(screen.getByTestId('panel-status').textContent).toBe('Imported HAR: session.har (the live tab is still recorded)');
    fireEvent.click(screen.getByTestId('har-back'));
    await waitFor(() => expect(screen.getByTestId('request-count').textContent).toBe('1 request'));
    expect(screen.queryByTestId('har-banner')).toBeNull();
    expect(screen.getByTestId('panel-status').textContent).toBe('Recording');
    // The live source was asked again for its snapshot.
    expect(received.filter((m) => m.type === 'subscribe').length).toBe(subscribes + 1);
  });

  it("exports the HAR's report: its file and creator as the source, and per request what the HAR could not tell", async () => {
    const panel = await openPanel([recordOf('simple-acao-exact')]);
    fireEvent.change(screen.getByTestId('har-file'), { target: { files: [harFile()] } });
    await waitFor(() => expect(screen.getByTestId('request-count').textContent).toBe(`${parsed.exchanges.length} requests`));
    fireEvent.click(screen.getByRole('button', { name: 'Export report' }));
    const { name, text } = panel.host.saved[0]!;
    expect(name).toBe('corsight-report-session.json');
    const report = JSON.parse(text) as Report;
    expect(report.source).toEqual({ kind: 'har', file: 'session.har', creator: parsed.source.creator });
    expect(report.tab.url).toBeNull();
    expect(report.exchanges).toHaveLength(parsed.exchanges.length);
    const blocked = report.exchanges.find((e) => e.url.includes('/s/simple-no-acao/'))!;
    expect(blocked.cannotTell).toContain(HAR_GAP_TEXT['blocked-response']);
  });

  it('says why a file is not a HAR and stays on the live tab', async () => {
    await openPanel([recordOf('simple-acao-exact')]);
    fireEvent.change(screen.getByTestId('har-file'), { target: { files: [new File(['<html>'], 'page.html')] } });
    await waitFor(() => expect(screen.getByTestId('har-banner').textContent).toMatch(/^Could not import page\.html: not a HAR file: the text is not JSON/));
    expect(screen.getByTestId('request-count').textContent).toBe('1 request');
  });
});
