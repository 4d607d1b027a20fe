// Maps Firefox's localized CORS console text back to its security.properties key and arguments (the Firefox oracle).
import { execFileSync } from 'node:child_process';

export const DEFAULT_OMNI_PATH = '/usr/lib/firefox-esr/omni.ja';
const PROPERTIES_ENTRY = 'chrome/en-US/locale/en-US/global/security/security.properties';

export interface FirefoxReason {
  /** security.properties key, e.g. `CORSMissingAllowOrigin2`. */
  key: string;
  /** Substituted arguments in positional order: `%1$S` (the URL) first, then `%2$S` (header name, status, ACAO value). */
  args: string[];
}

export type FirefoxReasonMatcher = (text: string) => FirefoxReason | null;

/** Java-style .properties: `#`/`!` comments, `key=value`, trailing-backslash continuations, `\uXXXX` escapes. */
export function parseProperties(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^\s+/, '');
    }
    const m = /^((?:[^=:\s\\]|\\.)+)\s*[=:]?\s*(.*)$/.exec(line);
    if (!m) continue;
    out.set(unescapeProperty(m[1]!), unescapeProperty(m[2]!));
  }
  return out;
}

function unescapeProperty(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

interface CompiledMessage {
  key: string;
  re: RegExp;
  /** For capture group i+1, the 0-based argument position it fills. */
  positions: number[];
}

/** One anchored regex per message: `%n$S` / `%S` become lazy capture groups, everything else is literal. */
export function compileMessage(key: string, template: string): CompiledMessage {
  const positions: number[] = [];
  let next = 0;
  let pattern = '';
  let last = 0;
  const placeholder = /%(?:(\d+)\$)?S/g;
  for (let m = placeholder.exec(template); m; m = placeholder.exec(template)) {
    pattern += escapeRegExp(template.slice(last, m.index)) + '([\\s\\S]*?)';
    positions.push(m[1] !== undefined ? Number(m[1]) - 1 : next);
    next++;
    last = m.index + m[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  return { key, re: new RegExp(`^${pattern}$`), positions };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Every CORS key, including the Authorization-under-`*` deprecation warning (logged at level `warn`). */
export function corsMessages(properties: Map<string, string>): CompiledMessage[] {
  return [...properties]
    .filter(([key]) => key.startsWith('CORS'))
    .map(([key, template]) => compileMessage(key, template));
}

export function matcherFor(messages: readonly CompiledMessage[]): FirefoxReasonMatcher {
  return (text) => {
    const trimmed = text.trim();
    for (const { key, re, positions } of messages) {
      const m = re.exec(trimmed);
      if (!m) continue;
      const args: string[] = [];
      positions.forEach((pos, i) => {
        args[pos] = m[i + 1] ?? '';
      });
      return { key, args: Array.from(args, (a) => a ?? '') };
    }
    return null;
  };
}

/** Reads the en-US strings the installed Firefox logs with (console text is localized and has no key of its own). */
/** The CORS messages of the installed Firefox's en-US security.properties. */
export function loadCorsMessages(omniPath: string = DEFAULT_OMNI_PATH): CompiledMessage[] {
  let source: string;
  try {
    source = execFileSync('unzip', ['-p', omniPath, PROPERTIES_ENTRY], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    throw new Error(`cannot read ${PROPERTIES_ENTRY} from ${omniPath} (is the Debian package "unzip" installed?): ${String(e)}`);
  }
  const messages = corsMessages(parseProperties(source));
  if (messages.length === 0) throw new Error(`no CORS* keys in ${omniPath}!${PROPERTIES_ENTRY}`);
  return messages;
}

export function loadFirefoxReasons(omniPath: string = DEFAULT_OMNI_PATH): FirefoxReasonMatcher {
  return matcherFor(loadCorsMessages(omniPath));
}
