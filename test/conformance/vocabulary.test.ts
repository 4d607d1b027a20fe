// The reason names the engine reports exist in the browsers it names them after: Chromium's DevTools protocol
// (Network.CorsError) and the installed Firefox's own security.properties.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CORS_ERRORS, FIREFOX_REASONS } from '../../src/core/reasons.ts';
import { loadCorsMessages } from './firefox-reasons.ts';

interface ProtocolType {
  id: string;
  enum?: string[];
}

describe('reason vocabulary', () => {
  it('every CorsError the engine can report is a Network.CorsError of the DevTools protocol', () => {
    const protocol = createRequire(import.meta.url)('devtools-protocol/json/browser_protocol.json') as {
      domains: Array<{ domain: string; types?: ProtocolType[] }>;
    };
    const cdp = protocol.domains.find((d) => d.domain === 'Network')?.types?.find((t) => t.id === 'CorsError')?.enum ?? [];
    expect(CORS_ERRORS.filter((e) => !cdp.includes(e))).toEqual([]);
  });

  it("every Firefox reason the engine can report is a key of Firefox's own security.properties", () => {
    const keys = loadCorsMessages().map((m) => m.key);
    expect(FIREFOX_REASONS.filter((r) => !keys.includes(r))).toEqual([]);
  });
});
