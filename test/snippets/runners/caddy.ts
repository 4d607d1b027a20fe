// Caddy 2 (Debian's /usr/bin/caddy) from its own Caddyfile: admin endpoint off, plain HTTP on 127.0.0.1, the
// generated route in the site block, `respond` as the application behind it.
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess } from '../harness.ts';
import type { SnippetRunner } from './types.ts';

const CADDY = process.env.CADDY_PATH ?? '/usr/bin/caddy';

export const caddyRunner: SnippetRunner = {
  server: 'caddy',
  unavailable() {
    try {
      accessSync(CADDY, constants.X_OK);
      return null;
    } catch {
      return `Caddy is not installed at ${CADDY} (sudo apt-get install caddy; see .ci/run)`;
    }
  },
  async start(snippet) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'corsight-caddy-'));
    const caddyfile = join(dir, 'Caddyfile');
    writeFileSync(
      caddyfile,
      [
        // No admin socket, no certificates: an http:// site address stays plain HTTP.
        '{',
        '\tadmin off',
        '}',
        `http://127.0.0.1:${port} {`,
        snippet.code,
        '\theader Content-Type application/json',
        '\trespond `{"ok":true}` 200',
        '}',
      ].join('\n'),
    );
    // Caddy keeps its storage under XDG_DATA_HOME: the temporary directory. env(1) execs Caddy under the same PID.
    const env = [`XDG_DATA_HOME=${dir}`, `XDG_CONFIG_HOME=${dir}`];
    return startProcess('/usr/bin/env', [...env, CADDY, 'run', '--config', caddyfile, '--adapter', 'caddyfile'], port, dir);
  },
};
