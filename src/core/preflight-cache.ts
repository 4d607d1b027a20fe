// The browsers' CORS-preflight cache: Access-Control-Max-Age as each browser parses it, which later requests a cached
// preflight answers, and per endpoint how many preflights a longer Max-Age would have saved.
import { isOkStatus, parseAllowList, type AllowList } from './checks.ts';
import { explainPreflights } from './evaluate.ts';
import { headerValue } from './headers.ts';
import { judge, type Judgement } from './judge.ts';
import type { BrowserName, CredentialsMode, HeaderList, ObservedExchange, ObservedResponse } from './types.ts';

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
/** Whether the browser put this preflight in its cache: only one that got a 2xx and passed its checks. */
export function storesPreflight(response: ObservedResponse | null, failedHere: boolean): response is ObservedResponse {
  return response !== null && isOkStatus(response.status) && !failedHere;
}

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

/** The credentials mode as the preflight cache sees it. webRequest shows it only as a Cookie header or through a
 *  verdict that differs between the modes; when both modes end alike (`irrelevant` to the verdict) the cache still
 *  keeps them apart, so the mode is unknown here. */
export type CacheCredentials = CredentialsMode | 'unknown';

/** One preflight a request needed: sent (an OPTIONS was seen) or answered by the cache (inferred). */
export interface PreflightUse {
  id: string;
  startedAt: number;
  hop: number;
  key: PreflightKey;
  credentials: CacheCredentials;
  observed: 'sent' | 'cached';
  /** What the browser's cache, replayed over the tab's earlier preflights, should have done. A prediction: the
   *  browser also sends the OPTIONS when the request bypassed its caches (fetch `cache: 'no-store'` or `'reload'`,
   *  and in Chromium `'no-cache'`; measured), and webRequest shows neither that mode nor the Pragma and
   *  Cache-Control headers it adds. Firefox also drops an entry when the host's DNS record is newer than it
   *  (CORSCacheEntry::CheckDNSCache): measured with an IP-literal API, its cache missed for the first seconds.
   *  `unknown`: the answer depends on a credentials mode webRequest did not show (see preflightUses). */
  predicted: 'sent' | 'cached' | 'unknown';
  /** A sent preflight that passed, so the browser stored it. */
  stored: boolean;
  /** When a stored preflight entered the cache: its response's time (ObservedPreflight.respondedAt), else the
   *  request's start for captures without it. */
  storedAt: number;
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

/** A use before the replay, with what the replay needs to store or drop its entry. */
interface Draft {
  use: Omit<PreflightUse, 'predicted'>;
  browser: BrowserName;
  need: Omit<Need, 'credentials'>;
  allow: { methods: AllowList; headers: AllowList } | null;
  /** Firefox drops the entry when the response then fails its CORS check (RemoveFromCorsPreflightCache); Chromium
   *  keeps it (recorded: preflight-cache-cleared-on-failure). */
  drops: boolean;
}

function drafts(records: readonly PreflightRecord[]): Draft[] {
  const out: Draft[] = [];
  for (const r of records) {
    const browser = r.exchange.browser;
    const j: Judgement = judge(r.exchange);
    const credentials: CacheCredentials = j.credentialsSource === 'observed' || j.credentialsSource === 'inferred' ? j.creds : 'unknown';
    const responseFailed = j.mine.blocked === true && j.mine.failure?.stage === 'response';
    for (const p of explainPreflights(j.chain, browser)) {
      if (!p.seen && !p.fromCacheInferred) continue;
      const step = j.chain.steps[p.hop]!;
      const headerNames = [...p.headerNames].sort();
      const pre = step.hop.preflight;
      const response = pre?.response ?? null;
      const failedHere = j.mine.failure?.hop === p.hop && j.mine.failure.stage === 'preflight';
      const stored = p.seen && storesPreflight(response, failedHere);
      const maxAge = stored && response ? effectiveMaxAge(response.headers, browser) : null;
      const allow = stored && response ? { methods: parseAllowList(response.headers, 'access-control-allow-methods'), headers: parseAllowList(response.headers, 'access-control-allow-headers') } : null;
      out.push({
        use: {
          id: r.id,
          startedAt: r.startedAt,
          hop: p.hop,
          key: { origin: step.preflightOrigin, url: p.url, method: p.method, headerNames },
          credentials,
          observed: p.seen ? 'sent' : 'cached',
          stored,
          storedAt: pre?.respondedAt ?? r.startedAt,
          maxAge,
        },
        browser,
        need: { method: p.method, headerNames },
        allow,
        drops: browser === 'firefox' && responseFailed,
      });
    }
  }
  return out.sort((a, b) => a.use.startedAt - b.use.startedAt);
}

/** Replays the browsers' caches over `uses` (by start): each request looks up the cache when it starts, and a passed
 *  preflight enters it when its response arrived, so requests sent in parallel each send their own OPTIONS.
 *  `unknownAs` settles the credentials mode webRequest did not show. Returns the hits. */
function replay(uses: readonly Draft[], unknownAs: CredentialsMode): boolean[] {
  const caches: Record<BrowserName, Map<string, Entry>> = { chrome: new Map(), firefox: new Map() };
  /** Stores and drops not applied yet, in the order they happen. */
  const pending: Array<{ at: number; apply(): void }> = [];
  const hits: boolean[] = [];
  for (const { use, browser, need, allow, drops } of uses) {
    pending.sort((a, b) => a.at - b.at);
    while (pending.length > 0 && pending[0]!.at <= use.startedAt) pending.shift()!.apply();
    const creds = use.credentials === 'unknown' ? unknownAs : use.credentials;
    const cache = caches[browser];
    const at = entryKey(browser, use.key.origin, use.key.url, creds);
    const entry = cache.get(at);
    hits.push(entry !== undefined && (browser === 'chrome' ? chromeAnswers : firefoxAnswers)(entry, { ...need, credentials: creds }, use.startedAt));
    const { storedAt, maxAge } = use;
    if (allow && maxAge && maxAge.seconds > 0) {
      pending.push({ at: storedAt, apply: () => store(cache, browser, at, allow, creds, storedAt + maxAge.seconds * 1000) });
    }
    // A failed preflight replaces nothing; a drop follows the store of the same request (stable sort).
    if (drops) pending.push({ at: storedAt, apply: () => void cache.delete(at) });
  }
  return hits;
}

/** Every preflight the tab's requests needed, in start order, with what the browser's cache should have done.
 *  Requests whose credentials mode webRequest did not show are taken to share one mode (the same code usually makes
 *  them); where the answer then depends on which mode, the prediction is `unknown` rather than a guess. */
export function preflightUses(records: readonly PreflightRecord[]): PreflightUse[] {
  const uses = drafts(records);
  const asOmitted = replay(uses, 'omit');
  const asIncluded = uses.some((u) => u.use.credentials === 'unknown') ? replay(uses, 'include') : asOmitted;
  return uses.map(({ use }, i) => ({
    ...use,
    predicted: asOmitted[i] !== asIncluded[i] ? 'unknown' : asOmitted[i] ? 'cached' : 'sent',
  }));
}

/** The uses of one request, replayed over only the records that started no later and share a URL with it: cache
 *  entries are per URL, and later requests store only after it looked, so the others cannot change its answer
 *  (cheap enough for the detail view of a large tab). */
export function preflightUsesOf(records: readonly PreflightRecord[], record: PreflightRecord): PreflightUse[] {
  const urls = new Set(record.exchange.hops.map((h) => h.url));
  const related = records.filter((r) => r.startedAt <= record.startedAt && r.exchange.hops.some((h) => urls.has(h.url)));
  return preflightUses(related.some((r) => r.id === record.id) ? related : [...related, record]).filter((u) => u.id === record.id);
}

/** Why a browser sent an OPTIONS that its cache should have answered: never an error, only what webRequest cannot
 *  show. */
export function unexpectedPreflightNote(browser: BrowserName): string {
  const common = "Expected from the preflight cache (an earlier preflight for this URL passed and was still fresh), but the browser sent the OPTIONS. Not an error; the usual causes: the request bypassed the browser's caches (fetch cache: 'no-store' or 'reload'";
  return browser === 'chrome'
    ? `${common}, or 'no-cache' in Chrome), which webRequest does not show.`
    : `${common}), or Firefox dropped the entry because the host's DNS record was refreshed after it was stored; webRequest shows neither.`;
}

/** One sent, passed preflight of an endpoint, for the what-if counts. */
interface Sent {
  startedAt: number;
  storedAt: number;
  credentials: CredentialsMode;
}

/** Preflights among `sent` (by start) that `browser` would not have sent with Max-Age `seconds`: a request is
 *  answered by an entry an earlier, still sent preflight stored when its response arrived, while that entry lives (a
 *  cache hit does not extend it), under the browser's credentials rule (see entryKey). */
export function avoidedUnder(browser: BrowserName, sent: readonly Sent[], seconds: number): number {
  const entries = new Map<string, { include: boolean; until: number }>();
  const pending: Array<{ at: number; key: string; include: boolean; until: number }> = [];
  let avoided = 0;
  for (const s of sent) {
    pending.sort((a, b) => a.at - b.at);
    while (pending.length > 0 && pending[0]!.at <= s.startedAt) {
      const p = pending.shift()!;
      entries.set(p.key, { include: p.include, until: p.until });
    }
    const key = browser === 'chrome' ? '' : s.credentials;
    const e = entries.get(key);
    if (e && s.startedAt < e.until && (e.include || s.credentials === 'omit')) avoided++;
    else pending.push({ at: s.storedAt, key, include: s.credentials === 'include', until: s.storedAt + seconds * 1000 });
  }
  return avoided;
}

/** What a Max-Age would have saved on one endpoint, as `browser` caches. */
export interface Savings {
  /** Preflights not sent with Max-Age at each browser's cap. */
  avoidable: Record<BrowserName, number>;
  /** Preflights any Max-Age could save (parallel requests and other credentials modes cannot be). */
  possible: number;
  /** The smallest Max-Age (whole seconds) that saves all of `possible`, and the smallest that saves at least
   *  MOST_SAVED of them (`savedByMost`); null when none can be saved. */
  maxAgeForAll: number | null;
  maxAgeForMost: number | null;
  savedByMost: number;
}

/** The share of the possible savings `maxAgeForMost` reaches. */
export const MOST_SAVED = 0.9;

function savingsOf(browser: BrowserName, sent: readonly Sent[]): Savings {
  const possible = avoidedUnder(browser, sent, Infinity);
  const avoidable = { chrome: avoidedUnder('chrome', sent, MAX_AGE_LIMITS.chrome.capSeconds), firefox: avoidedUnder('firefox', sent, MAX_AGE_LIMITS.firefox.capSeconds) };
  if (possible === 0) return { avoidable, possible, maxAgeForAll: null, maxAgeForMost: null, savedByMost: 0 };
  // Past the span from the first store to the last start every entry outlives the tab: that Max-Age saves all.
  const span = Math.max(...sent.map((s) => s.startedAt)) - Math.min(...sent.map((s) => s.storedAt));
  const smallest = (target: number): number => {
    let lo = 1;
    let hi = Math.max(1, Math.floor(span / 1000) + 1);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (avoidedUnder(browser, sent, mid) >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const maxAgeForMost = smallest(Math.ceil(possible * MOST_SAVED));
  return { avoidable, possible, maxAgeForAll: smallest(possible), maxAgeForMost, savedByMost: avoidedUnder(browser, sent, maxAgeForMost) };
}

export interface EndpointPreflights {
  key: PreflightKey;
  /** The browser the tab was captured in; the savings follow its cache. */
  browser: BrowserName;
  /** OPTIONS the browser sent. */
  sent: number;
  /** Requests whose preflight the cache answered (inferred). */
  fromCache: number;
  /** Sent preflights that passed (the browser stored them); only their repeats can be avoided. */
  passed: number;
  /** Requests per credentials mode, as far as webRequest showed it. */
  credentials: Record<CacheCredentials, number>;
  /** From the last preflight that passed, as the observing browser reads it; null when none passed. */
  maxAge: MaxAge | null;
  /** Null when the savings depend on the credentials mode of requests webRequest did not show (with modes unknown,
   *  they are taken to share one; see preflightUses). */
  savings: Savings | null;
}

function keyString(k: PreflightKey): string {
  return JSON.stringify([k.origin, k.url, k.method, k.headerNames]);
}

function sameSavings(a: Savings, b: Savings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
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
  const browserOf = new Map(records.map((r) => [r.id, r.exchange.browser]));
  const out: EndpointPreflights[] = [];
  for (const { key, uses } of groups.values()) {
    const browser = browserOf.get(uses[0]!.id)!;
    const passed = uses.filter((u) => u.stored);
    const settled = (unknownAs: CredentialsMode): Sent[] =>
      passed.map((u) => ({ startedAt: u.startedAt, storedAt: u.storedAt, credentials: u.credentials === 'unknown' ? unknownAs : u.credentials }));
    const asOmitted = savingsOf(browser, settled('omit'));
    const asIncluded = passed.some((u) => u.credentials === 'unknown') ? savingsOf(browser, settled('include')) : asOmitted;
    const credentials: Record<CacheCredentials, number> = { include: 0, omit: 0, unknown: 0 };
    for (const u of uses) credentials[u.credentials]++;
    out.push({
      key,
      browser,
      sent: uses.filter((u) => u.observed === 'sent').length,
      fromCache: uses.filter((u) => u.observed === 'cached').length,
      passed: passed.length,
      credentials,
      maxAge: passed[passed.length - 1]?.maxAge ?? null,
      savings: sameSavings(asOmitted, asIncluded) ? asOmitted : null,
    });
  }
  return out.sort((a, b) => b.sent - a.sent);
}

/** Whether a request needed a preflight that was not seen although the request went out: the browser answered it
 *  from its preflight cache (an inference: webRequest never says so). */
export function preflightFromCache(j: Judgement): boolean {
  return explainPreflights(j.chain, j.browser).some((p) => p.fromCacheInferred);
}
