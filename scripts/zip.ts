// `npm run zip`: builds, then writes the store packages to dist/: the Chrome Web Store zip, the Firefox add-on
// package, and the source archive that AMO review asks for (with a SOURCE-README on how to rebuild it).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { outDir, projectRoot } from '../vite.config.ts';
import { buildAll } from './build.ts';

const run = promisify(execFile);

export interface ZipOptions {
  /** Build dist/chrome and dist/firefox first (default true); tests that already built pass false. */
  build?: boolean;
  /** Where the archives go (default dist/). */
  artifactsDir?: string;
}

export interface ZipResult {
  chrome: string;
  firefox: string;
  source: string;
  /** Files changed since HEAD: the source archive is HEAD, so the packages may not match it. */
  uncommitted: string[];
}

/** What AMO reviewers read first: how the package in dist/firefox is rebuilt from this archive. */
function sourceReadme(version: string): string {
  return `# Corsight ${version}: source for add-on review

Build environment: Node 20 (any >= 20) with npm 10 or later, on Linux, macOS or Windows; no other tools needed.

    npm ci
    npm run build

The Firefox package is the content of dist/firefox (the Chrome build lands in dist/chrome). All of it is produced by
Vite from src/ (TypeScript and Preact), minified with Vite's default settings; the build script is scripts/build.ts
and the Vite configuration is vite.config.ts. npm ci installs the exact versions in package-lock.json.
`;
}

/** web-ext build is a plain WebExtension zipper (manifest.json at the root); it works offline and for either folder. */
async function webExtBuild(sourceDir: string, artifactsDir: string, filename: string): Promise<string> {
  const webExt = join(projectRoot, 'node_modules', '.bin', 'web-ext');
  await run(
    webExt,
    ['build', '--source-dir', sourceDir, '--artifacts-dir', artifactsDir, '--filename', filename, '--overwrite-dest', '--no-config-discovery'],
    { cwd: projectRoot },
  );
  return join(artifactsDir, filename);
}

export async function zipAll(options: ZipOptions = {}): Promise<ZipResult> {
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const artifactsDir = options.artifactsDir ?? join(projectRoot, 'dist');
  if (options.build ?? true) await buildAll();
  mkdirSync(artifactsDir, { recursive: true });

  const chrome = await webExtBuild(outDir('chrome'), artifactsDir, `corsight-chrome-${version}.zip`);
  // AMO accepts .zip and .xpi alike; .xpi lets Firefox install it from a file picker too.
  const firefox = await webExtBuild(outDir('firefox'), artifactsDir, `corsight-firefox-${version}.xpi`);

  // git archive of HEAD: exactly the tracked sources, never node_modules, dist or local files. --add-file
  // (git >= 2.26) takes a real file; --add-virtual-file would avoid the temp folder but needs git 2.40.
  const source = join(artifactsDir, `corsight-source-${version}.zip`);
  const temp = mkdtempSync(join(tmpdir(), 'corsight-source-'));
  try {
    const readme = join(temp, 'SOURCE-README.md');
    writeFileSync(readme, sourceReadme(version));
    await run('git', ['archive', '--format=zip', `--output=${source}`, `--add-file=${readme}`, 'HEAD'], { cwd: projectRoot });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  const { stdout } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: projectRoot });
  const uncommitted = stdout.split('\n').filter((line) => line.trim() !== '');
  return { chrome, firefox, source, uncommitted };
}

// Run directly (`npm run zip`), not when a test imports zipAll.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await zipAll();
  for (const file of [result.chrome, result.firefox, result.source]) console.log(`wrote ${file}`);
  if (result.uncommitted.length > 0) {
    // The packages are built from the working tree but the source archive is HEAD: reviewers could not reproduce them.
    console.warn(
      `warning: ${result.uncommitted.length} tracked file(s) differ from HEAD; commit before uploading, or the source ` +
        'archive will not rebuild these packages.',
    );
  }
}
