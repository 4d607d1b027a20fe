// Origin serialization and comparison as the Fetch standard defines them (scheme://host[:port], no trailing slash).

/** Serialized origin of a URL, or null for an unparsable URL. Opaque origins serialize as "null". */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin;
  } catch {
    return null;
  }
}

export function sameOrigin(a: string, b: string): boolean {
  const oa = originOf(a);
  return oa !== null && oa !== 'null' && oa === originOf(b);
}

/** True when the URL carries a username or password (Fetch: "includes credentials"). */
export function urlHasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}

export function isHttpScheme(url: string): boolean {
  return /^https?:/i.test(url);
}

/** Path of a URL for messages; the raw string when it does not parse. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
