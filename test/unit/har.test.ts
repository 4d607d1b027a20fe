// HAR import on the committed recordings (Chromium's HARs from Playwright recordHar and from DevTools, npm run
// record:har): the diagnosis agrees with Chromium's own verdicts or says what the HAR cannot tell; malformed files
// are clear errors.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose.ts';
import { importHar, parseHar, type HarExchange } from '../../src/core/har.ts';
import { compareHar, summarizeHar } from '../conformance/har-agreement.ts';
import type { HarRecording } from '../conformance/har-recorder.ts';
import { HAR_FIXTURE, HAR_ORACLE_FIXTURE, HAR_SOURCES, harFixture } from '../conformance/record-har.ts';

const harText = readFileSync(HAR_FIXTURE, 'utf8');
const oracle = JSON.parse(readFileSync(HAR_ORACLE_FIXTURE, 'utf8')) as HarRecording;
interface RawEntry {
  startedDateTime: string;
  time: number;
  request: { method: string; url: string; headers: Array<{ name: string; value: string }> };
  response: { status: number; headers: unknown[]; _failureText?: string };
}
const raw = JSON.parse(harText) as { log: { creator: { name: string }; entries: RawEntry[] } };

function imported(text = harText): HarExchange[] {
  const h = parseHar(text);
  if (!h.ok) throw new Error(h.error);
  return h.exchanges;
}

function exchangeOf(scenario: string): HarExchange {
  const found = imported().find((e) => e.exchange.hops[0]?.url.includes(`/s/${scenario}/`));
  if (!found) throw new Error(`${scenario} not in the HAR`);
  return found;
}

describe.each(HAR_SOURCES)('HAR import: the %s HAR', (source) => {
  const files = harFixture(source);
  const rec = JSON.parse(readFileSync(files.oracle, 'utf8')) as HarRecording;
  const text = readFileSync(files.har, 'utf8');

  it('diagnoses every fetch as the browser decided it, or says what the HAR cannot tell', () => {
    const rows = compareHar(imported(text), rec);
    console.log(`${source} HAR fixture (${rec.browserVersion}): ${summarizeHar(rows)}`);
    expect(rows.filter((r) => r.agreement === 'disagree').map((r) => `${r.id}#${r.fetch}: ${r.detail}`)).toEqual([]);
    expect(rows.filter((r) => r.agreement === 'agree').length).toBeGreaterThan(150);
    // Every allowed fetch is told as allowed: a HAR keeps everything the browser let through.
    const allowed = rows.filter((r) => r.browser.verdict === 'allowed');
    expect(allowed.length).toBeGreaterThan(150);
    expect(allowed.filter((r) => r.agreement !== 'agree')).toEqual([]);
  });
});

describe('HAR import: what each HAR keeps', () => {
  it("Chrome DevTools' HAR: every preflight as an OPTIONS entry, paired; blocked fetches explained as Chromium did", () => {
    const files = harFixture('devtools');
    const text = readFileSync(files.har, 'utf8');
    const entries = (JSON.parse(text) as typeof raw).log.entries;
    const options = entries.filter((e) => e.request.method === 'OPTIONS');
    expect(options.length).toBeGreaterThan(200);
    const exchanges = imported(text);
    expect(exchanges.reduce((n, e) => n + e.exchange.hops.filter((h) => h.preflight).length, 0)).toBe(options.length);
    // Each answered preflight enters the preflight cache when its response arrived: the entry's start plus its time.
    const answered = exchanges.flatMap((e) => e.exchange.hops.flatMap((h) => (h.preflight?.response ? [h.preflight] : [])));
    expect(answered.length).toBeGreaterThan(200);
    for (const pre of answered) {
      const entry = entries.find((x) => x.request.method === 'OPTIONS' && x.request.url === pre.url && Date.parse(x.startedDateTime) + x.time === pre.respondedAt);
      expect(entry, pre.url).toBeDefined();
    }
    // What the DevTools HAR cannot tell is only the fetches that never reached the network.
    const rows = compareHar(exchanges, JSON.parse(readFileSync(files.oracle, 'utf8')) as HarRecording);
    expect(rows.filter((r) => r.agreement === 'cannot-tell' && r.exchange !== null)).toEqual([]);
  });

  it("Firefox's toolbox HAR: read as Firefox; no error text anywhere, a blocked simple request keeps its real response", () => {
    const files = harFixture('firefox');
    const text = readFileSync(files.har, 'utf8');
    const entries = (JSON.parse(text) as typeof raw).log.entries as Array<RawEntry & { response: { _error?: string } }>;
    expect(entries.filter((e) => e.response._error !== undefined || e.response._failureText !== undefined)).toEqual([]);
    const rec = JSON.parse(readFileSync(files.oracle, 'utf8')) as HarRecording;
    const blocked = rec.oracles.find((o) => o.id === 'simple-no-acao')!;
    expect(blocked.oracle.fetch).toBe('rejected');
    const entry = entries.find((e) => e.request.url.includes(blocked.marker))!;
    expect(entry.response.status).toBe(200);
    const h = parseHar(text);
    expect(h.ok && h.source.browser).toBe('firefox');
    const ex = h.ok ? h.exchanges.find((e) => e.exchange.hops[0]!.url.includes(blocked.marker)) : undefined;
    expect(diagnose(ex!.exchange)).toMatchObject({ verdict: 'blocked', firefoxReason: blocked.oracle.firefox!.reasons[0]!.key });
    const options = entries.filter((e) => e.request.method === 'OPTIONS').length;
    expect(options).toBeGreaterThan(200);
    expect(h.ok && h.exchanges.reduce((n, e) => n + e.exchange.hops.filter((hop) => hop.preflight).length, 0)).toBe(options);
  });

  it('names the HAR and its browser', () => {
    const h = parseHar(harText);
    expect(h.ok && h.source).toEqual({ creator: expect.stringMatching(/^Playwright [\d.]+ \(chromium [\d.]+\)$/), browser: 'chrome', entries: raw.log.entries.length });
  });

  it('measures what a Playwright HAR leaves out: no preflights, nothing of a blocked response', () => {
    expect(raw.log.entries.filter((e) => e.request.method === 'OPTIONS')).toEqual([]);
    const blocked = raw.log.entries.filter((e) => e.response._failureText === 'net::ERR_FAILED');
    expect(blocked.length).toBeGreaterThan(100);
    expect(blocked.filter((e) => e.response.status > 0 || e.response.headers.length > 0)).toEqual([]);
    // Only the page's own headers survive: no Origin on any blocked request.
    expect(blocked.filter((e) => e.request.headers.some((h) => h.name.toLowerCase() === 'origin'))).toEqual([]);
    const h = parseHar(harText);
    expect(h.ok && h.gaps).toEqual(['preflight', 'blocked-response', 'sent-headers', 'ending', 'credentials']);
  });

  it('a blocked request: blocked, with its reason unknown and the gaps named', () => {
    const e = exchangeOf('simple-no-acao');
    const d = diagnose(e.exchange);
    expect(d.verdict).toBe('blocked');
    expect(d.corsError).toBeNull();
    expect(e.gaps).toEqual(expect.arrayContaining(['blocked-response', 'sent-headers', 'credentials']));
    expect(e.exchange.origin).toBe(oracle.origins.page);
  });

  it('an allowed preflighted request: the headers as sent, and the missing preflight named', () => {
    const e = exchangeOf('preflight-ok-json-credentials');
    const d = diagnose(e.exchange);
    expect(d.verdict).toBe('allowed');
    expect(e.exchange.hops[0]!.requestHeaders).toEqual(expect.arrayContaining([['Origin', oracle.origins.page]]));
    expect(e.gaps).toContain('preflight');
    // Playwright writes no preflights at all, so a missing one is no sign of the preflight cache.
    expect(d.preflights.map((p) => [p.seen, p.fromCacheInferred])).toEqual([[false, false]]);
    expect(d.notes.join(' ')).toMatch(/records no preflights: whether one was sent or served from the preflight cache is unknown/);
    expect(d.notes.join(' ')).not.toMatch(/presumably served from the preflight cache/);
  });

  it('chains redirects (separate entries joined by redirectURL) into one exchange', () => {
    const e = exchangeOf('redirect-to-page-origin-taint');
    expect(e.exchange.hops.map((h) => h.response?.status ?? null)).toEqual([302, null]);
    expect(e.exchange.hops[0]!.redirectTo).toBe(e.exchange.hops[1]!.url);
    expect(diagnose(e.exchange).verdict).toBe('blocked');
  });

  it('a HAR whose creator is Firefox is diagnosed as Firefox', () => {
    const firefox = JSON.parse(harText) as { log: { creator: { name: string }; browser?: unknown } };
    firefox.log.creator.name = 'Firefox';
    delete firefox.log.browser;
    const h = importHar(firefox);
    expect(h.ok && h.source.browser).toBe('firefox');
    expect(h.ok && h.exchanges.every((e) => e.exchange.browser === 'firefox')).toBe(true);
  });
});

describe('malformed HAR files', () => {
  it.each([
    ['', /not JSON/],
    ['[]', /no "log" object/],
    ['{"log":{}}', /"log.entries" is not a list/],
    ['{"log":{"entries":[{"request":{}}]}}', /entry 0 has no request method or URL/],
    ['{"log":{"entries":[42]}}', /entry 0 is not an object/],
  ])('%j is a clear error', (text, message) => {
    const h = parseHar(text);
    expect(h.ok).toBe(false);
    expect(!h.ok && h.error).toMatch(message);
  });

  it('never throws on arbitrary JSON or on a damaged real HAR', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const h = importHar(v);
        return h.ok ? Array.isArray(h.exchanges) : h.error.length > 0;
      }),
      { numRuns: 300 },
    );
    const entries = raw.log.entries.slice(0, 40);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: entries.length - 1 }), fc.constantFrom('request', 'response', 'headers', 'status', 'url', 'startedDateTime', 'redirectURL'), fc.jsonValue(), (i, field, value) => {
        const copy = JSON.parse(JSON.stringify({ log: { entries } })) as { log: { entries: Array<Record<string, Record<string, unknown>>> } };
        const entry = copy.log.entries[i]!;
        if (field === 'request' || field === 'response') entry[field] = value as Record<string, unknown>;
        else if (field === 'url') entry.request!.url = value;
        else if (field === 'startedDateTime') (entry as Record<string, unknown>).startedDateTime = value;
        else entry.response![field] = value;
        const h = importHar(copy);
        if (h.ok) for (const e of h.exchanges) diagnose(e.exchange);
        return true;
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
