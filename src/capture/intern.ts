// Shares identical header lines and strings between captured exchanges: most headers repeat from request to request
// (User-Agent, sec-ch-ua, Accept, Origin, the server's Access-Control-*), and each webRequest event brings fresh
// copies, which made most of the background's heap (bench/panel-scale.ts: ~3 KB an exchange before, see
// docs/benchmarks.md). Lines are read-only tuples (HeaderList), so sharing them is safe.

/** Distinct lines kept for sharing; past this the table starts over, so values unique to one request (ids, dates)
 *  cannot grow it without bound. Lines already shared stay shared. */
const MAX_ENTRIES = 20_000;

type Line = readonly [string, string];

let lines = new Map<string, Map<string, Line>>();
let strings = new Map<string, string>();
/** Whole lists by the ids of their lines: a request's headers often equal the previous one's, line for line. */
let lists = new Map<string, readonly Line[]>();
const lineIds = new WeakMap<Line, number>();
let nextLineId = 0;
let entries = 0;

function room(): void {
  if (++entries <= MAX_ENTRIES) return;
  lines = new Map();
  strings = new Map();
  lists = new Map();
  entries = 1;
}

/** The one shared `[name, value]` tuple for this header line. */
export function headerLine(name: string, value: string): Line {
  let line = lines.get(name)?.get(value);
  if (line) return line;
  room();
  let byValue = lines.get(name);
  if (!byValue) lines.set(name, (byValue = new Map()));
  line = [internString(name), value] as const;
  byValue.set(value, line);
  lineIds.set(line, nextLineId++);
  return line;
}

/** The one shared list for these lines (each from headerLine), in this order. */
export function headerList(list: readonly Line[]): readonly Line[] {
  const key = list.map((line) => lineIds.get(line)).join(',');
  const known = lists.get(key);
  if (known) return known;
  room();
  lists.set(key, list);
  return list;
}

/** The one shared copy of a string that many exchanges repeat (an origin, a request type). */
export function internString(s: string): string {
  const known = strings.get(s);
  if (known !== undefined) return known;
  room();
  strings.set(s, s);
  return s;
}
