// Go (Debian's golang-go with golang-github-rs-cors-dev, GOPATH mode): the generated cors.go next to a main.go
// whose handler for the policy's path is wrapped by it, built and run as one binary.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodedPath } from '../../../src/core/snippets/literals.ts';
import { freePort, startProcess } from '../harness.ts';
import type { SnippetRunner } from './types.ts';

const GO = process.env.GO_PATH ?? '/usr/bin/go';
const GOPATH = '/usr/share/gocode';
/** Shared by every build of the run (and the next run): only the first one compiles rs/cors. */
const GOCACHE = join(tmpdir(), 'corsight-go-cache');

// Address and path come as arguments, so nothing of the policy is spliced into Go source here.
const MAIN = `package main

import (
	"net/http"
	"os"
)

func main() {
	path := os.Args[2]
	mux := http.NewServeMux()
	mux.Handle(path, withCORS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(\`{"ok":true}\`))
	})))
	panic(http.ListenAndServe(os.Args[1], mux))
}
`;

export const goRunner: SnippetRunner = {
  server: 'go',
  unavailable() {
    try {
      accessSync(GO, constants.X_OK);
      accessSync(join(GOPATH, 'src/github.com/rs/cors/cors.go'));
      return null;
    } catch {
      return `Go or rs/cors is not installed (${GO}, ${GOPATH}/src/github.com/rs/cors; sudo apt-get install golang-go golang-github-rs-cors-dev; see .ci/run)`;
    }
  },
  async start(snippet, policy) {
    const dir = mkdtempSync(join(tmpdir(), 'corsight-go-'));
    writeFileSync(join(dir, 'main.go'), MAIN);
    writeFileSync(join(dir, 'cors.go'), snippet.code);
    mkdirSync(GOCACHE, { recursive: true });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GO111MODULE: 'off', GOPATH, GOCACHE, GOFLAGS: '' };
    await promisify(execFile)(GO, ['build', '-o', 'app', '.'], { cwd: dir, env, timeout: 240_000 });
    const port = await freePort();
    return startProcess(join(dir, 'app'), [`127.0.0.1:${port}`, decodedPath(policy.path)], port, dir);
  },
  refusesMethod: (method) => (method === method.toUpperCase() ? null : `rs/cors 1.7 sends Access-Control-Allow-Methods upper-case, never "${method}"`),
};
