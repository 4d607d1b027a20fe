// Address spaces for Local Network Access (loopback, local, public) and secure contexts, from URLs alone:
// webRequest's `ip` does not say which space a page is in (an overridden or CSP-public page still shows 127.0.0.1).

import { hostnameOf } from './origin.ts';

export type AddressSpace = 'loopback' | 'local' | 'public' | 'unknown';

/** The space a URL's host certainly belongs to when it is a literal address or `localhost`; names resolve later. */
export function addressSpaceOf(url: string): AddressSpace {
  const host = hostnameOf(url);
  if (host === null) return 'unknown';
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1') return 'loopback';
  if (/^(10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) || /^f[cd][0-9a-f]{2}:/i.test(host) || /^fe80:/i.test(host)) {
    return 'local';
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':')) return 'public';
  return 'unknown';
}

/** Fetch's "potentially trustworthy origin": https/wss, or a loopback host (what makes a page a secure context). */
export function isPotentiallyTrustworthy(origin: string): boolean {
  return /^(https|wss):/i.test(origin) || addressSpaceOf(origin) === 'loopback';
}

/** The space of an IP address as webRequest reports it (`ip`: dotted IPv4 or bare IPv6). */
export function addressSpaceOfIp(ip: string): AddressSpace {
  return addressSpaceOf(ip.includes(':') ? `http://[${ip}]/` : `http://${ip}/`);
}
