// npm run zip: the store packages have manifest.json at their root with each browser's background key, and the source
// archive for AMO review holds what rebuilding needs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipAll, type ZipResult } from '../../scripts/zip.ts';

const run = promisify(execFile);

/** The entry names of an archive, as Debian's unzip lists them (`-Z1`: one name per line). */
async function entries(archive: string): Promise<string[]> {
  const { stdout } = await run('unzip', ['-Z1', archive]);
  return stdout.split('\n').filter((line) => line !== '');
}

/** One file of an archive, read without extracting it (`-p`: to stdout). */
async function readEntry(archive: string, name: string): Promise<string> {
  const { stdout } = await run('unzip', ['-p', archive, name]);
  return stdout;
}

describe('npm run zip', () => {
  let artifactsDir = '';
  let result: ZipResult;

  beforeAll(async () => {
    artifactsDir = mkdtempSync(join(tmpdir(), 'corsight-zip-'));
    // npm test builds before vitest runs: package what is there, into a temp folder, so dist/ stays as it was.
    result = await zipAll({ build: false, artifactsDir });
  });

  afterAll(() => {
    rmSync(artifactsDir, { recursive: true, force: true });
  });

  it('packages dist/chrome with a service worker manifest at the zip root', async () => {
    expect(result.chrome).toMatch(/corsight-chrome-\d+\.\d+\.\d+\.zip$/);
    const names = await entries(result.chrome);
    expect(names).toContain('manifest.json');
    expect(names).toContain('background.js');
    const manifest = JSON.parse(await readEntry(result.chrome, 'manifest.json')) as { background?: unknown };
    expect(manifest.background).toEqual({ service_worker: 'background.js' });
  });

  it('packages dist/firefox with an event page manifest at the root', async () => {
    expect(result.firefox).toMatch(/corsight-firefox-\d+\.\d+\.\d+\.xpi$/);
    const names = await entries(result.firefox);
    expect(names).toContain('manifest.json');
    const manifest = JSON.parse(await readEntry(result.firefox, 'manifest.json')) as { background?: unknown };
    expect(manifest.background).toEqual({ scripts: ['background.js'] });
  });

  it('archives the committed sources with the reviewers\' readme, and nothing built or installed', async () => {
    const names = await entries(result.source);
    expect(names).toContain('package.json');
    expect(names).toContain('package-lock.json');
    expect(names).toContain('SOURCE-README.md');
    expect(names.some((n) => n.startsWith('src/core/') && n.endsWith('.ts'))).toBe(true);
    expect(names.some((n) => n.startsWith('node_modules/') || n.startsWith('dist/'))).toBe(false);
    expect(await readEntry(result.source, 'SOURCE-README.md')).toContain('npm ci');
  });
});
