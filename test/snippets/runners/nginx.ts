// nginx (Debian's /usr/sbin/nginx) with its own prefix and config, the generated location in its server block.
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillPlaceholder, freePort, startProcess } from '../harness.ts';
import type { SnippetRunner } from './types.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export const nginxRunner: SnippetRunner = {
  server: 'nginx',
  unavailable() {
    try {
      accessSync(NGINX, constants.X_OK);
      return null;
    } catch {
      return `nginx is not installed at ${NGINX} (sudo apt-get install nginx-light; see .ci/run)`;
    }
  },
  async start(snippet) {
    const port = await freePort();
    const prefix = mkdtempSync(join(tmpdir(), 'corsight-nginx-'));
    mkdirSync(join(prefix, 'logs'));
    const filled = fillPlaceholder(snippet.code, ['default_type application/json;', `return 200 '{"ok":true}';`]);
    // Anything before the location (the geo line for "$") belongs to the http block.
    const cut = filled.search(/^location /m);
    const conf = [
      'events {}',
      'http {',
      '  access_log off;',
      filled.slice(0, cut),
      '  server {',
      `    listen 127.0.0.1:${port};`,
      filled.slice(cut),
      '  }',
      '}',
    ].join('\n');
    writeFileSync(join(prefix, 'nginx.conf'), conf);
    const globals = `daemon off; master_process off; pid ${join(prefix, 'nginx.pid')}; error_log ${join(prefix, 'logs', 'error.log')};`;
    return startProcess(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', globals], port, prefix);
  },
  refusesMethod: (method) => (method === method.toUpperCase() ? null : `nginx answers 400 to the lower-case method "${method}"`),
};
