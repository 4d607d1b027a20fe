// The fix grouped by the response that must carry it, and as plain text for the clipboard.
import type { Fix } from '../../core/fix.ts';
import type { HeaderList } from '../../core/types.ts';

export interface FixBlock {
  key: 'preflight' | 'response' | 'if-credentialed';
  title: string;
  headers: HeaderList;
}

/** The non-empty header groups, in the order the server handles them. */
export function fixBlocks(fix: Fix): FixBlock[] {
  const blocks: FixBlock[] = [
    { key: 'preflight', title: `Preflight response (OPTIONS ${fix.url})`, headers: fix.preflight },
    { key: 'response', title: `Response (${fix.url})`, headers: fix.response },
    { key: 'if-credentialed', title: 'If the page sends credentials, both responses also need', headers: fix.ifCredentialed },
  ];
  return blocks.filter((b) => b.headers.length > 0);
}

export function fixText(fix: Fix): string {
  const lines = fixBlocks(fix).flatMap((b) => [`# ${b.title}`, ...b.headers.map(([n, v]) => `${n}: ${v}`), '']);
  return [...lines, ...fix.notes.map((n) => `# ${n}`)].join('\n').trimEnd();
}
