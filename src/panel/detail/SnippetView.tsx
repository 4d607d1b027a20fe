// The fix as configuration for the user's server: a picker (remembered across exchanges), the snippet as text, where
// it goes, its caveats, a copy button, and whether a live test proves it.
import { signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import { NOT_PROVEN_WHY, snippetsFor, type CorsPolicy, type ServerId } from '../../core/snippets/index.ts';
import { CopyButton, NoteList } from './CopyButton.tsx';

/** The server last picked: one per panel, so every exchange opens on the user's own stack. */
export const chosenServer = signal<ServerId>('express-cors');

export interface SnippetViewProps {
  policy: CorsPolicy;
  /** True when the credentials mode could not be seen: the user says whether the page sends credentials. */
  credentialsUnknown: boolean;
  copyText(text: string): Promise<void>;
}

export function SnippetView({ policy, credentialsUnknown, copyText }: SnippetViewProps) {
  const [withCredentials, setWithCredentials] = useState(false);
  const snippets = snippetsFor(credentialsUnknown && withCredentials ? { ...policy, credentials: true } : policy);
  const snippet = snippets.find((s) => s.server === chosenServer.value) ?? snippets[0]!;
  return (
    <div class="snippet" data-testid="snippet">
      <h5>
        <label>
          Server configuration for{' '}
          <select
            data-testid="snippet-server"
            value={snippet.server}
            onChange={(e) => {
              chosenServer.value = (e.currentTarget as HTMLSelectElement).value as ServerId;
            }}
          >
            {snippets.map((s) => (
              <option key={s.server} value={s.server}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </h5>
      {credentialsUnknown && (
        <label class="snippet-credentials">
          <input
            type="checkbox"
            data-testid="snippet-credentials"
            checked={withCredentials}
            onChange={(e) => setWithCredentials((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          The page sends cookies or HTTP auth (the credentials mode could not be seen; without this the snippet allows none)
        </label>
      )}
      <p class="muted" data-testid="snippet-where">
        In {snippet.where} ({snippet.language}):
      </p>
      <pre class="snippet-code" data-testid="snippet-code">
        {snippet.code}
      </pre>
      <p class={snippet.proven ? 'snippet-proven' : 'snippet-unproven muted'} data-testid="snippet-proof">
        {snippet.proven
          ? `Proven: a test runs this on a real ${snippet.label} and Chromium passes.`
          : `Not run here: ${NOT_PROVEN_WHY[snippet.server] ?? 'no live test starts this server yet.'}`}
      </p>
      <NoteList notes={snippet.notes} testid="snippet-notes" />
      {/* Keyed by server, so a status line never speaks of another server's snippet. */}
      <CopyButton
        key={snippet.server}
        label={`Copy ${snippet.label} snippet`}
        testid="copy-snippet"
        statusTestid="copy-snippet-status"
        text={() => snippet.code}
        copyText={copyText}
        refused=" Could not copy: select the code above instead."
      />
    </div>
  );
}
