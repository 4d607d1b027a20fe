// The preflight cache model: Access-Control-Max-Age as each browser parses it, the cache replayed over the recorded
// browser runs (the fixtures' preflight-cache-* scenarios say when the real browser sent an OPTIONS), and the
// per-endpoint counts of preflights a Max-Age would have saved.
import { describe, expect, it } from 'vitest';
import { avoidedWith, effectiveMaxAge, MAX_AGE_LIMITS, preflightEndpoints, preflightUses } from '../../src/core/preflight-cache.ts';
import type { BrowserName } from '../../src/core/types.ts';
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

describe('preflightUses against the recorded browsers', () => {
  it('predicts every OPTIONS Chromium sent or skipped in the preflight-cache scenarios', () => {
    const checked = scenarios('chrome');
    expect(checked.length).toBeGreaterThanOrEqual(12);
    for (const s of checked) {
      const uses = preflightUses(tabOf('chrome', s));
      expect(uses.map((u) => [s, u.predicted]), s).toEqual(uses.map((u) => [s, u.observed]));
    }
  });

  it('never contradicts a Firefox cache hit, and predicts its misses for `*` lists', () => {
    for (const s of scenarios('firefox')) {
      for (const u of preflightUses(tabOf('firefox', s))) if (u.observed === 'cached') expect(u.predicted, s).toBe('cached');
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

describe('preflightEndpoints', () => {
  it('counts sent and cached preflights per endpoint with the effective Max-Age', () => {
    const [e] = preflightEndpoints(tabOf('chrome', 'preflight-cache-max-age-600-three'));
    expect(e!.key.method).toBe('PUT');
    expect(e!.key.headerNames).toEqual(['x-foo']);
    expect([e!.sent, e!.fromCache]).toEqual([1, 2]);
    expect(e!.maxAge?.seconds).toBe(600);
    expect(e!.avoidable).toEqual({ chrome: 0, firefox: 0 });
  });

  it('counts the preflights a Max-Age would have saved, and the smallest Max-Age that saves them all', () => {
    // Max-Age 0: the browser sent both OPTIONS; here they are moved 4.5 s and 9 s apart.
    const [a, b] = tabOf('chrome', 'preflight-cache-max-age-0');
    const c = { ...b!, id: 'third', startedAt: a!.startedAt + 9_000 };
    const tab = [a!, { ...b!, startedAt: a!.startedAt + 4_500 }, c];
    const [e] = preflightEndpoints(tab);
    expect([e!.sent, e!.fromCache]).toEqual([3, 0]);
    expect(e!.maxAge?.seconds).toBe(0);
    expect(e!.avoidable).toEqual({ chrome: 2, firefox: 2 });
    expect(e!.maxAgeForAll).toBe(10);
  });

  it('does not count failed preflights as avoidable', () => {
    const [e] = preflightEndpoints(tabOf('chrome', 'preflight-cache-failed-preflight'));
    expect(e!.sent).toBe(2);
    expect(e!.avoidable.chrome).toBe(0);
    expect(e!.maxAge).toBeNull();
  });
});

describe('avoidedWith', () => {
  it('lets a cache hit not extend the entry', () => {
    expect(avoidedWith([0, 1500, 2500], 2)).toBe(1);
    expect(avoidedWith([0, 1500, 2500], 1)).toBe(0);
    expect(avoidedWith([0, 1000, 1999], 2)).toBe(2);
  });
});

