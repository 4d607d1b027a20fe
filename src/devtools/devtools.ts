// DevTools page script: creates the "Corsight" panel and nothing else.
import { browser } from '../platform/browser.ts';

// Both paths are relative and resolve the same everywhere because devtools.html and panel.html sit side by side at
// the extension root: Chromium resolves them against the root, Firefox against this page.
void browser.devtools.panels.create('Corsight', 'icons/icon-32.png', 'panel.html');
