// The active check, on the user's click only: one request at a time (one rewrite rule), never hung on a slow server.
import { PROBE_ORIGIN, type ProbeAnswer, type ProbeRequest } from '../core/probe.ts';
import { fetchWithOrigin } from '../platform/browser.ts';

/** A check that takes longer has failed for the user. The fetch is aborted then, so its rule goes before the next. */
export const PROBE_TIMEOUT_MS = 15_000;

let queue: Promise<unknown> = Promise.resolve();

export function probe(request: ProbeRequest): Promise<ProbeAnswer> {
  const run = (): Promise<ProbeAnswer> =>
    fetchWithOrigin(request.url, request.method, PROBE_ORIGIN, AbortSignal.timeout(PROBE_TIMEOUT_MS)).catch(
      (error: unknown): ProbeAnswer => ({ kind: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
  const result = queue.then(run, run);
  queue = result;
  return result;
}
