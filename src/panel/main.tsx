// Panel entry: finds the inspected tab and renders <App>; the only panel file that touches browser APIs.
import { render } from 'preact';
import { browser } from '../platform/browser.ts';
import { App } from './App.tsx';

/**
 * `?tabId=<n>` wins so the panel also works as an ordinary extension tab, where `devtools` does not exist: that is
 * how tests reach it (docs/browser-facts.md §10). Inside DevTools the inspected window says which tab it is.
 */
function findTabId(): number | null {
  const param = new URLSearchParams(location.search).get('tabId');
  if (param !== null) {
    const id = Number(param);
    return Number.isInteger(id) && id >= 0 ? id : null;
  }
  return browser.devtools?.inspectedWindow.tabId ?? null;
}

const root = document.getElementById('app');
if (!root) throw new Error('panel.html has no #app element');
render(<App tabId={findTabId()} />, root);
