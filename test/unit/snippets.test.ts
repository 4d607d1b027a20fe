// The server snippets: the policy Corsight reads off recorded blocked Chromium exchanges, least privilege in every
// generator, and values that cannot break out of the string literals they are written into.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToRegexp } from 'path-to-regexp';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/capture/correlate.ts';
import { diagnose } from '../../src/core/diagnose.ts';
import { expressPath, javaString, PLACEHOLDER_MARK } from '../../src/core/snippets/common.ts';
import { GENERATORS, PROVEN_SERVERS, SERVER_IDS, snippetsFor } from '../../src/core/snippets/index.ts';
import { policyFromDiagnosis } from '../../src/core/snippets/policy.ts';
import type { CorsPolicy } from '../../src/core/snippets/types.ts';
import { loadRecording } from '../conformance/corpus.ts';

const rec = loadRecording('chrome')!;

function recordedPolicy(id: string): CorsPolicy | null {
  const fetch = rec.scenarios.find((s) => s.id === id)!.fetches[0]!;
  const ex = correlate(rec.browser, fetch.events)[0]!.exchange;
  return policyFromDiagnosis(ex, diagnose(ex));
}

describe('policyFromDiagnosis on recorded blocked Chromium exchanges', () => {
  it('asks for the preflight, the method and the header the request needs, without credentials it did not see', () => {
    const p = recordedPolicy('preflight-acah-missing')!;
    expect(p).toEqual({
      origin: rec.origins.page,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/s\/preflight-acah-missing\//),
      path: new URL(p.url).pathname,
      method: 'PUT',
      preflight: true,
      allowMethods: ['PUT'],
      allowHeaders: ['x-foo'],
      credentials: false,
    });
  });

  it('allows credentials when the request carried them, and no preflight for a simple GET', () => {
    expect(recordedPolicy('cred-acac-missing')).toMatchObject({ method: 'GET', preflight: false, allowMethods: [], allowHeaders: [], credentials: true });
  });

  it('keeps a lower-case method byte for byte, as Access-Control-Allow-Methods compares it', () => {
    expect(recordedPolicy('trigger-patch-lowercase-no-preflight-answer')).toMatchObject({ method: 'patch', allowMethods: ['patch'] });
  });

  it('gives no policy when the fix is not about the endpoint\'s headers (user:pass redirect, origin "null")', () => {
    expect(recordedPolicy('redirect-userinfo-cross-origin')).toBeNull();
    expect(recordedPolicy('redirect-to-third-no-acao')).toBeNull();
  });

  it('never allows another origin than the page\'s, nor "*", for any recorded blocked exchange', () => {
    let policies = 0;
    for (const s of rec.scenarios) {
      for (const f of s.fetches) {
        for (const { exchange } of correlate(rec.browser, f.events)) {
          const d = diagnose(exchange);
          const p = d.verdict === 'blocked' ? policyFromDiagnosis(exchange, d) : null;
          if (!p) continue;
          policies++;
          expect(p.origin, s.id).toBe(rec.origins.page);
          expect([...p.allowMethods, ...p.allowHeaders], s.id).not.toContain('*');
        }
      }
    }
    expect(policies).toBeGreaterThan(100);
  });
});

const POLICY: CorsPolicy = {
  origin: 'https://app.corsight.test:8443',
  url: 'http://127.0.0.1:5174/api/orders/42',
  path: '/api/orders/42',
  method: 'PUT',
  preflight: true,
  allowMethods: ['PUT'],
  allowHeaders: ['x-corsight-token'],
  credentials: false,
};

/** Generators that write every value as a quoted string literal (others may use escaped patterns, e.g. regexes). */
const QUOTED_LITERALS = new Set(['express-cors', 'express', 'fastify', 'nginx', 'spring', 'aspnet']);

describe.each(SERVER_IDS)('%s snippet', (id) => {
  const snippet = GENERATORS[id](POLICY);

  it('allows only the policy\'s origin, method and header: no "*", no other method', () => {
    expect(snippet.server).toBe(id);
    // Verbatim, or as an anchored regular expression (dots escaped) for servers that match origins by pattern.
    expect([POLICY.origin, POLICY.origin.replaceAll('.', '\\.')].some((o) => snippet.code.includes(o))).toBe(true);
    expect(snippet.code).toContain('x-corsight-token');
    expect(snippet.code).toMatch(/\bPUT\b/);
    expect(snippet.code).not.toMatch(/\b(GET|HEAD|POST|DELETE|PATCH)\b/);
    expect(snippet.code).not.toMatch(/(^|[\s"'`([,=])\*(?=[\s"'`)\],]|$)/m);
  });

  it('allows credentials only when the policy needs them', () => {
    // Lines of code (not comments) that switch credentials on: `credentials: true`, `.AllowCredentials()`…
    const allowing = (code: string): string[] =>
      code.split('\n').filter((l) => !/^\s*(\/\/|#|\/?\*)/.test(l) && /credentials/i.test(l) && !/false/i.test(l));
    expect(allowing(snippet.code)).toEqual([]);
    expect(allowing(GENERATORS[id]({ ...POLICY, credentials: true }).code)).not.toEqual([]);
  });

  it('answers no preflight when none is needed', () => {
    const simple = GENERATORS[id]({ ...POLICY, method: 'GET', preflight: false, allowMethods: [], allowHeaders: [] }).code;
    expect(simple).not.toContain('x-corsight-token');
    expect(simple).not.toMatch(/Access-Control-Allow-Methods|Access-Control-Allow-Headers/i);
  });

  it('marks at most one line for the user to replace with their handler (the proof fills exactly that line)', () => {
    expect(snippet.code.split('\n').filter((l) => l.includes(PLACEHOLDER_MARK)).length).toBeLessThanOrEqual(1);
  });

  it('keeps hostile values inside their string literals', () => {
    const hostile: CorsPolicy = {
      ...POLICY,
      origin: 'http://evil.test"\'`;\n}) BREAKOUT1(); ${x} $y \\ //',
      allowHeaders: ["x-a$b'c\"BREAKOUT2"],
      credentials: true,
    };
    const code = GENERATORS[id](hostile).code;
    // The value's line break never reaches the code raw, so it cannot end a literal, a comment or a directive.
    expect(code).not.toContain('\n}) BREAKOUT1');
    if (QUOTED_LITERALS.has(id)) {
      // Removing every quoted literal (with its backslash escapes) must remove the payload with it.
      const outside = code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '');
      expect(outside).not.toMatch(/BREAKOUT/);
    }
  });
});

describe.each(['express-cors', 'express', 'fastify'] as const)('%s snippet as JavaScript', (id) => {
  it('parses, and holds the hostile origin and header name as exact string values', () => {
    const origin = 'http://evil.test"\'`;\n}) x(); ${y} \\ \u2028 …';
    const header = "x-a$b'c\"d";
    const code = GENERATORS[id]({ ...POLICY, origin, allowHeaders: [header] }).code;
    const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: 'snippet.mjs' });
    expect(out.diagnostics ?? []).toEqual([]);
    const strings: string[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isStringLiteral(n)) strings.push(n.text);
      ts.forEachChild(n, visit);
    };
    visit(ts.createSourceFile('snippet.mjs', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS));
    expect(strings).toContain(origin);
    expect(strings).toContain(header);
    expect(code.split('\n').filter((l) => l.includes(PLACEHOLDER_MARK))).toHaveLength(1);
  });
});

it('warns that a proxy in front of the app doubles an Access-Control-Allow-Origin the app already sends', () => {
  for (const id of ['nginx', 'apache', 'caddy'] as const) {
    expect(GENERATORS[id](POLICY).notes.join('\n'), id).toMatch(/two Access-Control-Allow-Origin values fail/);
  }
});

it('says that a Go ServeMux pattern ending in "/" would give every path below it CORS', () => {
  expect(GENERATORS.go(POLICY).notes.join('\n')).not.toContain('every path below it');
  const notes = GENERATORS.go({ ...POLICY, path: '/api/orders/' }).notes.join('\n');
  expect(notes).toContain('every path below it');
  expect(notes).toContain('"/api/orders/{$}"');
});

it('writes an Express route path that matches exactly the policy\'s path (Express 5\'s path-to-regexp; Express 4\'s regex syntax escaped)', () => {
  for (const path of ['/a|b/.x$^', '/:id', '/*', '/a(b)+c?!', '/a[b]', "/a'b%22c", '/a\\b']) {
    const literal = JSON.parse(expressPath(path)) as string;
    const { regexp } = pathToRegexp(literal);
    expect(regexp.test(path), path).toBe(true);
    expect(regexp.test(`${path}x`), path).toBe(false);
    expect(regexp.test('/a'), path).toBe(false);
    // path-to-regexp 0.1 (Express 4) splices the literal into a regex: no bare `|`, `^` or `$` may be left in it.
    expect(literal.replace(/\\./g, ''), path).not.toMatch(/[|^$]/);
  }
});

it('sends Vary: Origin from ASP.NET Core itself: its CORS middleware omits it for a single origin', () => {
  const snippet = GENERATORS.aspnet(POLICY);
  const handler = snippet.code.slice(snippet.code.indexOf('app.MapMethods('));
  expect(handler).toContain('context.Response.Headers.Append("Vary", "Origin");');
  expect(snippet.notes.join('\n')).not.toMatch(/middleware[^.]*adds Vary/);
});

it('writes Java string literals that javac reads back byte for byte (Spring; C# reads the same escapes)', async () => {
  // No Spring application can be built here, but the literal itself can: javac turns \u000a into a line break.
  const values = ['http://evil.test"\'`;\n}) x(); ${y} \\ \\u0022', 'a\rb\tc\u0001\u007f é 🦀 \u2028 …'];
  const dir = mkdtempSync(join(tmpdir(), 'corsight-java-'));
  try {
    writeFileSync(join(dir, 'L.java'), [
      'public class L { public static void main(String[] a) throws Exception {',
      ...values.map((v) => `  System.out.write(${javaString(v)}.getBytes("UTF-8")); System.out.write(0);`),
      '  System.out.flush(); } }',
    ].join('\n'));
    await promisify(execFile)('javac', ['-encoding', 'US-ASCII', 'L.java'], { cwd: dir, timeout: 60_000 });
    const { stdout } = await promisify(execFile)('java', ['-cp', dir, 'L'], { encoding: 'buffer', timeout: 60_000 });
    expect(stdout.toString('utf8').split('\0').slice(0, -1)).toEqual(values);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('offers a snippet for every server, proven ones marked', () => {
  const all = snippetsFor(POLICY);
  expect(all.map((s) => s.server)).toEqual(SERVER_IDS);
  expect(SERVER_IDS).toHaveLength(11);
  expect(all.filter((s) => s.proven).map((s) => s.server)).toEqual(SERVER_IDS.filter((id) => PROVEN_SERVERS.has(id)));
});
