// Background entry (Chrome's service worker, Firefox's event page): wires capture, the per-tab store, persistence,
// the panel hub and the badge. Every listener is registered synchronously at top level, before any await: only
// those wake a stopped background (docs/browser-facts.md §3).
import type { WebRequestEvent } from '../capture/webrequest.ts';
import { judge } from '../core/judge.ts';
import { browser, removeProbeRule } from '../platform/browser.ts';
import { Badge } from './badge.ts';
import { TabCapture, listenToWebRequest, topLevelCommit } from './capture.ts';
import { PanelHub } from './panel-hub.ts';
import { Persister } from './persist.ts';
import { probe } from './probe.ts';
import { TabStore } from './tab-store.ts';

const store = new TabStore();
// The build is per browser; the engine's decision rules depend on which browser decided.
const capture = new TabCapture(__BROWSER__);
const badge = new Badge();
const persister = new Persister(browser.storage.session, {
  hasTab: (tabId) => store.has(tabId),
  meta: (tabId) => store.meta(tabId),
  entries: (tabId) => store.entries(tabId),
  pending: (tabId) => capture.pending(tabId),
});

// Events that arrive while the persisted state is read back wait here and then run in arrival order, on top of
// what was restored: a request that started before the background stopped pairs with its late events.
let restored = false;
const waiting: Array<() => void> = [];
function whenRestored(task: () => void): void {
  if (restored) task();
  else waiting.push(task);
}

function onWebRequest(e: WebRequestEvent): void {
  const { tabId } = e.details;
  if (e.details.type === 'main_frame') {
    onTopLevel(e);
    return;
  }
  const changed = capture.push(e);
  persister.pending(tabId);
  if (!changed) return;
  const ended = changed.exchange.end.state !== 'pending';
  const upserted = store.upsert(tabId, {
    id: changed.id,
    startedAt: changed.startedAt,
    exchange: changed.exchange,
    // judge() is the cheap half of the engine; run once the outcome is known.
    blocked: ended && judge(changed.exchange).verdict === 'blocked',
  });
  if (!upserted) return;
  hub.queue(upserted.stored.record);
  persister.exchanges(tabId, [upserted.stored.seq, ...upserted.evicted.map((s) => s.seq)]);
  badge.show(tabId, store.blockedCount(tabId));
}

/** A main-frame response that will replace the tab's document: a new list unless "Preserve log" is on. */
function onTopLevel(e: WebRequestEvent): void {
  if (!topLevelCommit(e)) return;
  const { tabId, url, timeStamp } = e.details;
  if (store.navigate(tabId, url, timeStamp)) {
    hub.reset(tabId);
    persister.list(tabId);
    badge.show(tabId, 0);
  } else {
    persister.settings(tabId);
  }
}

/**
 * Both browsers reset a tab's badge when a new document commits (measured in Chromium 156 and Firefox 153, see
 * test/extension/capture.test.ts; MDN action.setBadgeText: "The text is reset when the user navigates this tab").
 * That happens after the main-frame response, in Chromium even after its onCompleted, and tabs.onUpdated reports the
 * status change after it: a preserved log puts its count back then.
 */
function onTabUpdated(tabId: number, status: string | undefined): void {
  if (status === undefined || store.blockedCount(tabId) === 0) return;
  badge.forget(tabId);
  badge.show(tabId, store.blockedCount(tabId));
}

/** A panel opened on a page that loaded before the background saw its navigation: ask the tab for its URL. */
async function fillUrl(tabId: number): Promise<void> {
  if (store.meta(tabId).url !== null) return;
  const url = await browser.tabs.get(tabId).then((t) => t.url, () => undefined);
  if (url) {
    store.setUrl(tabId, url);
    persister.settings(tabId);
  }
}

function setPreserveLog(tabId: number, preserveLog: boolean): void {
  store.setPreserveLog(tabId, preserveLog);
  persister.settings(tabId);
}

function clear(tabId: number): void {
  store.clear(tabId, Date.now());
  hub.reset(tabId);
  persister.list(tabId);
  badge.show(tabId, 0);
}

function removeTab(tabId: number): void {
  store.remove(tabId);
  capture.remove(tabId);
  hub.forgetTab(tabId);
  badge.forget(tabId);
  persister.list(tabId);
}

async function restore(): Promise<void> {
  try {
    for (const tab of await persister.restore(__BROWSER__)) {
      store.restore(tab.tabId, tab.meta, tab.entries);
      if (tab.pending) capture.restore(tab.tabId, tab.pending);
    }
  } catch (error) {
    // Unreadable state must not stop capture: start empty rather than not at all.
    console.warn('Corsight: could not restore captured requests', error);
  }
  restored = true;
  for (const task of waiting.splice(0)) task();
}

const hub = new PanelHub(store, restore(), { prepare: fillUrl, clear, setPreserveLog, probe });
removeProbeRule().catch((error: unknown) => console.warn('Corsight: could not remove the probe rule', error));

listenToWebRequest((e) => whenRestored(() => onWebRequest(e)));
browser.tabs.onRemoved.addListener((tabId) => whenRestored(() => removeTab(tabId)));
// Wakes the background on tab updates too (title, favicon, ...); the badge has no other signal after a commit.
browser.tabs.onUpdated.addListener((tabId, { status }) => whenRestored(() => onTabUpdated(tabId, status)));
browser.runtime.onConnect.addListener((port) => hub.connect(port));
