// Hostile and random input never makes the engine or the correlator throw, and always yields a readable verdict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/capture/correlate.ts';
import type { WebRequestEvent, WebRequestEventName } from '../../src/capture/webrequest.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import type { HeaderList, ObservedExchange, ObservedHop } from '../../src/core/types.ts';

const CORS_NAMES = [
  'Access-Control-Allow-Origin',
  'access-control-allow-credentials',
  'Access-Control-Allow-Methods',
  'ACCESS-CONTROL-ALLOW-HEADERS',
  'Access-Control-Max-Age',
  'Vary',
  'Location',
  'Origin',
  'Sec-Fetch-Mode',
  'Cookie',
  'Content-Type',
  'Accept',
  'Range',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
];

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '*', 'null', 'true', 'True', '*, *', 'http://localhost:5173', 'http://localhost:5173/', ',,,', ' , PUT ,', '\t\r\n', '\u0000\u007f', '<script>alert(1)</script>', 'https://é.example', 'x'.repeat(65536)),
);

const headerList: fc.Arbitrary<HeaderList> = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...CORS_NAMES), fc.string()), hostileString),
  { maxLength: 12 },
);

const url = fc.oneof(
  fc.constantFrom('http://127.0.0.1:8080/api', 'http://localhost:5173/x', 'https://api.example/a', 'http://user:pass@127.0.0.1:8080/r', 'not a url', ''),
  fc.webUrl(),
);

const hop: fc.Arbitrary<ObservedHop> = fc.record({
  url,
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'patch', 'DELETE', 'OPTIONS', ''), fc.string()),
  requestHeaders: fc.option(headerList, { nil: null }),
  preflight: fc.option(
    fc.record({
      url,
      requestHeaders: fc.option(headerList, { nil: null }),
      response: fc.option(fc.record({ status: fc.integer({ min: -1, max: 999 }), headers: headerList }), { nil: null }),
      error: fc.option(fc.constantFrom('net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI', 'net::ERR_CONNECTION_REFUSED', ''), { nil: null }),
    }),
    { nil: null },
  ),
  response: fc.option(fc.record({ status: fc.integer({ min: -1, max: 999 }), headers: headerList }), { nil: null }),
  redirectTo: fc.option(url, { nil: null }),
});

const exchange: fc.Arbitrary<ObservedExchange> = fc.record({
  browser: fc.constantFrom('chrome' as const, 'firefox' as const),
  origin: fc.option(fc.oneof(fc.constantFrom('http://localhost:5173', 'null', ''), fc.string()), { nil: null }),
  type: fc.constantFrom('xmlhttprequest', 'main_frame', 'image', 'other'),
  hops: fc.array(hop, { minLength: 1, maxLength: 4 }),
  end: fc.oneof(
    fc.constant({ state: 'completed' as const }),
    fc.constant({ state: 'pending' as const }),
    fc.record({ state: fc.constant('error' as const), error: fc.constantFrom('net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI', 'net::ERR_NAME_NOT_RESOLVED', 'weird') }),
  ),
});

describe('engine robustness', () => {
  it('never throws on random and hostile exchanges, and always explains itself', () => {
    fc.assert(
      fc.property(exchange, (ex) => {
        const d = diagnose(ex);
        expect(['allowed', 'blocked', 'not-cors', 'network-error', 'pending']).toContain(d.verdict);
        expect(d.summary.length).toBeGreaterThan(0);
        if (d.verdict === 'blocked') expect(d.summary).not.toMatch(/^Allowed|^Still in flight/);
        JSON.stringify(d);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('never throws on random webRequest event streams', () => {
    const names: WebRequestEventName[] = ['onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived', 'onBeforeRedirect', 'onResponseStarted', 'onCompleted', 'onErrorOccurred'];
    const event: fc.Arbitrary<WebRequestEvent> = fc.record({
      event: fc.constantFrom(...names),
      details: fc.record({
        requestId: fc.constantFrom('1', '2', '3', '4'),
        url,
        method: fc.constantFrom('GET', 'PUT', 'OPTIONS'),
        tabId: fc.constantFrom(-1, 1, 2),
        frameId: fc.constantFrom(0, 1),
        type: fc.constant('xmlhttprequest'),
        timeStamp: fc.integer({ min: 0, max: 1000 }),
        initiator: fc.option(fc.constantFrom('http://localhost:5173', 'null'), { nil: undefined }),
        requestHeaders: fc.option(
          fc.array(fc.record({ name: fc.constantFrom(...CORS_NAMES), value: fc.option(hostileString, { nil: undefined }), binaryValue: fc.option(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }), { nil: undefined }) }), { maxLength: 6 }),
          { nil: undefined },
        ),
        responseHeaders: fc.option(fc.array(fc.record({ name: fc.constantFrom(...CORS_NAMES), value: hostileString }), { maxLength: 6 }), { nil: undefined }),
        statusCode: fc.option(fc.integer({ min: 0, max: 599 }), { nil: undefined }),
        redirectUrl: fc.option(url, { nil: undefined }),
        error: fc.option(fc.constantFrom('net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI'), { nil: undefined }),
      }),
    });
    fc.assert(
      fc.property(fc.constantFrom('chrome' as const, 'firefox' as const), fc.array(event, { maxLength: 30 }), (browser, events) => {
        for (const c of correlate(browser, events)) {
          expect(diagnose(c.exchange).summary.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1500 },
    );
  }, 60_000);
});
