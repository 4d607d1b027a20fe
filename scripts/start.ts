// `npm start`: builds both browsers' extension and says how to load it. An honest stub until the next issue.
import { buildAll } from './build.ts';
import { outDir } from '../vite.config.ts';

await buildAll();

console.log(`
Corsight is built. Load it by hand:
  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → ${outDir('chrome')}
  Firefox:         about:debugging#/runtime/this-firefox → Load Temporary Add-on → ${outDir('firefox')}/manifest.json
Then open DevTools on any page and choose the "Corsight" panel.

Not there yet: the panel is a placeholder. Capturing requests and explaining blocked ones arrive with the next
issue ("extension"), which will also make this command more than a build.`);
