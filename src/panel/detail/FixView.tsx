// What the server must send: the headers per response, with a button that copies them.
import { useState } from 'preact/hooks';
import type { Fix } from '../../core/fix.ts';
import type { CorsPolicy } from '../../core/snippets/index.ts';
import { NetText } from '../NetText.tsx';
import { fixBlocks, fixText } from './fix-text.ts';
import { SnippetView } from './SnippetView.tsx';

export interface FixViewProps {
  fix: Fix;
  /** The least-privilege policy behind the fix, for the server snippets; null when the fix is not about headers. */
  policy: CorsPolicy | null;
  copyText(text: string): Promise<void>;
}

export function FixView({ fix, policy, copyText }: FixViewProps) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = (): void => {
    copyText(fixText(fix)).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
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
      {fix.notes.length > 0 && (
        <ul class="notes" data-testid="fix-notes">
          {fix.notes.map((n, i) => (
            <li key={i}>
              <NetText value={n} />
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={copy} data-testid="copy-fix">
        Copy fix
      </button>
      <span role="status" class="muted" data-testid="copy-status">
        {copied === 'copied' ? ' Copied.' : copied === 'failed' ? ' Could not copy: select the lines above instead.' : ''}
      </span>
      {policy !== null && <SnippetView policy={policy} credentialsUnknown={fix.ifCredentialed.length > 0} copyText={copyText} />}
    </div>
  );
}
