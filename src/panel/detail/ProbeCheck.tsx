// "Check with a foreign origin": on the user's click only, the background repeats the request (safe method, no
// cookies) with Origin https://corsight-probe.invalid and the answer says whether the server echoes any origin.
import { useState } from 'preact/hooks';
import { PROBE_ORIGIN, readProbe, type ProbeAnswer, type ProbeReading, type ProbeRequest } from '../../core/probe.ts';
import { NetText } from '../NetText.tsx';

export interface ProbeCheckProps {
  request: ProbeRequest;
  probe(request: ProbeRequest): Promise<ProbeAnswer>;
}

export function ProbeCheck({ request, probe }: ProbeCheckProps) {
  const [state, setState] = useState<'idle' | 'running' | ProbeReading>('idle');
  const run = (): void => {
    setState('running');
    void probe(request).then((answer) => setState(readProbe(answer)));
  };
  return (
    <div class="probe" data-testid="probe">
      <button
        type="button"
        data-testid="probe-button"
        disabled={state === 'running'}
        title={`Sends ${request.method} ${request.url} once more from the extension, without cookies, with Origin: ${PROBE_ORIGIN}`}
        onClick={run}
      >
        Check with a foreign origin
      </button>
      {state === 'running' && <span class="probe-result"> Checking…</span>}
      {typeof state === 'object' && (
        // Only a refusal reads as good news: a check that could not run or could not tell is not colored so.
        <span class={`probe-result ${state.severity ?? (state.verdict === 'refuses' ? 'ok' : 'neutral')}`} data-testid="probe-result" data-verdict={state.verdict}>
          {' '}
          <NetText value={state.sentence} />
        </span>
      )}
    </div>
  );
}
