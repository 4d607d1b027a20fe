// The fix's server snippets in the detail view, for recorded blocked Chromium exchanges: pick a server, see its
// configuration as text with where it goes, whether a live test proves it, and copy it.
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { openPanel } from './harness.tsx';
import { recordOf } from './recorded.ts';

function open(record: ExchangeRecord): HTMLElement {
  const url = record.exchange.hops[0]!.url;
  const row = screen.getAllByTestId('request-row').find((r) => r.querySelector(`[title="${url}"]`));
  if (!row) throw new Error(`no row for ${url}`);
  fireEvent.click(row);
  return screen.getByTestId('detail');
}

const pick = (detail: HTMLElement, server: string): void => {
  fireEvent.change(within(detail).getByTestId('snippet-server'), { target: { value: server } });
};

describe('server snippets', () => {
  it('shows the picked server\'s configuration for the request, marks it proven, copies it, and remembers the pick', async () => {
    const record = recordOf('preflight-acah-missing');
    const other = recordOf('cred-acac-missing');
    const panel = await openPanel([record, other]);
    let detail = open(record);
    const origin = record.exchange.origin!;

    pick(detail, 'nginx');
    const code = within(detail).getByTestId('snippet-code').textContent!;
    expect(code).toMatch(/^location = "\/s\/preflight-acah-missing\/[^"]+" \{/);
    expect(code).toContain(`add_header "Access-Control-Allow-Origin" "${origin}" always;`);
    expect(code).toContain('add_header "Access-Control-Allow-Headers" "x-foo" always;');
    expect(code).toContain('return 204;');
    expect(within(detail).getByTestId('snippet-where').textContent).toContain('server block');
    expect(within(detail).getByTestId('snippet-proof').textContent).toBe('Proven: a test runs this on a real nginx and Chromium passes.');
    expect(within(detail).getByTestId('snippet-notes').textContent).toContain('always');

    fireEvent.click(within(detail).getByRole('button', { name: 'Copy nginx snippet' }));
    await waitFor(() => expect(within(detail).getByTestId('copy-snippet-status').textContent).toBe(' Copied.'));
    expect(panel.host.copied.at(-1)).toBe(code);

    pick(detail, 'aspnet');
    expect(within(detail).getByTestId('snippet-code').textContent).toContain('.WithHeaders("x-foo")');
    expect(within(detail).getByTestId('snippet-proof').textContent).toMatch(/^Not run here: no \.NET SDK/);

    // Credentials could not be seen for this request: the snippet allows none until the user says the page sends them.
    expect(within(detail).getByTestId('snippet-code').textContent).not.toContain('AllowCredentials');
    fireEvent.click(within(detail).getByTestId('snippet-credentials'));
    expect(within(detail).getByTestId('snippet-code').textContent).toContain('.AllowCredentials()');

    // Another exchange opens on the server picked last; its credentials were observed, so no question is asked.
    pick(detail, 'express-cors');
    detail = open(other);
    expect((within(detail).getByTestId('snippet-server') as HTMLSelectElement).value).toBe('express-cors');
    expect(within(detail).getByTestId('snippet-code').textContent).toContain('credentials: true,');
    expect(within(detail).queryByTestId('snippet-credentials')).toBeNull();
  });

  it('asks again about credentials on another exchange, and shows no copy status it did not earn', async () => {
    const first = recordOf('preflight-acah-missing');
    const second = recordOf('trigger-put-no-preflight-answer');
    await openPanel([first, second]);
    let detail = open(first);
    pick(detail, 'express-cors');
    fireEvent.click(within(detail).getByTestId('snippet-credentials'));
    expect(within(detail).getByTestId('snippet-code').textContent).toContain('credentials: true,');
    fireEvent.click(within(detail).getByRole('button', { name: 'Copy Express (cors package) snippet' }));
    await waitFor(() => expect(within(detail).getByTestId('copy-snippet-status').textContent).toBe(' Copied.'));

    // The second request's credentials mode could not be seen either: the answer for the first one is not reused.
    detail = open(second);
    expect((within(detail).getByTestId('snippet-credentials') as HTMLInputElement).checked).toBe(false);
    expect(within(detail).getByTestId('snippet-code').textContent).not.toContain('credentials: true');
    expect(within(detail).getByTestId('copy-snippet-status').textContent).toBe('');
  });

  it('offers no snippet when the fix is not about headers (a user:pass redirect)', async () => {
    const record = recordOf('redirect-userinfo-cross-origin');
    await openPanel([record]);
    const detail = open(record);
    expect(within(detail).getByTestId('fix')).toBeTruthy();
    expect(within(detail).queryByTestId('snippet')).toBeNull();
  });
});
