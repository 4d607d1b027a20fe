// HTTP token and comma-list parsing used by Access-Control-Allow-Methods / -Headers (RFC 9110 tchar).

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isToken(s: string): boolean {
  return TCHAR.test(s);
}

/** Splits a `#token` list: elements trimmed of spaces and tabs, empty elements dropped (RFC 9110 §5.6.1 lets
 *  recipients ignore them, and both browsers do). */
export function splitList(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    let a = 0;
    let b = part.length;
    while (a < b && (part.charCodeAt(a) === 0x20 || part.charCodeAt(a) === 0x09)) a++;
    while (b > a && (part.charCodeAt(b - 1) === 0x20 || part.charCodeAt(b - 1) === 0x09)) b--;
    if (b > a) out.push(part.slice(a, b));
  }
  return out;
}

/** First element that is not a token, or null when the whole list parses. */
export function firstInvalidToken(value: string): string | null {
  for (const item of splitList(value)) if (!isToken(item)) return item;
  return null;
}
