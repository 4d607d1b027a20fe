// What the server must send: the headers per response, with a button that copies them.
import type { Fix } from '../../core/fix.ts';
import type { CorsPolicy } from '../../core/snippets/index.ts';
import { NetText } from '../NetText.tsx';
import { CopyButton, NoteList } from './CopyButton.tsx';
import { fixBlocks, fixText } from './fix-text.ts';
import { SnippetView } from './SnippetView.tsx';

export interface FixViewProps {
  fix: Fix;
  /** The least-privilege policy behind the fix, for the server snippets; null when the fix is not about headers. */
  policy: CorsPolicy | null;
  copyText(text: string): Promise<void>;
}

export function FixView({ fix, policy, copyText }: FixViewProps) {
  return (
    <div class="fix" data-testid="fix">
      {fixBlocks(fix).map((b) => (
        <div key={b.key} class="fix-block" data-testid={`fix-${b.key}`}>
          <h5>{b.title}</h5>
          <div class="fix-lines">
            {b.headers.map(([n, v], i) => (
              <div key={i}>
                <span class="fix-name">{n}</span>: <NetText value={v} />
              </div>
            ))}
          </div>
        </div>
      ))}
      <NoteList notes={fix.notes} testid="fix-notes" />
      <CopyButton
        label="Copy fix"
        testid="copy-fix"
        statusTestid="copy-status"
        text={() => fixText(fix)}
        copyText={copyText}
        refused=" Could not copy: select the lines above instead."
      />
      {policy !== null && <SnippetView policy={policy} credentialsUnknown={fix.ifCredentialed.length > 0} copyText={copyText} />}
    </div>
  );
}
