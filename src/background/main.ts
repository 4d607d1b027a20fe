// Background entry: Chrome's service worker and Firefox's event page. The capture layer arrives with the next issue.
import { browser } from '../platform/browser.ts';

// When capture lands, every listener must be registered synchronously at top level, before any `await`: only those
// wake a terminated worker (docs/browser-facts.md §3).

// Nothing is counted yet, so the toolbar badge stays empty. Importing the platform module here also keeps the
// background bundle honest: the polyfill must fit in one classic script that both browsers load.
void browser.action.setBadgeText({ text: '' });
