// Writes the test-only recording extension into a temporary folder with the manifest each browser needs.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RECORDER_GECKO_ID = 'recorder@corsight.test';

export function prepareRecorder(browser: 'chrome' | 'firefox', collectorUrl?: string): string {
  const dir = mkdtempSync(join(tmpdir(), `corsight-recorder-${browser}-`));
  copyFileSync(join(dirname(fileURLToPath(import.meta.url)), 'recorder', 'background.js'), join(dir, 'background.js'));
  writeFileSync(join(dir, 'config.js'), `globalThis.CORSIGHT_COLLECTOR = ${JSON.stringify(collectorUrl ?? null)};\n`);
  const manifest = {
    manifest_version: 3,
    name: 'Corsight conformance recorder',
    version: '1.0.0',
    permissions: ['webRequest'],
    host_permissions: ['<all_urls>'],
    background:
      browser === 'chrome'
        ? { service_worker: 'background.js' }
        : { scripts: ['config.js', 'background.js'] },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: RECORDER_GECKO_ID, strict_min_version: '142.0' } } }
      : {}),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
