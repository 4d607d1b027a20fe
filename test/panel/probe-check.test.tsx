// The foreign-origin check's result line: only a refusal is colored as good news.
import { fireEvent, render, screen } from '@testing-library/preact';
import { expect, it } from 'vitest';
import type { ProbeAnswer } from '../../src/core/probe.ts';
import { ProbeCheck } from '../../src/panel/detail/ProbeCheck.tsx';

async function resultFor(answer: ProbeAnswer): Promise<HTMLElement> {
  const view = render(<ProbeCheck request={{ url: 'http://127.0.0.1:1/x', method: 'GET' }} probe={() => Promise.resolve(answer)} />);
  fireEvent.click(screen.getByTestId('probe-button'));
  const result = await screen.findByTestId('probe-result');
  view.unmount();
  return result;
}

it('colors a refusal as ok, and neither a failed check, a redirect nor an error answer without CORS headers', async () => {
  expect((await resultFor({ kind: 'response', status: 200, acao: null, acac: null })).classList.contains('ok')).toBe(true);
  for (const answer of [
    { kind: 'failed', error: 'timed out' },
    { kind: 'redirect' },
    { kind: 'response', status: 405, acao: null, acac: null },
  ] satisfies ProbeAnswer[]) {
    const result = await resultFor(answer);
    expect(result.classList.contains('ok'), JSON.stringify(answer)).toBe(false);
    expect(result.classList.contains('error') || result.classList.contains('warning')).toBe(false);
  }
});
