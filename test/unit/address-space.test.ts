// Address spaces and secure contexts read from URLs, as Local Network Access and the diagnosis need them.
import { describe, expect, it } from 'vitest';
import { addressSpaceOf, isPotentiallyTrustworthy } from '../../src/core/address-space.ts';

describe('address spaces', () => {
  it.each([
    ['http://127.0.0.1:8080/x', 'loopback'],
    ['http://localhost:5173/', 'loopback'],
    ['http://api.localhost/', 'loopback'],
    ['http://[::1]:3000/', 'loopback'],
    ['http://192.168.1.20/', 'local'],
    ['http://10.0.0.1/', 'local'],
    ['http://172.20.3.4/', 'local'],
    ['http://172.32.0.1/', 'public'],
    ['https://93.184.215.14/', 'public'],
    ['https://api.example.com/', 'unknown'],
    ['not a url', 'unknown'],
  ])('%s is %s', (url, space) => {
    expect(addressSpaceOf(url)).toBe(space);
  });

  it('treats https and loopback pages as secure contexts, plain http elsewhere not', () => {
    expect(isPotentiallyTrustworthy('https://app.example')).toBe(true);
    expect(isPotentiallyTrustworthy('http://localhost:5173')).toBe(true);
    expect(isPotentiallyTrustworthy('http://test.example:8080')).toBe(false);
    expect(isPotentiallyTrustworthy('null')).toBe(false);
  });
});
