// Header-list lookups with Fetch semantics: case-insensitive names, repeated lines combined with ", ".
import type { HeaderList } from './types.ts';

export function headerValues(headers: HeaderList | null, name: string): string[] {
  if (!headers) return [];
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === lower) out.push(v);
  return out;
}

/** The Fetch "get" of a header: null when absent, else every line's value joined with ", ". */
export function headerValue(headers: HeaderList | null, name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 0 ? null : values.join(', ');
}

export function hasHeader(headers: HeaderList | null, name: string): boolean {
  return headerValues(headers, name).length > 0;
}
