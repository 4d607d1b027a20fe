// "Copy as curl" for one hop: its preflight and its request as shell commands, secrets redacted unless the toolbar's
// "Include cookies and auth" is on.
import { curlCommands } from '../../core/curl.ts';
import type { ObservedExchange } from '../../core/types.ts';
import { CopyButton } from './CopyButton.tsx';

export interface CurlButtonsProps {
  exchange: ObservedExchange;
  hop: number;
  includeSecrets: boolean;
  copyText(text: string): Promise<void>;
}

export function CurlButtons({ exchange, hop, includeSecrets, copyText }: CurlButtonsProps) {
  const cmds = curlCommands(exchange, hop, { includeSecrets });
  const preflight = cmds.preflight;
  const done = (what: string): string => `Copied the ${what} as curl${includeSecrets ? ' (with cookies and auth)' : ''}.`;
  return (
    <div class="curl" data-testid="curl">
      {preflight !== null && (
        <CopyButton
          label="Copy preflight as curl"
          testid="copy-preflight-curl"
          statusTestid="curl-preflight-status"
          title={cmds.preflightSeen ? 'The OPTIONS request as the browser sent it' : 'The OPTIONS request the browser would send (it was not seen)'}
          text={() => preflight}
          copyText={copyText}
          done={done('preflight')}
        />
      )}
      <CopyButton
        label="Copy request as curl"
        testid="copy-request-curl"
        statusTestid="curl-request-status"
        title={cmds.requestHeadersSeen ? 'The request with the headers the browser sent' : "The browser never showed this request's headers: only its Origin is included"}
        text={() => cmds.request}
        copyText={copyText}
        done={done('request')}
      />
    </div>
  );
}
