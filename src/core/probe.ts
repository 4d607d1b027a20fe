// The active check's pure half: which request the background repeats with a foreign Origin, and what the answer means.
import { isOkStatus } from './checks.ts';
import { clip, type FindingId, type Severity } from './lint.ts';
import type { ObservedExchange } from './types.ts';

/** A reserved name (RFC 2606 .invalid): no real site can ever be this origin, so an echo of it is an echo of anything. */
export const PROBE_ORIGIN = 'https://corsight-probe.invalid';

/** Only safe methods are ever repeated: the original HEAD, else GET (a POST, PUT or DELETE is never replayed). */
export type ProbeMethod = 'GET' | 'HEAD';

export interface ProbeRequest {
  url: string;
  method: ProbeMethod;
}

/** What the background saw: the answer's status and CORS headers, or why there was none. */
export type ProbeAnswer =
  | { kind: 'response'; status: number; acao: string | null; acac: string | null }
  /** The server redirected; the check stops there rather than send the foreign Origin to another URL. */
  | { kind: 'redirect' }
  | { kind: 'failed'; error: string };

export type ProbeVerdict = 'reflects-with-credentials' | 'reflects' | 'wildcard' | 'refuses' | 'inconclusive' | 'redirect' | 'failed';

export interface ProbeReading {
  verdict: ProbeVerdict;
  /** null when the answer shows nothing wrong (or nothing at all). */
  severity: Severity | null;
  sentence: string;
}

/** Findings whose risk depends on whether the server echoes any Origin: the detail view offers the check on them. */
export const REFLECTION_QUESTIONS: readonly FindingId[] = ['origin-reflected-with-credentials', 'missing-vary-origin'];

/** The request to repeat for this exchange, or null when its URL is not http(s). */
export function probeRequest(ex: ObservedExchange): ProbeRequest | null {
  const first = ex.hops[0];
  if (!first || !/^https?:\/\//i.test(first.url)) return null;
  return { url: first.url, method: first.method.toUpperCase() === 'HEAD' ? 'HEAD' : 'GET' };
}

export function readProbe(answer: ProbeAnswer): ProbeReading {
  if (answer.kind === 'failed') return { verdict: 'failed', severity: null, sentence: `The check could not run: ${answer.error}` };
  if (answer.kind === 'redirect') {
    return { verdict: 'redirect', severity: null, sentence: 'The server answered with a redirect: check the target URL itself.' };
  }
  const credentialed = answer.acac === 'true';
  if (answer.acao === PROBE_ORIGIN) {
    return credentialed
      ? { verdict: 'reflects-with-credentials', severity: 'error', sentence: `Reflects any origin, with credentials: any site can read this API as the user (it allowed ${PROBE_ORIGIN}).` }
      : { verdict: 'reflects', severity: 'warning', sentence: `Reflects any origin (without credentials): any site can read what an anonymous request gets (it allowed ${PROBE_ORIGIN}).` };
  }
  if (answer.acao === '*') {
    return { verdict: 'wildcard', severity: null, sentence: 'Answers a foreign origin with "*": anonymous responses are public, credentialed ones are not shared.' };
  }
  if (answer.acao === null && !isOkStatus(answer.status)) {
    // Many servers add CORS headers only where a route answers: an error without them says nothing about origins.
    return {
      verdict: 'inconclusive',
      severity: null,
      sentence: `No Access-Control-Allow-Origin for the foreign origin, but the server answered ${answer.status}: it may send CORS headers only on success, so this does not show whether it trusts other origins.`,
    };
  }
  return { verdict: 'refuses', severity: null, sentence: `Refuses a foreign origin (status ${answer.status}, Access-Control-Allow-Origin ${answer.acao === null ? 'absent' : `"${clip(answer.acao)}"`}).` };
}
