// What the panel needs from its surroundings besides the transport: main.tsx fills it with browser APIs, tests
// with recorders, so no component touches a browser API.
import type { BrowserName } from '../core/types.ts';

export interface PanelHost {
  browser: BrowserName;
  /** Corsight's version, for the report. */
  version: string;
  /** Offers a file to the user (the export). */
  saveFile(name: string, text: string): void;
  copyText(text: string): Promise<void>;
}
