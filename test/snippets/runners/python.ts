// Shared by the Django and Flask runners: Debian's /usr/bin/python3 (where python3-django, python3-flask and their
// CORS packages live, not a pyenv python3 on PATH) running an app from a temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodedPath } from '../../../src/core/snippets/literals.ts';
import type { CorsPolicy } from '../../../src/core/snippets/types.ts';
import { freePort, startProcess } from '../harness.ts';
import type { RunningServer } from './types.ts';

export const PYTHON = process.env.DEBIAN_PYTHON ?? '/usr/bin/python3';

/** null when `modules` import in Debian's Python, else why not. */
export function missingPython(modules: readonly string[], packages: string): string | null {
  try {
    execFileSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} cannot import ${modules.join(', ')} (sudo apt-get install ${packages}; see .ci/run)`;
  }
}

/** Writes `files` and app.json (port, decoded path, method: the app reads them instead of having them spliced
 *  into Python), then runs `args` of Debian's Python with the directory on PYTHONPATH. */
export async function startPython(
  name: string,
  policy: CorsPolicy,
  files: Record<string, string>,
  args: (port: number) => string[],
): Promise<RunningServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `corsight-${name}-`));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'app.json'), JSON.stringify({ port, path: decodedPath(policy.path), method: policy.method }));
  // env(1) execs Python under the same PID, so stopping it stops the server.
  return startProcess('/usr/bin/env', [`PYTHONPATH=${dir}`, 'PYTHONDONTWRITEBYTECODE=1', PYTHON, ...args(port)], port, dir);
}

/** Python that loads app.json from the app's directory. */
export const LOAD_CONFIG = "import json, os\nCONFIG = json.load(open(os.path.join(os.path.dirname(__file__), 'app.json')))\n";
