// Runs a Node snippet (Express or Fastify) verbatim inside a generated ES module, in its own child process.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerId, Snippet } from '../../../src/core/snippets/types.ts';
import { projectRoot } from '../../../vite.config.ts';
import { fillPlaceholder, freePort, startProcess, tempProject } from '../harness.ts';
import type { RunningServer, SnippetRunner } from './types.ts';

/** `head` creates `app`, `tail` listens on PORT (replaced by the port): the snippet sits between them as written. */
async function startNodeApp(snippet: Snippet, head: string[], handler: string[], tail: string[]): Promise<RunningServer> {
  const port = await freePort();
  const dir = tempProject(snippet.server);
  const source = [...head, '', fillPlaceholder(snippet.code, handler), '', ...tail.map((l) => l.replace('PORT', String(port)))].join('\n');
  writeFileSync(join(dir, 'server.mjs'), source);
  return startProcess(process.execPath, [join(dir, 'server.mjs')], port, dir);
}

/** A runner for a Node framework: `packages` must be installed (npm ci), the rest is the app around the snippet. */
export function nodeRunner(server: ServerId, packages: string[], head: string[], handler: string[], tail: string[]): SnippetRunner {
  return {
    server,
    unavailable() {
      const missing = packages.filter((p) => !existsSync(join(projectRoot, 'node_modules', p, 'package.json')));
      return missing.length === 0 ? null : `${missing.join(', ')} not installed: run npm ci`;
    },
    start: (snippet) => startNodeApp(snippet, head, handler, tail),
    // llhttp accepts only the methods it knows, in upper case.
    refusesMethod: (method) => (method === method.toUpperCase() ? null : `Node's HTTP parser answers 400 to the lower-case method "${method}"`),
  };
}

const EXPRESS_APP = ["import express from 'express';", 'const app = express();'];
const EXPRESS_HANDLER = ['res.json({ ok: true });'];
const EXPRESS_LISTEN = ["app.listen(PORT, '127.0.0.1');"];

export const expressApp = (server: 'express' | 'express-cors', packages: string[]): SnippetRunner =>
  nodeRunner(server, packages, EXPRESS_APP, EXPRESS_HANDLER, EXPRESS_LISTEN);
