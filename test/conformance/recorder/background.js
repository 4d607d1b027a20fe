// Test-only recording extension: keeps every webRequest event (headers included) for the conformance runners.
// Chromium: the runner reads globalThis.__corsightEvents through the service worker. Firefox: BiDi cannot reach a
// background page, so events are POSTed in batches to the runner's collector named in config.js.
const api = globalThis.browser ?? globalThis.chrome;
const collector = globalThis.CORSIGHT_COLLECTOR ?? null;
const events = [];
globalThis.__corsightEvents = events;
let pending = [];
let timer = null;
// One POST at a time: parallel POSTs may reach the collector out of order, and it keeps arrival order.
let posting = Promise.resolve();

function flush() {
  timer = null;
  const batch = pending;
  pending = [];
  posting = posting.then(() => fetch(collector, { method: 'POST', body: JSON.stringify(batch) })).catch(() => {});
}

// Chromium hides preflights, Origin and blocked responses' headers without extraHeaders; Firefox rejects the value.
const extra = api.webRequest.OnBeforeSendHeadersOptions?.EXTRA_HEADERS ? ['extraHeaders'] : [];
const filter = { urls: ['<all_urls>'] };

function record(event) {
  return (details) => {
    if (collector && details.url.startsWith(collector)) return;
    const entry = { event, details: JSON.parse(JSON.stringify(details)) };
    events.push(entry);
    if (collector) {
      pending.push(entry);
      timer ??= setTimeout(flush, 20);
    }
  };
}

api.webRequest.onBeforeRequest.addListener(record('onBeforeRequest'), filter);
api.webRequest.onBeforeSendHeaders.addListener(record('onBeforeSendHeaders'), filter, ['requestHeaders', ...extra]);
api.webRequest.onSendHeaders.addListener(record('onSendHeaders'), filter, ['requestHeaders', ...extra]);
api.webRequest.onHeadersReceived.addListener(record('onHeadersReceived'), filter, ['responseHeaders', ...extra]);
api.webRequest.onBeforeRedirect.addListener(record('onBeforeRedirect'), filter, ['responseHeaders', ...extra]);
api.webRequest.onResponseStarted.addListener(record('onResponseStarted'), filter, ['responseHeaders', ...extra]);
api.webRequest.onCompleted.addListener(record('onCompleted'), filter, ['responseHeaders', ...extra]);
// Firefox's onErrorOccurred takes no extraInfoSpec at all: even an empty array throws "Incorrect argument types".
api.webRequest.onErrorOccurred.addListener(record('onErrorOccurred'), filter, ...(extra.length ? [extra] : []));

if (collector) fetch(collector, { method: 'POST', body: JSON.stringify({ ready: true }) }).catch(() => {});
