// The page-side fetch a conformance run performs; self-contained so drivers can serialize it into the page.

export interface PageFetchArgs {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
  mode?: 'cors' | 'no-cors' | 'same-origin';
}

export interface PageFetchResult {
  fetch: 'resolved' | 'rejected';
  status: number | null;
  error: string | null;
}

export async function pageFetch(args: PageFetchArgs): Promise<PageFetchResult> {
  // Default cache mode on purpose: no-store, no-cache and reload also bypass the preflight cache, which the
  // preflight-cache scenarios need (unique URL tokens and no-store responses already rule out HTTP cache hits).
  const init: RequestInit = { method: args.method, headers: args.headers };
  if (args.body !== undefined) init.body = args.body;
  if (args.credentials) init.credentials = args.credentials;
  if (args.mode) init.mode = args.mode;
  try {
    const res = await fetch(args.url, init);
    await res.text().catch(() => '');
    return { fetch: 'resolved', status: res.status, error: null };
  } catch (e) {
    return { fetch: 'rejected', status: null, error: String(e) };
  }
}
