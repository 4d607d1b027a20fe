// Which headers to highlight in one hop's header tables: those named by its failing checks, plus the request
// headers that asked for what the server refused (the CORS knowledge behind the panel's highlights).
import type { Diagnosis } from './diagnose.ts';

export interface Offenders {
  /** Lowercased names per table. */
  preflightRequest: Set<string>;
  preflightResponse: Set<string>;
  request: Set<string>;
  response: Set<string>;
  preflightStatus: boolean;
}

export function offendersOf(d: Diagnosis, hop: number): Offenders {
  const o: Offenders = {
    preflightRequest: new Set(),
    preflightResponse: new Set(),
    request: new Set(),
    response: new Set(),
    preflightStatus: false,
  };
  const asked = new Set(d.preflights.find((p) => p.hop === hop)?.headerNames.map((n) => n.toLowerCase()) ?? []);
  for (const c of d.checks) {
    // A `request` refusal (Local Network Access) happens before anything is sent: no header to point at.
    if (c.ok || c.hop !== hop || c.stage === 'request') continue;
    const name = c.header.toLowerCase();
    if (c.stage === 'redirect') {
      o.response.add(name);
    } else if (c.stage === 'response') {
      o.response.add(name);
      if (name === 'access-control-allow-origin') o.request.add('origin');
    } else if (name === 'status') {
      o.preflightStatus = true;
    } else {
      o.preflightResponse.add(name);
      if (name === 'access-control-allow-origin') o.preflightRequest.add('origin');
      if (name === 'access-control-allow-methods') o.preflightRequest.add('access-control-request-method');
      if (name === 'access-control-allow-headers') {
        o.preflightRequest.add('access-control-request-headers');
        // The header the page set that the server did not allow.
        const refused = c.required.toLowerCase();
        if (asked.has(refused)) o.request.add(refused);
      }
    }
  }
  return o;
}
