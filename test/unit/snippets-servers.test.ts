// The Apache, Caddy, Django, Flask and Go snippet generators: least privilege, and hostile policy values that stay
// inside their strings, read back by each server's own parser (Python, flask-cors, gofmt, apache2 -t, caddy adapt).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apache } from '../../src/core/snippets/apache.ts';
import { caddy } from '../../src/core/snippets/caddy.ts';
import { django } from '../../src/core/snippets/django.ts';
import { flask } from '../../src/core/snippets/flask.ts';
import { go } from '../../src/core/snippets/go.ts';
import type { CorsPolicy, SnippetGenerator } from '../../src/core/snippets/types.ts';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'corsight-snippets-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PUT: CorsPolicy = {
  origin: 'https://app.example',
  url: 'https://api.example/api/orders/42',
  path: '/api/orders/42',
  method: 'PUT',
  preflight: true,
  allowMethods: ['PUT'],
  allowHeaders: ['x-request-id'],
  credentials: false,
};
const SIMPLE_GET: CorsPolicy = { ...PUT, method: 'GET', preflight: false, allowMethods: [], allowHeaders: [] };
const CREDENTIALED: CorsPolicy = { ...PUT, credentials: true };

/** Every ASCII character some config or language treats specially, where a browser would never send it. */
const HOSTILE: CorsPolicy = {
  origin: `https://a.example'"\\%{x}e$1{$HOME}{y}\`> `,
  url: 'https://api.example/x',
  path: new URL(`https://api.example/a b/"q'$x{y}%25/é\\z`).pathname,
  method: 'patch',
  preflight: true,
  allowMethods: ['patch'],
  allowHeaders: [`x-a'b$%*|^~!#&+.\``, 'x-z'],
  credentials: true,
};
/** The same with line breaks and characters beyond ASCII, for the parsers only (no server would send them). */
const HOSTILE_LINES: CorsPolicy = { ...HOSTILE, origin: `${HOSTILE.origin}é😀\u2028\r\n<evil>`, allowHeaders: [...HOSTILE.allowHeaders, 'x-\n}\n'] };

const GENERATORS: Record<'apache' | 'caddy' | 'django' | 'flask' | 'go', SnippetGenerator> = { apache, caddy, django, flask, go };
const CREDENTIALS_ON = /Allow-Credentials|CREDENTIALS = True|supports_credentials=True|AllowCredentials:\s+true/;

function python(script: string, input: unknown): unknown {
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe.each(Object.entries(GENERATORS))('%s', (server, generate) => {
  it('allows only the policy origin, method and header, and credentials only when needed', () => {
    const { code } = generate(PUT);
    expect(code).not.toMatch(/["'`]\*["'`]|ALLOW_ALL|AllowAll/);
    expect(code).not.toMatch(/\b(GET|POST|DELETE|PATCH|HEAD)\b/);
    expect(code).not.toMatch(/content-type|authorization|x-requested-with|\baccept\b/i);
    expect(code).toContain('x-request-id');
    expect(code).not.toMatch(CREDENTIALS_ON);
    expect(generate(CREDENTIALED).code).toMatch(CREDENTIALS_ON);
    expect(generate(SIMPLE_GET).code).not.toContain('x-request-id');
  });

  it('keeps a line break in the origin from starting a new line', () => {
    const { code, notes } = generate(HOSTILE_LINES);
    // What follows the line break stays on the line of the origin's start (raw, escaped or as a regex).
    const lines = code.split('\n').filter((l) => l.includes('<evil>') || l.includes('\\x3cevil'));
    expect(lines.length, server).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/a\\?\.example/);
    expect(code).not.toContain('\r');
    expect(notes.join('\n')).not.toContain('<evil>');
  });
});

describe('django', () => {
  // What corsheaders reads: the settings after the snippet runs at the end of a startproject settings.py.
  const READ = `import json, re, sys
d = json.load(sys.stdin)
ns = {'INSTALLED_APPS': ['django.contrib.admin'], 'MIDDLEWARE': ['django.middleware.security.SecurityMiddleware', 'django.middleware.common.CommonMiddleware']}
exec(d['code'], ns)
print(json.dumps({k: v for k, v in ns.items() if k.isupper()} | {'matches': [bool(re.match(ns['CORS_URLS_REGEX'], p)) for p in d['paths']]}))`;

  it.each([['plain', PUT], ['hostile', HOSTILE_LINES]] as const)('settings hold exactly the %s policy', (_, policy) => {
    const path = decodeURIComponent(policy.path);
    const settings = python(READ, { code: django(policy).code, paths: [path, `${path}/x`, `/x${path}`] });
    expect(settings).toEqual({
      INSTALLED_APPS: ['django.contrib.admin', 'corsheaders'],
      MIDDLEWARE: ['corsheaders.middleware.CorsMiddleware', 'django.middleware.security.SecurityMiddleware', 'django.middleware.common.CommonMiddleware'],
      CORS_ALLOWED_ORIGINS: [policy.origin],
      CORS_URLS_REGEX: expect.any(String),
      CORS_ALLOW_METHODS: policy.allowMethods,
      CORS_ALLOW_HEADERS: policy.allowHeaders,
      CORS_ALLOW_CREDENTIALS: policy.credentials,
      matches: [true, false, false],
    });
  });

  it('sets every list explicitly, empty ones included (the package defaults are broad)', () => {
    expect(django(SIMPLE_GET).code).toMatch(/^CORS_ALLOW_METHODS = \[\]$/m);
    expect(django(SIMPLE_GET).code).toMatch(/^CORS_ALLOW_HEADERS = \[\]$/m);
  });
});

describe('flask', () => {
  // The real flask-cors on a real Flask app, through Werkzeug's test client: what the browser would get.
  const ASK = `import json, sys
from flask import Flask
d = json.load(sys.stdin)
app = Flask(__name__)
app.add_url_rule(d['path'], 'v', lambda: 'ok', methods=[d['method']])
exec(d['code'], {'app': app})
c = app.test_client()
out = {}
for name, origin in (('allowed', d['origin']), ('foreign', 'https://evil.example')):
    pre = c.open(d['url'], method='OPTIONS', headers={'Origin': origin, 'Access-Control-Request-Method': d['method'], 'Access-Control-Request-Headers': d['headers']})
    act = c.open(d['url'], method=d['method'], headers={'Origin': origin})
    out[name] = {'preflight': dict(pre.headers), 'actual': dict(act.headers)}
print(json.dumps(out))`;

  function ask(policy: CorsPolicy, headers: string): Record<'allowed' | 'foreign', Record<'preflight' | 'actual', Record<string, string>>> {
    const path = decodeURIComponent(policy.path);
    return python(ASK, { code: flask(policy).code, path, url: policy.path, method: policy.method, origin: policy.origin, headers }) as ReturnType<typeof ask>;
  }

  it('answers the one origin with exactly its headers and Vary: Origin, and another origin with nothing', () => {
    const got = ask(CREDENTIALED, 'x-request-id, x-other');
    expect(got.allowed.preflight).toMatchObject({
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Methods': 'PUT',
      'Access-Control-Allow-Headers': 'x-request-id',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    expect(got.allowed.actual).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.example', Vary: 'Origin' });
    expect(Object.keys(got.foreign.preflight).filter((h) => h.startsWith('Access-Control'))).toEqual([]);
    expect(Object.keys(got.foreign.actual).filter((h) => h.startsWith('Access-Control'))).toEqual([]);
  });

  it('matches a hostile origin and header name literally, never as a regex', () => {
    const policy = { ...HOSTILE, method: 'PATCH', allowMethods: ['PATCH'] };
    const got = ask(policy, `${HOSTILE.allowHeaders[0]}, x-a'b`);
    expect(got.allowed.preflight['Access-Control-Allow-Origin']).toBe(policy.origin);
    expect(got.allowed.preflight['Access-Control-Allow-Headers']).toBe(HOSTILE.allowHeaders[0]);
  });

  it('parses with a line break in every value', () => {
    expect(() => execFileSync(PYTHON, ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: flask(HOSTILE_LINES).code })).not.toThrow();
  });
});

describe('go', () => {
  it('is gofmt-formatted, and still parses with hostile values', () => {
    for (const policy of [PUT, SIMPLE_GET, CREDENTIALED]) {
      const code = `${go(policy).code}\n`;
      expect(execFileSync('gofmt', { input: code, encoding: 'utf8' })).toBe(code);
    }
    expect(() => execFileSync('gofmt', ['-e'], { input: go(HOSTILE_LINES).code, stdio: ['pipe', 'ignore', 'pipe'] })).not.toThrow();
  });

  it('never leaves AllowedHeaders empty (rs/cors would allow Accept, Content-Type, X-Requested-With)', () => {
    expect(go(SIMPLE_GET).code).toMatch(/AllowedHeaders:\s+\[\]string\{"Origin"\}/);
  });

  it('says when rs/cors can never allow a header name, and for a lower-case method', () => {
    const notes = go(HOSTILE).notes.join('\n');
    expect(notes).toContain('never allows "x-a\'b$%*|^~!#&+.`"');
    expect(notes).toContain('"patch"');
    expect(go(PUT).notes.join('\n')).not.toMatch(/never allows|"PUT"/);
  });

  it('lists the request method itself (rs/cors refuses unlisted actual requests)', () => {
    expect(go(SIMPLE_GET).code).toMatch(/AllowedMethods:\s+\[\]string\{"GET"\}/);
  });
});

describe('apache', () => {
  function syntax(code: string): string {
    const conf = join(dir, 'httpd.conf');
    const modules = ['mpm_prefork', 'authz_core', 'headers', 'rewrite'];
    writeFileSync(
      conf,
      [
        `ServerRoot "${dir}"`,
        'ServerName 127.0.0.1',
        'Listen 127.0.0.1:9',
        `ErrorLog "${join(dir, 'error.log')}"`,
        ...modules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
        '<VirtualHost 127.0.0.1:9>',
        code,
        '</VirtualHost>',
      ].join('\n'),
    );
    const r = spawnSync('/usr/sbin/apache2', ['-t', '-f', conf], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.trim();
  }

  it.each([['plain', PUT], ['credentialed', CREDENTIALED], ['simple', SIMPLE_GET], ['hostile', HOSTILE_LINES]] as const)('passes apache2 -t (%s)', (_, policy) => {
    expect(syntax(apache(policy).code)).toBe('Syntax OK');
  });

  it('answers the preflight itself only when there is one', () => {
    expect(apache(PUT).code).toMatch(/RewriteRule "\^\/api\/orders\/42\$" - \[R=204,L\]/);
    expect(apache(SIMPLE_GET).code).not.toContain('Rewrite');
  });
});

describe('caddy', () => {
  /** The header values Caddy would send, as `caddy adapt` reads them. */
  function headerValues(code: string): Record<string, string[]> {
    const file = join(dir, 'Caddyfile');
    writeFileSync(file, `{\n\tadmin off\n}\nhttp://127.0.0.1:9 {\n${code}\n}\n`);
    const json = execFileSync('/usr/bin/caddy', ['adapt', '--config', file, '--adapter', 'caddyfile'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const values: Record<string, string[]> = {};
    JSON.parse(json, (key: string, value: unknown) => {
      if (key.startsWith('Access-Control') && Array.isArray(value)) values[key] = value as string[];
      return value;
    });
    return values;
  }

  it('sends exactly the policy values', () => {
    expect(headerValues(caddy(CREDENTIALED).code)).toEqual({
      'Access-Control-Allow-Origin': ['https://app.example'],
      'Access-Control-Allow-Credentials': ['true'],
      'Access-Control-Allow-Methods': ['PUT'],
      'Access-Control-Allow-Headers': ['x-request-id'],
    });
  });

  it('keeps hostile values inside their tokens (braces escaped for the replacer, the origin echoed when {$ would expand)', () => {
    const values = headerValues(caddy(HOSTILE_LINES).code);
    expect(values['Access-Control-Allow-Origin']).toEqual(['{http.request.header.Origin}']);
    expect(values['Access-Control-Allow-Methods']).toEqual(['patch']);
    // Caddy's replacer turns the escaped braces back when it sends the header.
    expect(values['Access-Control-Allow-Headers']).toEqual([HOSTILE_LINES.allowHeaders.join(', ').replace(/[{}]/g, '\\$&')]);
  });
});
