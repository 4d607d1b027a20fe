// A button that copies text through the panel's host, and a status line (announced to screen readers) saying
// whether it worked; plus the bullet list of notes that the fix, the snippets and the detail view share.
import { useState } from 'preact/hooks';
import { NetText } from '../NetText.tsx';

export interface CopyButtonProps {
  label: string;
  testid: string;
  statusTestid: string;
  /** Computed on click, so a button never copies text from an older render. */
  text(): string;
  copyText(text: string): Promise<void>;
  /** Status after a successful copy. */
  done?: string;
  /** Status after a refused copy: where else the user can take the text from. */
  refused?: string;
  title?: string;
}

export function CopyButton({ label, testid, statusTestid, text, copyText, done = ' Copied.', refused = ' Could not copy.', title }: CopyButtonProps) {
  const [status, setStatus] = useState('');
  const copy = (): void => {
    copyText(text()).then(
      () => setStatus(done),
      () => setStatus(refused),
    );
  };
  return (
    <>
      <button type="button" onClick={copy} data-testid={testid} title={title}>
        {label}
      </button>
      <span role="status" class="muted" data-testid={statusTestid}>
        {status}
      </span>
    </>
  );
}

export function NoteList({ notes, testid }: { notes: readonly string[]; testid: string }) {
  if (notes.length === 0) return null;
  return (
    <ul class="notes" data-testid={testid}>
      {notes.map((n, i) => (
        <li key={i}>
          <NetText value={n} />
        </li>
      ))}
    </ul>
  );
}
