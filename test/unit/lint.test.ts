// Security lint on exchanges the real browsers produced (the conformance fixtures): each finding where the headers
// show it, with its severity, none where they don't, and hostile values never make it throw.
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/core/judge.ts';
import { lint, worstSeverity, type Finding } from '../../src/core/lint.ts';
import { PROBE_ORIGIN, probeRequest, readProbe } from '../../src/core/probe.ts';
import type { BrowserName, HeaderList, ObservedExchange } from '../../src/core/types.ts';
import { loadRecording } from '../conformance/corpus.ts';
import { recordedExchanges, recordOf } from '../panel/recorded.ts';

const BROWSERS: readonly BrowserName[] = ['chrome', 'firefox'];
const ORIGINS = { chrome: loadRecording('chrome')!.origins, firefox: loadRecording('firefox')!.origins };

function findings(ex: ObservedExchange): Finding[] {
  return lint(judge(ex));
}

function ids(ex: ObservedExchange): string[] {
  return findings(ex).map((f) => `${f.id}/${f.severity}`).sort();
}

/** A recorded exchange as a fresh copy (tests edit it). */
function recorded(scenario: string, browser: BrowserName): ObservedExchange {
  return structuredClone(recordOf(scenario, browser).exchange);
}

/** The same recorded exchange with its page and API on other hosts (every URL, Origin and ACAO moves with them). */
function moved(scenario: string, browser: BrowserName, to: { page?: string; api?: string }): ObservedExchange {
  const origins = ORIGINS[browser];
  let text = JSON.stringify(recordOf(scenario, browser).exchange);
  if (to.page) text = text.split(origins.page).join(to.page);
  if (to.api) text = text.split(origins.api).join(to.api);
  return JSON.parse(text) as ObservedExchange;
}

/** Replaces (or adds) one response header on every response of the exchange; null removes it. */
function withResponseHeader(ex: ObservedExchange, name: string, value: string | null, where: 'preflight' | 'response' = 'response'): ObservedExchange {
  const edit = (headers: HeaderList): HeaderList => [
    ...headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()),
    ...(value === null ? [] : ([[name, value]] as const)),
  ];
  for (const hop of ex.hops) {
    const target = where === 'preflight' ? hop.preflight?.response : hop.response;
    if (target) target.headers = edit(target.headers);
  }
  return ex;
}

describe.each(BROWSERS)('security lint on recorded %s exchanges', (browser) => {
  it.each([
    // [scenario, the findings it must raise, exactly]
    ['simple-acao-star-credentials', ['wildcard-private-network/warning', 'wildcard-with-credentials/warning']],
    ['simple-acao-star', ['wildcard-private-network/warning']],
    ['cred-acac-true', ['origin-reflected-with-credentials/info']],
    ['simple-acao-request-origin-echo-credentials', ['origin-reflected-with-credentials/info']],
    ['simple-acao-null', ['null-origin-trusted/warning']],
    ['simple-acao-null-credentials', ['null-origin-trusted/error']],
    ['preflight-acah-star-and-name-credentials', ['origin-reflected-with-credentials/info', 'wildcard-allow-with-credentials/info']],
    ['preflight-acam-star-and-put-credentials', ['origin-reflected-with-credentials/info', 'wildcard-allow-with-credentials/info']],
    ['preflight-acah-star-authorization', ['authorization-under-wildcard/warning']],
    ['preflight-max-age-86400', ['long-max-age/info']],
    // Nothing permissive: a specific origin without credentials, on a no-store response.
    ['simple-acao-exact', []],
    ['preflight-cache-max-age', []],
    ['simple-no-acao', []],
  ] as const)('%s raises %j', (scenario, expected) => {
    expect(ids(recorded(scenario, browser))).toEqual([...expected].sort());
  });

  it('the server echoing a redirect-tainted Origin "null" is trusting null', () => {
    expect(ids(recorded('redirect-to-third-acao-request-origin', browser))).toContain('null-origin-trusted/warning');
  });

  it('says nothing outside CORS mode, even on a permissive response', () => {
    const ex = withResponseHeader(recorded('no-cors-get', browser), 'Access-Control-Allow-Origin', '*');
    expect(judge(ex).mode).toBe('no-cors');
    expect(findings(ex)).toEqual([]);
  });

  it('"Vary: Origin" is missing only where a cache may keep the answer (no-store) and the ACAO names the requester', () => {
    // The recorded server sends Cache-Control: no-store, which no cache keeps: no finding (table above).
    const cacheable = withResponseHeader(recorded('simple-acao-exact', browser), 'Cache-Control', null);
    expect(ids(cacheable)).toEqual(['missing-vary-origin/warning']);
    expect(ids(withResponseHeader(structuredClone(cacheable), 'Vary', 'Accept-Encoding, origin'))).toEqual([]);
    expect(ids(withResponseHeader(structuredClone(cacheable), 'Vary', '*'))).toEqual([]);
    // A fixed ACAO naming another origin is static configuration, not a per-Origin answer: no Vary needed.
    const other = withResponseHeader(withResponseHeader(recorded('simple-acao-exact', browser), 'Cache-Control', null), 'Access-Control-Allow-Origin', 'https://app.example');
    expect(ids(other)).toEqual([]);
  });

  it('an HTTPS API trusting an HTTP origin, but not a loopback one (a secure context)', () => {
    const http = moved('cred-acac-true', browser, { page: 'http://app.example', api: 'https://api.example' });
    expect(ids(http)).toEqual(['https-trusts-http/error', 'origin-reflected-with-credentials/info']);
    const plain = moved('simple-acao-exact', browser, { page: 'http://app.example', api: 'https://api.example' });
    expect(ids(plain)).toEqual(['https-trusts-http/warning']);
    const loopbackPage = moved('simple-acao-exact', browser, { api: 'https://api.example' });
    expect(ids(loopbackPage)).toEqual([]);
  });

  it('"*" from a private host: certain from the URL or an internal name, a hint from a public name\'s address', () => {
    const at = (ex: ObservedExchange, ip: string | undefined): ObservedExchange => {
      for (const hop of ex.hops) hop.ip = ip;
      return ex;
    };
    const publicApi = moved('simple-acao-star', browser, { api: 'https://api.example' });
    expect(ids(at(structuredClone(publicApi), undefined))).toEqual([]);
    expect(ids(at(structuredClone(publicApi), '203.0.113.7'))).toEqual([]);
    // A public name reached at a private address may be a proxy: info, worded as such.
    const proxied = findings(at(structuredClone(publicApi), '10.1.2.3'));
    expect(proxied.map((f) => `${f.id}/${f.severity}`)).toEqual(['wildcard-private-network/info']);
    expect(proxied[0]!.why).toContain('unless that is a proxy');
    expect(ids(at(moved('simple-acao-star', browser, { api: 'http://wiki.corp' }), '192.168.1.20'))).toEqual(['wildcard-private-network/warning']);
    expect(ids(at(moved('simple-acao-star', browser, { api: 'http://printer' }), 'fd12:3456::1'))).toEqual(['wildcard-private-network/warning']);
    expect(ids(moved('simple-acao-star', browser, { api: 'http://192.168.0.10:8080' }))).toEqual(['wildcard-private-network/warning']);
  });

  it('Max-Age: above Chrome\'s 2 h cap only, delta-seconds only', () => {
    const at = (value: string): string[] => ids(withResponseHeader(recorded('preflight-cache-max-age', browser), 'Access-Control-Max-Age', value, 'preflight'));
    expect(at('7200')).toEqual([]);
    expect(at('7201')).toEqual(['long-max-age/info']);
    for (const junk of ['1e9', '-99999', '99999.5', '0x7fffffff', '']) expect(at(junk)).toEqual([]);
    // Read as each browser reads it (preflight-cache.ts): too long for Chrome's integer (5 s there), Firefox still
    // keeps 24 h; a "+" sign Firefox refuses, Chrome caps at 2 h.
    const kept = (value: string): string => findings(withResponseHeader(recorded('preflight-cache-max-age', browser), 'Access-Control-Max-Age', value, 'preflight'))[0]?.why ?? '';
    expect(kept('9'.repeat(400))).toContain('Chrome keeps it 5 s, Firefox 24 h');
    expect(kept('+100000')).toContain('Chrome keeps it 2 h, Firefox not at all');
    expect(kept('10000')).toContain('Chrome keeps it 2 h, Firefox 10,000 s');
    const finding = findings(withResponseHeader(recorded('preflight-cache-max-age', browser), 'Access-Control-Max-Age', '31536000', 'preflight'))[0]!;
    expect(finding.title).toBe('Access-Control-Max-Age 31,536,000 s');
    expect(finding.why).toContain('Chrome keeps it 2 h, Firefox 24 h');
  });

  it('Allow-Headers that repeats the browser\'s own request list verbatim, with credentials', () => {
    const ex = recorded('preflight-acah-star-and-name-credentials', browser);
    const hop = ex.hops[0]!;
    const acrh = 'x-bar,x-foo';
    hop.preflight!.requestHeaders = [...(hop.preflight!.requestHeaders ?? []).filter(([n]) => n.toLowerCase() !== 'access-control-request-headers'), ['Access-Control-Request-Headers', acrh]];
    withResponseHeader(ex, 'Access-Control-Allow-Headers', acrh, 'preflight');
    expect(ids(ex)).toEqual(['origin-reflected-with-credentials/info', 'request-headers-echoed-with-credentials/info']);
    // Without credentials, or a hand-written list: nothing to say.
    expect(ids(withResponseHeader(structuredClone(ex), 'Access-Control-Allow-Headers', 'X-Bar, X-Foo', 'preflight'))).toEqual(['origin-reflected-with-credentials/info']);
  });

  it('every recorded exchange: no throw, each id once, a title and a one-line why', () => {
    let withFindings = 0;
    for (const { record } of recordedExchanges(browser)) {
      const list = findings(record.exchange);
      if (list.length > 0) withFindings++;
      expect(new Set(list.map((f) => f.id)).size).toBe(list.length);
      for (const f of list) {
        expect(f.title.length).toBeGreaterThan(0);
        expect(f.why).toMatch(/^[^\n]{20,300}$/);
      }
      expect(worstSeverity(list) === null).toBe(list.length === 0);
    }
    expect(withFindings).toBeGreaterThan(50);
  });
});

describe('hostile values', () => {
  const HOSTILE = ['<img src=x onerror=alert(1)>', 'x'.repeat(65536), '\u0000\u001b[31m\r\n', 'http:', 'http://[', 'null, null', '*', ' ', 'true', '\ud800'];

  it('never throw, and keep the why one short line whatever the server sent', () => {
    for (const value of HOSTILE) {
      for (const name of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Vary', 'Cache-Control', 'Access-Control-Max-Age', 'Access-Control-Allow-Headers', 'Access-Control-Allow-Methods']) {
        for (const where of ['preflight', 'response'] as const) {
          const ex = withResponseHeader(moved('preflight-ok-json-credentials', 'chrome', { api: 'https://api.example' }), name, value, where);
          ex.hops[0]!.ip = value;
          for (const f of findings(ex)) expect(f.why.length).toBeLessThan(400);
        }
      }
    }
  });

  it('an HTTP origin of 64 KB is clipped in the why', () => {
    const origin = `http://${'a'.repeat(60000)}.example`;
    const ex = withResponseHeader(moved('simple-acao-exact', 'chrome', { api: 'https://api.example' }), 'Access-Control-Allow-Origin', origin);
    const f = findings(ex).find((x) => x.id === 'https-trusts-http')!;
    expect(f.why.length).toBeLessThan(300);
    expect(f.why).toContain('…');
  });
});

describe('active check request (src/core/probe.ts)', () => {
  it('repeats only a safe method: HEAD stays HEAD, everything else becomes GET', () => {
    expect(probeRequest(recorded('simple-head-acao-exact', 'chrome'))?.method).toBe('HEAD');
    for (const scenario of ['simple-post-acao-exact', 'trigger-delete-preflight-ok', 'trigger-put-preflight-ok', 'cred-acac-true']) {
      const ex = recorded(scenario, 'chrome');
      expect(probeRequest(ex)).toEqual({ url: ex.hops[0]!.url, method: 'GET' });
    }
  });

  it('reads an echo of the foreign origin as reflection, anything else as a refusal', () => {
    expect(readProbe({ kind: 'response', status: 200, acao: PROBE_ORIGIN, acac: 'true' }).verdict).toBe('reflects-with-credentials');
    expect(readProbe({ kind: 'response', status: 200, acao: PROBE_ORIGIN, acac: null }).verdict).toBe('reflects');
    expect(readProbe({ kind: 'response', status: 200, acao: 'http://localhost:5173', acac: 'true' }).verdict).toBe('refuses');
    expect(readProbe({ kind: 'response', status: 403, acao: 'x'.repeat(65536), acac: 'true' }).sentence.length).toBeLessThan(200);
  });

  it('does not call an error answer without CORS headers a refusal: it shows nothing about origins', () => {
    // A GET repeated for a POST endpoint often gets 404 or 405 from a route that never reaches the CORS code.
    for (const status of [404, 405, 500]) {
      const reading = readProbe({ kind: 'response', status, acao: null, acac: null });
      expect(reading.verdict, String(status)).toBe('inconclusive');
      expect(reading.sentence).toContain('does not show');
    }
    expect(readProbe({ kind: 'response', status: 200, acao: null, acac: null }).verdict).toBe('refuses');
    expect(readProbe({ kind: 'response', status: 403, acao: 'http://localhost:5173', acac: null }).verdict).toBe('refuses');
  });
});
