// supportsExtraHeaders: picks Chromium's `extraHeaders` only where the browser offers it (Firefox rejects the value).
import { afterEach, describe, expect, it, vi } from 'vitest';

// The real polyfill refuses to load outside an extension; this stands in for its `browser` object.
const fakeBrowser: { webRequest: Record<string, unknown> } = { webRequest: {} };
vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const { supportsExtraHeaders } = await import('../../src/platform/browser.ts');

const chromiumEnum = { REQUEST_HEADERS: 'requestHeaders', BLOCKING: 'blocking', EXTRA_HEADERS: 'extraHeaders' };

afterEach(() => {
  fakeBrowser.webRequest = {};
  vi.unstubAllGlobals();
});

describe('supportsExtraHeaders', () => {
  it('is true when webRequest exposes EXTRA_HEADERS (Chromium)', () => {
    fakeBrowser.webRequest = { OnBeforeSendHeadersOptions: chromiumEnum };
    expect(supportsExtraHeaders()).toBe(true);
  });

  it('is true when only chrome.webRequest exposes it (the polyfill hid the enum)', () => {
    vi.stubGlobal('chrome', { webRequest: { OnBeforeSendHeadersOptions: chromiumEnum } });
    expect(supportsExtraHeaders()).toBe(true);
  });

  it('is false when the enum lacks EXTRA_HEADERS or is missing (Firefox)', () => {
    // Firefox ESR 153's enum, as test/extension/load.test.ts reads it from a real extension page.
    const firefoxEnum = { REQUESTHEADERS: 'requestHeaders', BLOCKING: 'blocking' };
    fakeBrowser.webRequest = { OnBeforeSendHeadersOptions: firefoxEnum };
    vi.stubGlobal('chrome', { webRequest: { OnBeforeSendHeadersOptions: firefoxEnum } });
    expect(supportsExtraHeaders()).toBe(false);
    fakeBrowser.webRequest = {};
    expect(supportsExtraHeaders()).toBe(false);
  });
});
