// `npm run build`: builds dist/chrome/ and dist/firefox/ from the same sources (pages, then the background script),
// and the `corsight` command (dist/cli/corsight.js).
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { parseBaseManifest, type TargetBrowser } from '../src/build/manifest.ts';
import { backgroundConfig, cliConfig, outDir, pagesConfig, projectRoot } from '../vite.config.ts';

/** The `corsight` command that package.json's "bin" names. */
export const CLI_PATH = join(projectRoot, 'dist', 'cli', 'corsight.js');

const BROWSERS: readonly TargetBrowser[] = ['chrome', 'firefox'];

export async function buildAll(browsers: readonly TargetBrowser[] = BROWSERS): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const base = parseBaseManifest(JSON.parse(readFileSync(join(projectRoot, 'manifest.json'), 'utf8')));
  for (const browser of browsers) {
    const started = performance.now();
    // Order matters: the pages build empties the folder, the background build adds to it.
    await build(pagesConfig(base, browser, pkg.version));
    await build(backgroundConfig(browser));
    console.log(`built ${outDir(browser)} in ${Math.round(performance.now() - started)} ms`);
  }
  await build(cliConfig(pkg.version));
  chmodSync(CLI_PATH, 0o755);
}

// Run directly (`npm run build [-- chrome|firefox]`), not when scripts/start.ts imports buildAll.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const wanted = process.argv.slice(2).filter((a): a is TargetBrowser => a === 'chrome' || a === 'firefox');
  await buildAll(wanted.length ? wanted : BROWSERS);
}
