// `npm run screenshot`: the README's picture of the panel, taken from the real extension on the demo gallery, so it
// stays current: docs/panel.png, 1280×800, a blocked request selected.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clickRunAll } from '../demo/drive.ts';
import { endpointById, RUN_ALL } from '../demo/gallery.ts';
import { DEFAULT_PORT } from '../demo/server.ts';
import { projectRoot } from '../vite.config.ts';
import { buildAll } from './build.ts';
import { chromePath, openPanelTab } from './chromium.ts';
import { openDemoSession } from './demo-session.ts';
import { readPanelRows, readRowDetail, settledRows } from './panel-reader.ts';

const { values } = parseArgs({
  options: {
    chrome: { type: 'string' },
    // The demo's usual port by default, so the picture shows the URLs the README talks about.
    port: { type: 'string', default: String(DEFAULT_PORT) },
    // Which gallery entry to open in the detail view.
    endpoint: { type: 'string', default: 'header-not-allowed' },
    out: { type: 'string', default: join(projectRoot, 'docs', 'panel.png') },
  },
});

const SIZE = { width: 1280, height: 800 };
const endpoint = endpointById(values.endpoint);
await buildAll(['chrome']);
const session = await openDemoSession({ port: Number(values.port), executablePath: chromePath(values.chrome), headless: true, size: SIZE });
try {
  await clickRunAll(session.page);
  const panel = await openPanelTab(session.launched, session.tabId);
  const rows = await settledRows(() => readPanelRows(panel), RUN_ALL.length);
  const url = session.demo.apiOrigin + endpoint.request.path;
  const index = rows.findIndex((r) => r.url === url);
  if (index === -1) throw new Error(`the panel shows no row for ${url}`);
  await readRowDetail(panel, index, rows[index]!);
  // The click leaves a hover and a focus ring on the row; the picture should show the panel at rest.
  await panel.mouse.move(0, 0);
  await panel.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  mkdirSync(join(values.out, '..'), { recursive: true });
  await panel.screenshot({ path: values.out });
  console.log(`wrote ${values.out} (${SIZE.width}×${SIZE.height}): ${endpoint.title}`);
} finally {
  await session.close();
}
