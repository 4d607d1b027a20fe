// A string that came from the network (header values, URLs, sentences quoting them): always text, never markup,
// invisible characters shown as escapes, and long values cut so one 64 KB header cannot swamp the view.
import { useState } from 'preact/hooks';
import { segments } from './format.ts';

/** Characters shown before "Show all": about three lines of the detail pane. */
export const PREVIEW_CHARS = 300;

export function NetText({ value }: { value: string }) {
  const [full, setFull] = useState(false);
  const cut = !full && value.length > PREVIEW_CHARS;
  const shown = cut ? value.slice(0, PREVIEW_CHARS) : value;
  return (
    <span class={full ? 'net-text full' : 'net-text'}>
      {segments(shown).map((s, i) =>
        s.escaped ? (
          <span key={i} class="escape" title="control or invisible character">
            {s.text}
          </span>
        ) : (
          s.text
        ),
      )}
      {cut && (
        <>
          {'… '}
          <button type="button" class="link" data-testid="show-all" onClick={() => setFull(true)}>
            show all {value.length.toLocaleString('en-US')} characters
          </button>
        </>
      )}
    </span>
  );
}
