// The page-side fetch a conformance run performs; self-contained so drivers can serialize it into the page.
import type { Scenario } from './scenario.ts';

export interface PageFetchArgs {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
  mode?: 'cors' | 'no-cors' | 'same-origin';
  targetAddressSpace?: 'local' | 'loopback';
}

/** The fetch a scenario's request describes, to `url` (the scenario's hop 0 for this run). */
export function scenarioFetchArgs(scenario: Scenario, url: string): PageFetchArgs {
  const r = scenario.request;
  const args: PageFetchArgs = { url, method: r.method, headers: r.headers ?? [] };
  if (r.body !== undefined) args.body = r.body;
  if (r.credentials) args.credentials = r.credentials;
  if (r.mode) args.mode = r.mode;
  if (r.targetAddressSpace) args.targetAddressSpace = r.targetAddressSpace;
  return args;
}

export interface PageFetchResult {
  fetch: 'resolved' | 'rejected';
  status: number | null;
  error: string | null;
}

export async function pageFetch(args: PageFetchArgs): Promise<PageFetchResult> {
  // Default cache mode on purpose: no-store, no-cache and reload also bypass the preflight cache, which the
  // preflight-cache scenarios need (unique URL tokens and no-store responses already rule out HTTP cache hits).
  // `targetAddressSpace` (Local Network Access) is not in TypeScript's DOM RequestInit yet.
  const init: RequestInit & { targetAddressSpace?: string } = { method: args.method, headers: args.headers };
  if (args.body !== undefined) init.body = args.body;
  if (args.credentials) init.credentials = args.credentials;
  if (args.mode) init.mode = args.mode;
  if (args.targetAddressSpace) init.targetAddressSpace = args.targetAddressSpace;
  try {
    const res = await fetch(args.url, init);
    await res.text().catch(() => '');
    return { fetch: 'resolved', status: res.status, error: null };
  } catch (e) {
    return { fetch: 'rejected', status: null, error: String(e) };
  }
}
