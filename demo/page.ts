// The demo page's HTML: a card per gallery endpoint with a send button, and "Run all"; everything inline, no build.
import type { DemoEndpoint, DemoOrigins } from './gallery.ts';

/** What the page script needs of an endpoint (the server-side `serve` stays in Node). */
interface PageEndpoint {
  id: string;
  title: string;
  story: string;
  intent: DemoEndpoint['intent'];
  risky: boolean;
  hidden: boolean;
  method: string;
  url: string;
  path: string;
  headers: Array<[string, string]>;
  body: string | null;
  credentials: 'omit' | 'same-origin' | 'include';
}

/** JSON that is safe inside a <script> element: no "</script>" or "<!--" can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --text: #1d2127; --muted: #5f6773; --line: #dde1e6;
  --bad: #c5221f; --bad-bg: #fce8e6; --ok: #137333; --ok-bg: #e6f4ea; --warn: #8a5a00; --warn-bg: #fef3d6; --accent: #1a5fd0; }
@media (prefers-color-scheme: dark) { :root { --bg: #17191c; --card: #212429; --text: #e6e8eb; --muted: #9aa3ad; --line: #343941;
  --bad: #f28b82; --bad-bg: #3c1f1e; --ok: #81c995; --ok-bg: #1e3526; --warn: #fdd663; --warn-bg: #3a3116; --accent: #8ab4f8; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); }
header { padding: 24px 32px 8px; }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { font-size: 15px; margin: 24px 0 10px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
header p { margin: 4px 0; color: var(--muted); }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
main { padding: 0 32px 32px; }
.bar { display: flex; gap: 12px; align-items: center; margin: 12px 0 4px; }
button { font: inherit; border: 1px solid var(--line); background: var(--card); color: var(--text); border-radius: 6px; padding: 5px 12px; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .55; cursor: default; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--card); font-weight: 600; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; display: flex; flex-direction: column; gap: 6px; }
.card h3 { margin: 0; font-size: 15px; }
.card p { margin: 0; color: var(--muted); }
.row { display: flex; gap: 8px; align-items: center; justify-content: space-between; margin-top: auto; padding-top: 6px; }
.badge { align-self: flex-start; font-size: 11px; font-weight: 600; border-radius: 999px; padding: 1px 8px; }
.badge.blocked { color: var(--bad); background: var(--bad-bg); }
.badge.allowed { color: var(--ok); background: var(--ok-bg); }
.badge.risky { color: var(--warn); background: var(--warn-bg); }
.result { font-size: 12.5px; color: var(--muted); min-height: 1.45em; }
.result.failed { color: var(--bad); }
.result.passed { color: var(--ok); }
details { margin-top: 24px; }
summary { cursor: pointer; color: var(--muted); }
`;

/** Runs in the page. Plain JS (it is served as is); every text goes through textContent. */
const SCRIPT = `
const data = JSON.parse(document.getElementById('gallery-data').textContent);
const root = document.documentElement;
root.dataset.demoState = 'idle';
const buttons = [];

function card(e) {
  const el = document.createElement('article');
  el.className = 'card';
  el.dataset.endpoint = e.id;
  const badge = document.createElement('span');
  badge.className = 'badge ' + (e.intent === 'blocked' ? 'blocked' : e.risky ? 'risky' : 'allowed');
  badge.textContent = e.intent === 'blocked' ? 'fails' : e.risky ? 'passes, but risky' : 'passes';
  const title = document.createElement('h3');
  title.textContent = e.title;
  const story = document.createElement('p');
  story.textContent = e.story;
  const call = document.createElement('code');
  const extras = [];
  if (e.credentials === 'include') extras.push('credentials: include');
  for (const [name] of e.headers) extras.push(name);
  call.textContent = e.method + ' ' + e.path + (extras.length ? '  (' + extras.join(', ') + ')' : '');
  const row = document.createElement('div');
  row.className = 'row';
  const result = document.createElement('span');
  result.className = 'result';
  result.dataset.testid = 'result';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Send';
  button.setAttribute('aria-label', 'Send: ' + e.title);
  button.addEventListener('click', () => run(e.id));
  buttons.push(button);
  row.append(result, button);
  el.append(badge, title, story, call, row);
  return el;
}

async function send(e) {
  const init = { method: e.method, headers: e.headers, credentials: e.credentials };
  if (e.body !== null) init.body = e.body;
  try {
    const res = await fetch(e.url, init);
    await res.text();
    return { id: e.id, ok: true, status: res.status, text: res.status + ' ' + res.statusText + ': the page can read the response.' };
  } catch (err) {
    return { id: e.id, ok: false, status: null, text: 'Failed: the page only sees "' + String(err) + '". Corsight shows why.' };
  }
}

async function run(id) {
  const e = data.endpoints.find((x) => x.id === id);
  if (!e) throw new Error('no endpoint ' + id);
  const result = document.querySelector('[data-endpoint="' + CSS.escape(id) + '"] .result');
  result.className = 'result';
  result.textContent = 'Sending…';
  const r = await send(e);
  result.className = 'result ' + (r.ok ? 'passed' : 'failed');
  result.textContent = r.text;
  return r;
}

async function runAll() {
  root.dataset.demoState = 'running';
  for (const b of buttons) b.disabled = true;
  const status = document.getElementById('run-status');
  const results = [];
  // One at a time and in gallery order: the first stores the session cookie the later credentialed ones send.
  for (const e of data.endpoints.filter((x) => !x.hidden)) {
    status.textContent = 'Sending ' + (results.length + 1) + ' of ' + data.runAll + '…';
    results.push(await run(e.id));
  }
  const failed = results.filter((r) => !r.ok).length;
  status.textContent = 'Sent ' + results.length + ' requests: ' + failed + ' failed in the page. Open DevTools → Corsight to see why.';
  for (const b of buttons) b.disabled = false;
  root.dataset.demoState = 'done';
  return results;
}

const runAllButton = document.getElementById('run-all');
runAllButton.addEventListener('click', () => { void runAll(); });
buttons.push(runAllButton);
document.getElementById('gallery').append(...data.endpoints.filter((e) => !e.hidden && !e.risky).map(card));
document.getElementById('risky').append(...data.endpoints.filter((e) => !e.hidden && e.risky).map(card));
document.getElementById('probes').append(...data.endpoints.filter((e) => e.hidden).map(card));
// For scripts and tests: the same actions as the buttons, with their results.
window.corsightDemo = { run, runAll };
`;

export function renderPage(gallery: readonly DemoEndpoint[], origins: DemoOrigins): string {
  const endpoints: PageEndpoint[] = gallery.map((e) => ({
    id: e.id,
    title: e.title,
    // Stories speak of "<port>"; the page shows the real one.
    story: e.story.replaceAll('<port>', new URL(origins.page).port),
    intent: e.intent,
    risky: e.risky === true,
    hidden: e.hidden === true,
    method: e.request.method,
    url: origins.api + e.request.path,
    path: e.request.path,
    headers: e.request.headers ?? [],
    body: e.request.body ?? null,
    credentials: e.request.credentials ?? 'same-origin',
  }));
  const data = { apiOrigin: origins.api, runAll: endpoints.filter((e) => !e.hidden).length, endpoints };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Corsight demo gallery</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Corsight demo gallery</h1>
  <p>This page (<code>${escapeHtml(origins.page)}</code>) calls an API on another origin (<code>${escapeHtml(origins.api)}</code>).
  Each card is a CORS mistake real servers make, or a request that passes. Open DevTools, choose the <strong>Corsight</strong> panel, and send.</p>
  <div class="bar"><button type="button" id="run-all" class="primary">Run all</button><span id="run-status" role="status"></span></div>
</header>
<main>
  <h2>Failures and passes</h2>
  <section class="grid" id="gallery"></section>
  <h2>Passes that deserve a warning</h2>
  <section class="grid" id="risky"></section>
  <details><summary>Robustness probes (not part of Run all)</summary><section class="grid" id="probes"></section></details>
</main>
<script type="application/json" id="gallery-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
