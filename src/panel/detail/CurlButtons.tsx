// "Copy as curl" for one hop: its preflight and its request as shell commands, secrets redacted unless the toolbar's
// "Include cookies and auth" is on.
import { useState } from 'preact/hooks';
import { curlCommands } from '../../core/curl.ts';
import type { ObservedExchange } from '../../core/types.ts';

export interface CurlButtonsProps {
  exchange: ObservedExchange;
  hop: number;
  includeSecrets: boolean;
  copyText(text: string): Promise<void>;
}

export function CurlButtons({ exchange, hop, includeSecrets, copyText }: CurlButtonsProps) {
  const [status, setStatus] = useState('');
  const cmds = curlCommands(exchange, hop, { includeSecrets });
  const preflight = cmds.preflight;
  const copy = (text: string, what: string): void => {
    copyText(text).then(
      () => setStatus(`Copied the ${what} as curl${includeSecrets ? ' (with cookies and auth)' : ''}.`),
      () => setStatus('Could not copy.'),
    );
  };
  return (
    <div class="curl" data-testid="curl">
      {preflight !== null && (
        <button
          type="button"
          data-testid="copy-preflight-curl"
          title={cmds.preflightSeen ? 'The OPTIONS request as the browser sent it' : 'The OPTIONS request the browser would send (it was not seen)'}
          onClick={() => copy(preflight, 'preflight')}
        >
          Copy preflight as curl
        </button>
      )}
      <button
        type="button"
        data-testid="copy-request-curl"
        title={cmds.requestHeadersSeen ? 'The request with the headers the browser sent' : 'The browser never showed this request\'s headers: only its Origin is included'}
        onClick={() => copy(cmds.request, 'request')}
      >
        Copy request as curl
      </button>
      <span role="status" class="muted" data-testid="curl-status">
        {status}
      </span>
    </div>
  );
}
