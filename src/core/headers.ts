// Header-list lookups with Fetch semantics: case-insensitive names, repeated lines combined with ", ".
import type { HeaderList } from './types.ts';

/** `lower` is already lowercase; the length test skips the allocation of toLowerCase for almost every header. */
function isName(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

/** Every line's value for a (lowercase) name, in order. */
export function headerValues(headers: HeaderList | null, name: string): string[] {
  const out: string[] = [];
  if (headers) for (const [n, v] of headers) if (isName(n, name)) out.push(v);
  return out;
}

/** The Fetch "get" of a header (`name` lowercase): null when absent, else every line's value joined with ", ". */
export function headerValue(headers: HeaderList | null, name: string): string | null {
  if (!headers) return null;
  let found: string | null = null;
  for (const [n, v] of headers) {
    if (isName(n, name)) found = found === null ? v : `${found}, ${v}`;
  }
  return found;
}

export function hasHeader(headers: HeaderList | null, name: string): boolean {
  if (headers) for (const [n] of headers) if (isName(n, name)) return true;
  return false;
}
