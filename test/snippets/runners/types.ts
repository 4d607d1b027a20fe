// The contract each real server under test implements: start it on 127.0.0.1 with a generated snippet, stop it.
import type { CorsPolicy, ServerId, Snippet } from '../../../src/core/snippets/types.ts';

export interface RunningServer {
  /** e.g. "http://127.0.0.1:41234": the policy's path on it answers the policy's method with 200 and a JSON body. */
  baseUrl: string;
  stop(): Promise<void>;
}

export interface SnippetRunner {
  server: ServerId;
  /** null when the server can run here, else why not (e.g. "nginx is not installed: see .ci/run"). */
  unavailable(): string | null;
  /** Starts the server with `snippet.code` used verbatim (only a marked placeholder for the app's own handler may be filled in). */
  start(snippet: Snippet, policy: CorsPolicy): Promise<RunningServer>;
  /** Optional: why this server itself refuses the request's method before any configuration runs (Node and nginx
   *  answer 400 to a lower-case "patch"), else null. The proof then checks that the snippet's notes say so and that
   *  Chromium indeed fails, instead of expecting a pass. */
  refusesMethod?(method: string): string | null;
}
