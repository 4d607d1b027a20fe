// Shared by the snippet runners: fill the snippet's handler placeholder, start a server process on a free
// 127.0.0.1 port, wait until it answers, stop it by its own PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../../scripts/chromium.ts';
import { projectRoot } from '../../vite.config.ts';
import { PLACEHOLDER_MARK } from '../../src/core/snippets/common.ts';
import type { RunningServer } from './runners/types.ts';

export { freePort };

/** The snippet with its one placeholder line (the line holding PLACEHOLDER_MARK) replaced by `lines`, indented like
 *  it. Everything else stays byte for byte; a snippet without exactly one such line is a generator bug. */
export function fillPlaceholder(code: string, lines: readonly string[]): string {
  const all = code.split('\n');
  const at = all.flatMap((l, i) => (l.includes(PLACEHOLDER_MARK) ? [i] : []));
  if (at.length !== 1) throw new Error(`expected exactly one placeholder line (${PLACEHOLDER_MARK}) in the snippet, found ${at.length}:\n${code}`);
  const indent = /^\s*/.exec(all[at[0]!]!)![0];
  all.splice(at[0]!, 1, ...lines.map((l) => indent + l));
  return all.join('\n');
}

/** A temporary directory that sees the project's node_modules, so a generated module imports packages by name. */
export function tempProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `corsight-${prefix}-`));
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Starts `command`, waits until http://127.0.0.1:port answers anything, and stops exactly that process. */
export async function startProcess(command: string, args: readonly string[], port: number, cleanup: string): Promise<RunningServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(cleanup, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${command} on ${baseUrl}`, async () => {
      if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}:\n${output}`);
      return fetch(baseUrl, { method: 'HEAD' }).then(() => true, () => undefined);
    }, 10_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, stop };
}
