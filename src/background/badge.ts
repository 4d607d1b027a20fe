// The toolbar badge: the tab's count of blocked requests on a red background, written only when it changes.
import { browser } from '../platform/browser.ts';

const BLOCKED_RED = '#d93025';

/** Counts are written at most this often: every API call costs the worker and the browser while the page is busy
 *  (a burst of 100 blocked requests made 100 calls), and a badge a tenth of a second late is not noticed. */
export const BADGE_DELAY_MS = 100;

export class Badge {
  /** Text last written per tab, so a burst of events costs one API call per change of the count. */
  private readonly shown = new Map<number, string>();
  /** Text waiting for the next write, per tab. */
  private readonly wanted = new Map<number, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    // Global, not per tab: one call per background start.
    void browser.action.setBadgeBackgroundColor({ color: BLOCKED_RED }).catch(ignore);
  }

  show(tabId: number, blocked: number): void {
    this.wanted.set(tabId, blocked === 0 ? '' : blocked > 999 ? '999+' : String(blocked));
    this.timer ??= setTimeout(() => this.write(), BADGE_DELAY_MS);
  }

  private write(): void {
    this.timer = null;
    for (const [tabId, text] of this.wanted) {
      if (this.shown.get(tabId) === text) continue;
      this.shown.set(tabId, text);
      void browser.action.setBadgeText({ tabId, text }).catch(ignore);
    }
    this.wanted.clear();
  }

  /** Forgets what was shown, so the next show() writes again: the tab closed, or the browser reset the badge. */
  forget(tabId: number): void {
    this.shown.delete(tabId);
    this.wanted.delete(tabId);
  }
}

/** The tab may have closed between the event that changed the count and the call: nothing is left to update. */
function ignore(): void {}
