// Shares identical header lines and strings between captured exchanges: most headers repeat from request to request
// (User-Agent, sec-ch-ua, Accept, Origin, the server's Access-Control-*), and each webRequest event brings fresh
// copies, which made most of the background's heap (bench/panel-scale.ts: ~3 KB an exchange before, see
// docs/benchmarks.md). Lines are read-only tuples (HeaderList), so sharing them is safe.

/** Distinct lines kept for sharing; past this the table starts over, so values unique to one request (ids, dates)
 *  cannot grow it without bound. Lines already shared stay shared. */
const MAX_ENTRIES = 20_000;

let lines = new Map<string, Map<string, readonly [string, string]>>();
let strings = new Map<string, string>();
let entries = 0;

function room(): void {
  if (++entries <= MAX_ENTRIES) return;
  lines = new Map();
  strings = new Map();
  entries = 1;
}

/** The one shared `[name, value]` tuple for this header line. */
export function headerLine(name: string, value: string): readonly [string, string] {
  let line = lines.get(name)?.get(value);
  if (line) return line;
  room();
  let byValue = lines.get(name);
  if (!byValue) lines.set(name, (byValue = new Map()));
  line = [internString(name), value] as const;
  byValue.set(value, line);
  return line;
}

/** The one shared copy of a string that many exchanges repeat (an origin, a request type). */
export function internString(s: string): string {
  const known = strings.get(s);
  if (known !== undefined) return known;
  room();
  strings.set(s, s);
  return s;
}
