// The preflight cache model: Access-Control-Max-Age as each browser parses it, the cache replayed over the recorded
// browser runs (the fixtures' preflight-cache-* scenarios say when the real browser sent an OPTIONS), the
// per-endpoint counts of preflights a Max-Age would have saved, and the preflight response time the capture keeps.
import { describe, expect, it } from 'vitest';
import { decodeExchange, encodeExchange } from '../../src/background/persist.ts';
import {
  avoidedUnder,
  effectiveMaxAge,
  MAX_AGE_LIMITS,
  preflightEndpoints,
  preflightUses,
  preflightUsesOf,
  type PreflightUse,
} from '../../src/core/preflight-cache.ts';
import type { BrowserName, CredentialsMode } from '../../src/core/types.ts';
import type { ExchangeRecord } from '../../src/protocol/messages.ts';
import { recordedExchanges } from '../panel/recorded.ts';

const maxAge = (browser: BrowserName, ...values: string[]): number =>
  effectiveMaxAge(values.map((v): readonly [string, string] => ['Access-Control-Max-Age', v]), browser).seconds;

describe('effectiveMaxAge', () => {
  // Each row was measured in Chromium 156 and Firefox ESR (a PUT re-fetched after 0.5, 1.5, 3.2 and 6 s).
  it('follows Chromium: default 5 s for absent or unparsable values, 0 for negative, capped at 7200', () => {
    expect(maxAge('chrome')).toBe(5);
    for (const v of ['abc', '1.5', '', '99999999999999999999']) expect(maxAge('chrome', v)).toBe(5);
    expect(maxAge('chrome', '2', '2')).toBe(5);
    expect(maxAge('chrome', '2')).toBe(2);
    expect(maxAge('chrome', '+3')).toBe(3);
    expect(maxAge('chrome', ' 3 ')).toBe(3);
    expect(maxAge('chrome', '0')).toBe(0);
    expect(maxAge('chrome', '-1')).toBe(0);
    expect(maxAge('chrome', '86400')).toBe(MAX_AGE_LIMITS.chrome.capSeconds);
    expect(effectiveMaxAge([['access-control-max-age', '86400']], 'chrome').source).toBe('capped');
  });

  it('follows Firefox: default 5 s only when absent or empty, anything but digits is not cached, capped at 86400', () => {
    expect(maxAge('firefox')).toBe(5);
    expect(maxAge('firefox', '')).toBe(5);
    for (const v of ['abc', '1.5', '+3', '-1', '0']) expect(maxAge('firefox', v)).toBe(0);
    expect(maxAge('firefox', '2', '2')).toBe(0);
    expect(maxAge('firefox', ' 3 ')).toBe(3);
    expect(maxAge('firefox', '99999999999999999999')).toBe(86400);
    expect(effectiveMaxAge([['Access-Control-Max-Age', 'abc']], 'firefox').explanation).toMatch(/does not cache/);
  });
});

const CACHE_SCENARIOS = /^preflight-cache-/;

function tabOf(browser: BrowserName, scenario: string): ExchangeRecord[] {
  return recordedExchanges(browser).filter((r) => r.scenario === scenario).map((r) => r.record);
}

const scenarios = (browser: BrowserName): string[] =>
  [...new Set(recordedExchanges(browser).map((r) => r.scenario).filter((s) => CACHE_SCENARIOS.test(s)))];

/** Where the replay commits to an answer it is the browser's; `unknown` only where a credentials mode is. */
function expectNoContradiction(uses: readonly PreflightUse[], scenario: string): void {
  for (const u of uses) {
    if (u.predicted === 'unknown') expect(uses.some((v) => v.credentials === 'unknown'), scenario).toBe(true);
    else expect(u.predicted, `${scenario} ${u.id}`).toBe(u.observed);
  }
}

describe('preflightUses against the recorded browsers', () => {
  it('predicts every OPTIONS Chromium sent or skipped in the preflight-cache scenarios', () => {
    const checked = scenarios('chrome');
    expect(checked.length).toBeGreaterThanOrEqual(12);
    let committed = 0;
    for (const s of checked) {
      const uses = preflightUses(tabOf('chrome', s));
      expectNoContradiction(uses, s);
      committed += uses.filter((u) => u.predicted !== 'unknown').length;
    }
    expect(committed).toBeGreaterThanOrEqual(20);
  });

  it('never contradicts a Firefox cache hit, and predicts its misses for `*` lists', () => {
    for (const s of scenarios('firefox')) {
      for (const u of preflightUses(tabOf('firefox', s))) if (u.observed === 'cached') expect(u.predicted, s).not.toBe('sent');
    }
    // Firefox's cache compares method and header names literally: `*` answers the preflight but is never cached.
    const star = preflightUses(tabOf('firefox', 'preflight-cache-max-age-600-star'));
    expect(star.map((u) => u.predicted)).toEqual(['sent', 'sent']);
    expect(star.map((u) => u.observed)).toEqual(['sent', 'sent']);
  });

  it('keys the cache by URL: a preflight for another URL is sent', () => {
    const [a, b] = tabOf('chrome', 'preflight-cache-max-age');
    const elsewhere = { ...b!, id: 'elsewhere', exchange: { ...b!.exchange, hops: b!.exchange.hops.map((h) => ({ ...h, url: `${h.url}?other` })) } };
    const uses = preflightUses([a!, elsewhere]);
    expect(uses.map((u) => u.predicted)).toEqual(['sent', 'sent']);
  });
});

/** `r` as if it had started `ms` later, its preflight's response too. */
function shifted(r: ExchangeRecord, ms: number, id = r.id): ExchangeRecord {
  const hops = r.exchange.hops.map((h) => (h.preflight?.respondedAt === undefined ? h : { ...h, preflight: { ...h.preflight, respondedAt: h.preflight.respondedAt + ms } }));
  return { ...r, id, startedAt: r.startedAt + ms, exchange: { ...r.exchange, hops } };
}

describe('the preflight response time', () => {
  it('is captured for every recorded preflight, after its request started', () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      const preflights = recordedExchanges(browser).flatMap((r) => r.record.exchange.hops.flatMap((h) => (h.preflight?.response ? [[r.record.startedAt, h.preflight.respondedAt]] : [])));
      expect(preflights.length, browser).toBeGreaterThan(50);
      for (const [started, responded] of preflights) expect(responded, browser).toBeGreaterThanOrEqual(started!);
    }
  });

  it('survives persistence, and a chunk stored before it was kept still restores', () => {
    const record = tabOf('chrome', 'preflight-cache-max-age')[0]!;
    const stored = { record, seq: 1, blocked: false };
    const tuple = JSON.parse(JSON.stringify(encodeExchange(stored))) as ReturnType<typeof encodeExchange>;
    expect(decodeExchange(tuple, record.tabId, 'chrome').record.exchange.hops[0]!.preflight!.respondedAt).toBe(record.exchange.hops[0]!.preflight!.respondedAt);
    const [hop] = tuple[7];
    const preflight = hop![3];
    if (preflight === 0) throw new Error('the recorded PUT has a preflight');
    // The tuple as chunks written before the field existed held it.
    hop![3] = [preflight[0], preflight[1], preflight[2], preflight[3]];
    const restored = decodeExchange(tuple, record.tabId, 'chrome').record;
    expect(restored.exchange.hops[0]!.preflight).not.toHaveProperty('respondedAt');
    expect(preflightUses([restored]).map((u) => [u.observed, u.storedAt])).toEqual([['sent', record.startedAt]]);
  });

  it('lets requests started before the first preflight was answered send their own OPTIONS', () => {
    // Recorded: one PUT sent the OPTIONS (Max-Age 600), two more were answered by the cache. Started while the
    // first preflight was still unanswered, they would have found no entry.
    const [a, b, c] = tabOf('chrome', 'preflight-cache-max-age-600-three');
    const answered = a!.exchange.hops[0]!.preflight!.respondedAt!;
    const early = [a!, { ...b!, startedAt: answered - 1 }, { ...c!, startedAt: answered + 1 }];
    expect(preflightUses(early).map((u) => u.predicted)).toEqual(['sent', 'sent', 'cached']);
    // A capture without the response time falls back to the start: the first request's entry serves at once.
    const untimed = early.map((r) => ({ ...r, exchange: { ...r.exchange, hops: r.exchange.hops.map((h) => (h.preflight ? { ...h, preflight: { ...h.preflight, respondedAt: undefined } } : h)) } }));
    expect(preflightUses(untimed).map((u) => u.predicted)).toEqual(['sent', 'cached', 'cached']);
  });
});

describe('the credentials mode', () => {
  it('says unknown where the replay depends on a mode webRequest did not show', () => {
    // Recorded in Chromium: the second request's mode is unknown (both modes end alike); the first was without
    // credentials, and Chromium's uncredentialed entry answers only requests without them.
    const uses = preflightUses(tabOf('chrome', 'preflight-cache-cleared-on-failure'));
    expect(uses.map((u) => [u.credentials, u.observed, u.predicted])).toEqual([
      ['omit', 'sent', 'sent'],
      ['unknown', 'cached', 'unknown'],
    ]);
  });

  it('replays one request over the records that share its URL', () => {
    const tab = [...tabOf('chrome', 'preflight-cache-max-age-600-three'), ...tabOf('chrome', 'preflight-cache-max-age-0')];
    const all = preflightUses(tab);
    for (const r of tab) expect(preflightUsesOf(tab, r)).toEqual(all.filter((u) => u.id === r.id));
  });
});

describe('preflightEndpoints', () => {
  it('counts sent and cached preflights per endpoint with the effective Max-Age', () => {
    const [e] = preflightEndpoints(tabOf('chrome', 'preflight-cache-max-age-600-three'));
    expect(e!.key.method).toBe('PUT');
    expect(e!.key.headerNames).toEqual(['x-foo']);
    expect([e!.sent, e!.fromCache]).toEqual([1, 2]);
    expect(e!.maxAge?.seconds).toBe(600);
    expect(e!.credentials).toEqual({ include: 0, omit: 3, unknown: 0 });
    expect(e!.savings?.avoidable).toEqual({ chrome: 0, firefox: 0 });
  });

  it('counts the preflights a Max-Age would have saved, the smallest Max-Age that saves them all and one for 90%', () => {
    // Max-Age 0: the browser sent both OPTIONS; here they are moved 4.5 s and 9 s apart.
    const [a] = tabOf('chrome', 'preflight-cache-max-age-0');
    const tab = [a!, shifted(a!, 4_500, 'second'), shifted(a!, 9_000, 'third')];
    const [e] = preflightEndpoints(tab);
    expect([e!.sent, e!.fromCache]).toEqual([3, 0]);
    expect(e!.maxAge?.seconds).toBe(0);
    expect(e!.savings).toMatchObject({ avoidable: { chrome: 2, firefox: 2 }, possible: 2 });
    // The first preflight entered the cache when its response came, a few ms after 0: 9 s covers the third.
    expect(e!.savings?.maxAgeForAll).toBe(9);
    expect(e!.savings?.maxAgeForMost).toBe(9);
  });

  it('finds a Max-Age far below the one that saves all when 90% is enough', () => {
    // Eleven preflights 1 s apart, then one 3 hours later: 10 s saves 10 of the 11 repeats, only 10800 s all (more
    // than Chromium's cap).
    const [a] = tabOf('chrome', 'preflight-cache-max-age-0');
    const tab = [...Array.from({ length: 11 }, (_, i) => shifted(a!, i * 1000, `r${i}`)), shifted(a!, 10_800_000, 'late')];
    const [e] = preflightEndpoints(tab);
    expect(e!.savings).toMatchObject({ possible: 11, maxAgeForAll: 10_800, maxAgeForMost: 10, savedByMost: 10 });
    expect(e!.savings?.avoidable).toEqual({ chrome: 10, firefox: 11 });
  });

  it('does not count failed preflights as avoidable', () => {
    const [e] = preflightEndpoints(tabOf('chrome', 'preflight-cache-failed-preflight'));
    expect(e!.sent).toBe(2);
    expect(e!.savings?.avoidable.chrome).toBe(0);
    expect(e!.maxAge).toBeNull();
  });
});

describe('avoidedUnder', () => {
  const at = (credentials: CredentialsMode, ...times: number[]) => times.map((t) => ({ startedAt: t, storedAt: t, credentials }));

  it('lets a cache hit not extend the entry', () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      expect(avoidedUnder(browser, at('omit', 0, 1500, 2500), 2)).toBe(1);
      expect(avoidedUnder(browser, at('omit', 0, 1500, 2500), 1)).toBe(0);
      expect(avoidedUnder(browser, at('omit', 0, 1000, 1999), 2)).toBe(2);
    }
  });

  it('stores an entry only once its preflight was answered', () => {
    const parallel = [0, 5, 10].map((t) => ({ startedAt: t, storedAt: 300 + t, credentials: 'omit' as const }));
    expect(avoidedUnder('chrome', parallel, Infinity)).toBe(0);
    expect(avoidedUnder('chrome', [...parallel, { startedAt: 400, storedAt: 700, credentials: 'omit' }], Infinity)).toBe(1);
  });

  it('follows each browser on credentials: Chromium lets a credentialed entry answer without credentials, Firefox keeps them apart', () => {
    const includeFirst = [...at('include', 0), ...at('omit', 10)];
    const omitFirst = [...at('omit', 0), ...at('include', 10)];
    expect([avoidedUnder('chrome', includeFirst, 60), avoidedUnder('chrome', omitFirst, 60)]).toEqual([1, 0]);
    expect([avoidedUnder('firefox', includeFirst, 60), avoidedUnder('firefox', omitFirst, 60)]).toEqual([0, 0]);
  });
});

