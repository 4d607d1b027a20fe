// The contract between the fix and the per-server snippet generators: the least-privilege CORS policy for one
// endpoint, and the configuration text each server needs to apply it.

/** What one endpoint must allow so that exactly the observed request passes, and nothing more. */
export interface CorsPolicy {
  /** The one origin to allow, byte for byte as the browser sent it in `Origin` (never "*"). */
  origin: string;
  /** URL of the endpoint whose server must change (the failing hop). */
  url: string;
  /** Its path, e.g. "/api/orders/42": the route the snippets configure. */
  path: string;
  /** The actual request's method, exactly as the page sends it (may be lower-case: "patch"). */
  method: string;
  /** True when the browser sends a preflight (OPTIONS) first; the server must answer it with 2xx. */
  preflight: boolean;
  /** Methods Access-Control-Allow-Methods must list (empty when the method is CORS-safelisted). */
  allowMethods: string[];
  /** Request header names Access-Control-Allow-Headers must list, lower-case (empty when none). */
  allowHeaders: string[];
  /** True when the request carries credentials, so Access-Control-Allow-Credentials: true is needed. */
  credentials: boolean;
}

export type ServerId =
  | 'express-cors'
  | 'express'
  | 'fastify'
  | 'nginx'
  | 'apache'
  | 'caddy'
  | 'django'
  | 'flask'
  | 'spring'
  | 'aspnet'
  | 'go';

export interface Snippet {
  server: ServerId;
  /** Shown in the panel's picker, e.g. "Express (cors package)". */
  label: string;
  /** Language of `code`, for the panel's label (e.g. "js", "nginx", "apache", "caddyfile", "python", "java", "csharp", "go"). */
  language: string;
  /** Where the code goes, e.g. "server block of nginx.conf", "settings.py". */
  where: string;
  /** The configuration or code, ready to paste. */
  code: string;
  /** Caveats for this server (e.g. nginx's `always`, middleware order). */
  notes: string[];
  /** True when a test starts this server with exactly this kind of snippet and real Chromium passes through it. */
  proven: boolean;
}

export type SnippetGenerator = (policy: CorsPolicy) => Omit<Snippet, 'proven'>;
