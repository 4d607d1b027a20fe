// Hostile policy values on the real servers: an origin and header name full of quotes, braces, `$`, `%` and
// backticks must come back byte for byte from the server running the generated snippet, and only for that origin
// and that path.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GENERATORS } from '../../src/core/snippets/index.ts';
import type { CorsPolicy } from '../../src/core/snippets/types.ts';
import { apacheRunner } from './runners/apache.ts';
import { caddyRunner } from './runners/caddy.ts';
import { djangoRunner } from './runners/django.ts';
import { flaskRunner } from './runners/flask.ts';
import { goRunner } from './runners/go.ts';

const POLICY: CorsPolicy = {
  origin: `https://a.example'"\\%{x}e$1{$HOME}{y}\`> 5`,
  url: 'https://api.example/x',
  path: new URL(`https://api.example/a b/"q'$x{y}%25/é`).pathname,
  method: 'PATCH',
  preflight: true,
  allowMethods: ['PATCH'],
  allowHeaders: [`x-a'b$%*|^~!#&+.\``],
  credentials: true,
};

type Headers = Record<string, string | string[] | undefined>;

function send(url: string, method: string, headers: Record<string, string>): Promise<{ status: number; headers: Headers }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject).end();
  });
}

describe.each([apacheRunner, caddyRunner, djangoRunner, flaskRunner, goRunner])('$server', (runner) => {
  it('answers the hostile origin with itself, and neither its prefix nor an extension of it', async () => {
    expect(runner.unavailable()).toBeNull();
    // rs/cors keeps only letters, digits, "-" and "_" of a requested header name (its snippet's notes say so).
    const policy = runner.server === 'go' ? { ...POLICY, allowHeaders: ['x-a_b-9'] } : POLICY;
    const server = await runner.start({ ...GENERATORS[runner.server](policy), proven: true }, policy);
    try {
      const url = `${server.baseUrl}${POLICY.path}`;
      const preflight = (origin: string): ReturnType<typeof send> =>
        send(url, 'OPTIONS', { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': policy.allowHeaders[0]! });
      const pre = await preflight(POLICY.origin);
      expect(pre.status).toBeLessThan(300);
      expect(pre.headers['access-control-allow-origin']).toBe(POLICY.origin);
      expect(pre.headers['access-control-allow-methods']).toBe('PATCH');
      expect(String(pre.headers['access-control-allow-headers']).toLowerCase()).toBe(policy.allowHeaders[0]);
      expect(pre.headers['access-control-allow-credentials']).toBe('true');
      const actual = await send(url, 'PATCH', { origin: POLICY.origin });
      expect(actual.status).toBe(200);
      expect(actual.headers['access-control-allow-origin']).toBe(POLICY.origin);
      // Neither the path with a line break after it (a bare `$` in PCRE and Python also matches before a final "\n").
      const nearby = await send(`${url}%0A`, 'PATCH', { origin: POLICY.origin });
      expect(nearby.headers['access-control-allow-origin'], `${POLICY.path}%0A`).toBeUndefined();
      for (const other of ['https://a.example', `${POLICY.origin}x`]) {
        expect((await preflight(other)).headers['access-control-allow-origin'], other).toBeUndefined();
        expect((await send(url, 'PATCH', { origin: other })).headers['access-control-allow-origin'], other).toBeUndefined();
      }
    } finally {
      await server.stop();
    }
  });
});
