// Recorded conformance runs: what the listeners saw per fetch, and what the real browser itself decided.
import type { BrowserName } from '../../src/core/types.ts';
import type { WebRequestEvent } from '../../src/capture/webrequest.ts';

/** The browser's own verdict for one fetch: the test oracle. Never written by hand. */
export interface Oracle {
  /** What the page's fetch() did. */
  fetch: 'resolved' | 'rejected';
  /** Response status seen by the page when resolved (0 for an opaque response). */
  status: number | null;
  /** Chromium: CDP Network.loadingFailed of the fetch; corsError null when there was no corsErrorStatus. */
  chrome?: { corsError: string | null; failedParameter: string | null; errorText: string | null };
  /** Firefox: CORS console messages (BiDi log.entryAdded) for this fetch, mapped to security.properties keys, in order. */
  firefox?: { reasons: Array<{ key: string; args: string[] }> };
}

export interface RecordedFetch {
  /** Every webRequest event whose URL belongs to this fetch (all hops, preflights included), in arrival order. */
  events: WebRequestEvent[];
  oracle: Oracle;
}

export interface RecordedScenario {
  id: string;
  fetches: RecordedFetch[];
}

export interface ConformanceRecording {
  browser: BrowserName;
  /** Full browser version string, e.g. "Chromium 156.0.8078.108". */
  browserVersion: string;
  recordedAt: string;
  origins: { page: string; api: string; third: string; closed: string };
  scenarios: RecordedScenario[];
}
