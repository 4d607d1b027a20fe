// The browsers' CORS-preflight cache: Access-Control-Max-Age as each browser parses it, which later requests a cached
// preflight answers, and per endpoint how many preflights a longer Max-Age would have saved.
import { isOkStatus, parseAllowList, type AllowList } from './checks.ts';
import { explainPreflights } from './evaluate.ts';
import { headerValue } from './headers.ts';
import { judge, type Judgement } from './judge.ts';
import type { BrowserName, CredentialsMode, HeaderList, ObservedExchange } from './types.ts';

/** Chromium services/network/cors/preflight_result.cc (kDefaultTimeout, kMaxTimeout); Firefox
 *  nsCORSListenerProxy.cpp (PREFLIGHT_DEFAULT_EXPIRY_SECONDS, the 86400 clamp). */
export const MAX_AGE_LIMITS: Readonly<Record<BrowserName, { defaultSeconds: number; capSeconds: number }>> = {
  chrome: { defaultSeconds: 5, capSeconds: 7200 },
  firefox: { defaultSeconds: 5, capSeconds: 86400 },
};

export type MaxAgeSource = 'default' | 'header' | 'capped' | 'not-cached';

export interface MaxAge {
  /** How long the browser keeps the preflight; 0 = not cached at all. */
  seconds: number;
  source: MaxAgeSource;
  /** The Access-Control-Max-Age value (repeated lines joined with ", ", as both browsers read it). */
  raw: string | null;
  explanation: string;
}

const INT64_MAX = 9223372036854775807n;

function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

/** Chromium: base::StringToInt64 (optional sign, digits only); unparsable or overflowing → the 5 s default,
 *  negative → not cached, 0 → expires at once, at least 7200 → 7200. Measured in Chromium: "+3" is 3 s; "1.5",
 *  "abc", "", "2, 2" and 20 digits keep the 5 s default; "0" and "-1" re-send the preflight every time. */
function chromeMaxAge(raw: string | null): MaxAge {
  const { defaultSeconds, capSeconds } = MAX_AGE_LIMITS.chrome;
  if (raw === null) {
    return { seconds: defaultSeconds, source: 'default', raw, explanation: `No Access-Control-Max-Age: Chrome keeps the preflight ${defaultSeconds} s (its default).` };
  }
  const m = /^([+-]?)(\d+)$/.exec(trimOws(raw));
  const value = m ? BigInt(m[2]!) : null;
  if (value === null || value > INT64_MAX) {
    return { seconds: defaultSeconds, source: 'default', raw, explanation: `Access-Control-Max-Age is not an integer: Chrome ignores it and keeps the preflight ${defaultSeconds} s (its default).` };
  }
  if (value === 0n || m![1] === '-') {
    return { seconds: 0, source: 'not-cached', raw, explanation: `Access-Control-Max-Age ${value === 0n ? 'is 0' : 'is negative'}: Chrome does not cache the preflight.` };
  }
  if (value > BigInt(capSeconds)) {
    return { seconds: capSeconds, source: 'capped', raw, explanation: `Chrome caps Access-Control-Max-Age at ${capSeconds} s (2 hours).` };
  }
  return { seconds: Number(value), source: 'header', raw, explanation: `Chrome keeps the preflight ${Number(value)} s.` };
}

/** Firefox: empty or absent → 5 s; any character other than a digit → not cached; 0 → not cached; clamped to
 *  86400 while parsing (no overflow). Measured in Firefox ESR: "+3", "1.5", "abc", "-1" and "2, 2" re-send the
 *  preflight every time; "" keeps it 5 s. */
function firefoxMaxAge(raw: string | null): MaxAge {
  const { defaultSeconds, capSeconds } = MAX_AGE_LIMITS.firefox;
  const value = raw === null ? '' : trimOws(raw);
  if (value === '') {
    return { seconds: defaultSeconds, source: 'default', raw, explanation: `No Access-Control-Max-Age value: Firefox keeps the preflight ${defaultSeconds} s (its default).` };
  }
  if (!/^\d+$/.test(value)) {
    return { seconds: 0, source: 'not-cached', raw, explanation: 'Access-Control-Max-Age is not a plain number of seconds: Firefox does not cache the preflight.' };
  }
  const seconds = Math.min(Number(value), capSeconds);
  if (seconds === 0) return { seconds: 0, source: 'not-cached', raw, explanation: 'Access-Control-Max-Age is 0: Firefox does not cache the preflight.' };
  if (seconds === capSeconds && Number(value) > capSeconds) {
    return { seconds, source: 'capped', raw, explanation: `Firefox caps Access-Control-Max-Age at ${capSeconds} s (24 hours).` };
  }
  return { seconds, source: 'header', raw, explanation: `Firefox keeps the preflight ${seconds} s.` };
}

/** How long `browser` keeps a successful preflight whose response carried `headers`. */
export function effectiveMaxAge(headers: HeaderList, browser: BrowserName): MaxAge {
  const raw = headerValue(headers, 'access-control-max-age');
  return browser === 'chrome' ? chromeMaxAge(raw) : firefoxMaxAge(raw);
}

/** The cache key of an endpoint as Corsight groups preflights: who asks, where, and what. */
export interface PreflightKey {
  origin: string;
  url: string;
  method: string;
  /** Lowercased, sorted. */
  headerNames: string[];
}

/** One preflight a request needed: sent (an OPTIONS was seen) or answered by the cache (inferred). */
export interface PreflightUse {
  id: string;
  startedAt: number;
  hop: number;
  key: PreflightKey;
  credentials: CredentialsMode;
  observed: 'sent' | 'cached';
  /** What the browser's cache, replayed over the tab's earlier preflights, should have done. A prediction: the
   *  browser also sends the OPTIONS when the request bypassed its caches (fetch `cache: 'no-store'` or `'reload'`,
   *  and in Chromium `'no-cache'`; measured), and webRequest shows neither that mode nor the Pragma and
   *  Cache-Control headers it adds. Firefox also drops an entry when the host's DNS record is newer than it
   *  (CORSCacheEntry::CheckDNSCache): measured with an IP-literal API, its cache missed for the first seconds. */
  predicted: 'sent' | 'cached';
  /** A sent preflight that passed, so the browser stored it. */
  stored: boolean;
  /** How long the browser keeps it, for a stored preflight. */
  maxAge: MaxAge | null;
}

export interface PreflightRecord {
  id: string;
  startedAt: number;
  exchange: ObservedExchange;
}

/** A cached preflight: per method and header name, until when (ms) it answers; Firefox refreshes names one by
 *  one, Chromium replaces the whole entry. */
interface Entry {
  credentials: boolean;
  methods: Map<string, number>;
  headers: Map<string, number>;
}

interface Need {
  method: string;
  headerNames: readonly string[];
  credentials: CredentialsMode;
}

/** Chromium PreflightResult::EnsureAllowedRequest: a credentialed request needs a credentialed entry; safelisted
 *  methods always pass; `*` counts only in an entry stored without credentials, and never covers Authorization. */
function chromeAnswers(e: Entry, need: Need, now: number): boolean {
  if (!e.credentials && need.credentials === 'include') return false;
  const live = (m: Map<string, number>, token: string): boolean => (m.get(token) ?? 0) > now;
  const methodOk = ['GET', 'HEAD', 'POST'].includes(need.method) || live(e.methods, need.method) || (!e.credentials && live(e.methods, '*'));
  if (!methodOk) return false;
  const wildcard = !e.credentials && live(e.headers, '*');
  return need.headerNames.every((n) => live(e.headers, n) || (wildcard && n !== 'authorization'));
}

/** Firefox CORSCacheEntry::CheckRequest: GET and POST pass (HEAD does not), other methods and every header name must
 *  be listed literally (no `*` in the cache). */
function firefoxAnswers(e: Entry, need: Need, now: number): boolean {
  const live = (m: Map<string, number>, token: string): boolean => (m.get(token) ?? 0) > now;
  if (need.method !== 'GET' && need.method !== 'POST' && !live(e.methods, need.method)) return false;
  return need.headerNames.every((n) => live(e.headers, n));
}

/** Chromium keeps one entry per origin + URL (a credentialed one also answers requests without credentials);
 *  Firefox one per origin + URL + credentials mode. */
function entryKey(browser: BrowserName, origin: string, url: string, creds: CredentialsMode): string {
  return browser === 'chrome' ? `${origin} ${url}` : `${origin} ${url} ${creds}`;
}

function store(cache: Map<string, Entry>, browser: BrowserName, key: string, allow: { methods: AllowList; headers: AllowList }, creds: CredentialsMode, until: number): void {
  const old = cache.get(key);
  const e: Entry = browser === 'firefox' && old ? old : { credentials: creds === 'include', methods: new Map(), headers: new Map() };
  e.credentials = creds === 'include';
  for (const m of allow.methods.items) e.methods.set(m, until);
  for (const h of allow.headers.lower) e.headers.set(h, until);
  cache.set(key, e);
}

/** Every preflight the tab's requests needed, in start order, with what the browser's cache should have done. The
 *  times are the requests' start times, so requests started before an earlier preflight was answered (parallel
 *  requests) may be predicted from the cache although the browser sent their OPTIONS. */
export function preflightUses(records: readonly PreflightRecord[]): PreflightUse[] {
  const sorted = [...records].sort((a, b) => a.startedAt - b.startedAt);
  const caches: Record<BrowserName, Map<string, Entry>> = { chrome: new Map(), firefox: new Map() };
  const out: PreflightUse[] = [];
  for (const r of sorted) {
    const browser = r.exchange.browser;
    const cache = caches[browser];
    const j: Judgement = judge(r.exchange);
    for (const p of explainPreflights(j.chain, browser)) {
      if (!p.seen && !p.fromCacheInferred) continue;
      const step = j.chain.steps[p.hop]!;
      const origin = step.preflightOrigin;
      const headerNames = [...p.headerNames].sort();
      const need: Need = { method: p.method, headerNames, credentials: j.creds };
      const entryAt = entryKey(browser, origin, p.url, j.creds);
      const entry = cache.get(entryAt);
      const hit = entry !== undefined && (browser === 'chrome' ? chromeAnswers : firefoxAnswers)(entry, need, r.startedAt);
      const response = step.hop.preflight?.response ?? null;
      const failedHere = j.mine.failure?.hop === p.hop && j.mine.failure.stage === 'preflight';
      const stored = p.seen && response !== null && isOkStatus(response.status) && !failedHere;
      const maxAge = stored && response ? effectiveMaxAge(response.headers, browser) : null;
      if (stored && response && maxAge && maxAge.seconds > 0) {
        const allow = { methods: parseAllowList(response.headers, 'access-control-allow-methods'), headers: parseAllowList(response.headers, 'access-control-allow-headers') };
        store(cache, browser, entryAt, allow, j.creds, r.startedAt + maxAge.seconds * 1000);
      }
      // A failed preflight replaces nothing. Firefox also drops the entry when the response then fails its CORS
      // check (RemoveFromCorsPreflightCache); Chromium keeps it (recorded: preflight-cache-cleared-on-failure).
      const responseFailed = j.mine.blocked === true && j.mine.failure?.stage === 'response';
      if (browser === 'firefox' && responseFailed) cache.delete(entryAt);
      out.push({
        id: r.id,
        startedAt: r.startedAt,
        hop: p.hop,
        key: { origin, url: p.url, method: p.method, headerNames },
        credentials: j.creds,
        observed: p.seen ? 'sent' : 'cached',
        predicted: hit ? 'cached' : 'sent',
        stored,
        maxAge,
      });
    }
  }
  return out;
}

/** Preflights saved under Max-Age `seconds`: a preflight is avoided while the last one actually sent is still
 *  cached (a cache hit does not extend the entry). `times` in ms, ascending. */
export function avoidedWith(times: readonly number[], seconds: number): number {
  let until = -Infinity;
  let avoided = 0;
  for (const t of times) {
    if (t < until) avoided++;
    else until = t + seconds * 1000;
  }
  return avoided;
}

export interface EndpointPreflights {
  key: PreflightKey;
  /** OPTIONS the browser sent. */
  sent: number;
  /** Requests whose preflight the cache answered (inferred). */
  fromCache: number;
  /** Sent preflights that passed (the browser stored them); only their repeats can be avoided. */
  passed: number;
  /** From the last preflight that passed, as the observing browser reads it; null when none passed. */
  maxAge: MaxAge | null;
  /** Preflights that would not have been sent with Max-Age at each browser's cap. */
  avoidable: Record<BrowserName, number>;
  /** The smallest Max-Age (whole seconds) that would have left only the first passing preflight; null when fewer
   *  than two passed. */
  maxAgeForAll: number | null;
}

function keyString(k: PreflightKey): string {
  return JSON.stringify([k.origin, k.url, k.method, k.headerNames]);
}

/** The tab's preflights per endpoint (origin + URL + method + header names), most sent first. */
export function preflightEndpoints(records: readonly PreflightRecord[]): EndpointPreflights[] {
  const groups = new Map<string, { key: PreflightKey; uses: PreflightUse[] }>();
  for (const u of preflightUses(records)) {
    const k = keyString(u.key);
    const g = groups.get(k) ?? { key: u.key, uses: [] };
    g.uses.push(u);
    groups.set(k, g);
  }
  const out: EndpointPreflights[] = [];
  for (const { key, uses } of groups.values()) {
    const passed = uses.filter((u) => u.stored);
    const times = passed.map((u) => u.startedAt);
    const span = times.length > 1 ? times[times.length - 1]! - times[0]! : null;
    out.push({
      key,
      sent: uses.filter((u) => u.observed === 'sent').length,
      fromCache: uses.filter((u) => u.observed === 'cached').length,
      passed: passed.length,
      maxAge: passed[passed.length - 1]?.maxAge ?? null,
      avoidable: { chrome: avoidedWith(times, MAX_AGE_LIMITS.chrome.capSeconds), firefox: avoidedWith(times, MAX_AGE_LIMITS.firefox.capSeconds) },
      maxAgeForAll: span === null ? null : Math.floor(span / 1000) + 1,
    });
  }
  return out.sort((a, b) => b.sent - a.sent);
}

/** Whether a request needed a preflight that was not seen although the request went out: the browser answered it
 *  from its preflight cache (an inference: webRequest never says so). */
export function preflightFromCache(j: Judgement): boolean {
  return explainPreflights(j.chain, j.browser).some((p) => p.fromCacheInferred);
}
