// Apache httpd 2.4 (Debian's /usr/sbin/apache2) with its own config, no /etc/apache2: the generated lines in a
// <VirtualHost>, a CGI script as the application behind the path.
import { accessSync, chmodSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regexLiteral, apacheQuoted, decodedPath } from '../../../src/core/snippets/literals.ts';
import { freePort, startProcess } from '../harness.ts';
import type { SnippetRunner } from './types.ts';

const APACHE = process.env.APACHE_PATH ?? '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

export const apacheRunner: SnippetRunner = {
  server: 'apache',
  unavailable() {
    try {
      accessSync(APACHE, constants.X_OK);
      accessSync(join(MODULES, 'mod_headers.so'));
      return null;
    } catch {
      return `Apache httpd is not installed at ${APACHE} (sudo apt-get install apache2; see .ci/run)`;
    }
  },
  async start(snippet, policy) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'corsight-apache-'));
    // The worker runs as www-data when the test runs as root: it must reach the CGI script.
    chmodSync(dir, 0o755);
    const app = join(dir, 'app.cgi');
    writeFileSync(app, `#!/bin/sh\nprintf 'Content-Type: application/json\\r\\n\\r\\n{"ok":true}'\n`, { mode: 0o755 });
    const modules = ['mpm_prefork', 'authz_core', 'headers', 'rewrite', 'alias', 'cgi'];
    const conf = [
      `ServerRoot ${apacheQuoted(dir)}`,
      'ServerName 127.0.0.1',
      `Listen 127.0.0.1:${port}`,
      `PidFile ${apacheQuoted(join(dir, 'httpd.pid'))}`,
      `ErrorLog ${apacheQuoted(join(dir, 'error.log'))}`,
      'LogLevel warn',
      ...modules.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`),
      ...(process.getuid?.() === 0 ? ['User www-data', 'Group www-data'] : []),
      'StartServers 1',
      'MinSpareServers 1',
      'MaxSpareServers 2',
      `DocumentRoot ${apacheQuoted(dir)}`,
      `<VirtualHost 127.0.0.1:${port}>`,
      snippet.code,
      `ScriptAliasMatch "^${regexLiteral(decodedPath(policy.path), 'pcre-bytes')}$" ${apacheQuoted(app)}`,
      '</VirtualHost>',
    ].join('\n');
    writeFileSync(join(dir, 'httpd.conf'), conf);
    // Apache stops by signalling its whole process group: setsid(1) gives it its own (and execs it under the same PID).
    return startProcess('/usr/bin/setsid', [APACHE, '-d', dir, '-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], port, dir);
  },
};
