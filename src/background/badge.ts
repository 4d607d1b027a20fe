// The toolbar badge: the tab's count of blocked requests on a red background, written only when it changes.
import { browser } from '../platform/browser.ts';

const BLOCKED_RED = '#d93025';

export class Badge {
  /** Text last written per tab, so a burst of events costs one API call per change of the count. */
  private readonly shown = new Map<number, string>();

  constructor() {
    // Global, not per tab: one call per background start.
    void browser.action.setBadgeBackgroundColor({ color: BLOCKED_RED }).catch(ignore);
  }

  show(tabId: number, blocked: number): void {
    const text = blocked === 0 ? '' : blocked > 999 ? '999+' : String(blocked);
    if (this.shown.get(tabId) === text) return;
    this.shown.set(tabId, text);
    void browser.action.setBadgeText({ tabId, text }).catch(ignore);
  }

  /** Forgets what was shown, so the next show() writes again: the tab closed, or the browser reset the badge. */
  forget(tabId: number): void {
    this.shown.delete(tabId);
  }
}

/** The tab may have closed between the event that changed the count and the call: nothing is left to update. */
function ignore(): void {}
