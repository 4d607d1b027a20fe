// Panel entry: finds the inspected tab, follows DevTools' theme, connects to the background and renders <App>;
// the only panel file that touches browser APIs (the components get all of it through props).
import { render } from 'preact';
import { browser } from '../platform/browser.ts';
import { createPortTransport } from '../platform/port-transport.ts';
import { App, NoTab } from './App.tsx';
import type { PanelHost } from './host.ts';
import './panel.css';

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

/** Inside DevTools the panel follows DevTools' own theme (it can differ from the OS's); in a plain tab, the CSS
 *  follows prefers-color-scheme. Chrome reports 'default' or 'dark', Firefox 'light' or 'dark' and announces changes. */
function followDevToolsTheme(): void {
  const panels = browser.devtools?.panels;
  if (!panels?.themeName) return;
  const apply = (name: string): void => {
    document.documentElement.dataset.theme = name === 'dark' ? 'dark' : 'light';
  };
  apply(panels.themeName);
  panels.onThemeChanged?.addListener(apply);
}

function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has taken the data once click() returns, but revoking at once races it in Firefox.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** DevTools panel frames may lack the clipboard permission policy (Chromium rejects writeText there), so fall back
 *  to a selection copy, which user activation still allows. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) throw new Error('copy refused');
  }
}

const host: PanelHost = {
  browser: __BROWSER__,
  version: browser.runtime.getManifest().version,
  saveFile,
  copyText,
};

const root = document.getElementById('app');
if (!root) throw new Error('panel.html has no #app element');
followDevToolsTheme();
const tabId = findTabId();
render(tabId === null ? <NoTab /> : <App transport={createPortTransport(tabId)} tabId={tabId} host={host} />, root);
