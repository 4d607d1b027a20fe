// Build settings for both browsers (used by scripts/build.ts) and the vitest projects (the default export).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { buildManifest, type BaseManifest, type TargetBrowser } from './src/build/manifest.ts';

export const projectRoot = dirname(fileURLToPath(import.meta.url));

export function outDir(browser: TargetBrowser): string {
  return join(projectRoot, 'dist', browser);
}

function defines(browser: TargetBrowser): Record<string, string> {
  return { __BROWSER__: JSON.stringify(browser) };
}

/**
 * Moves emitted HTML from `src/<area>/x.html` to the root of dist, where the manifest (`devtools_page`) and
 * `panels.create` expect it. Safe because `base: '/'` makes every URL inside the HTML absolute.
 */
function htmlAtRoot(): Plugin {
  return {
    name: 'corsight:html-at-root',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const [key, file] of Object.entries(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
        const flat = file.fileName.slice(file.fileName.lastIndexOf('/') + 1);
        if (flat === file.fileName) continue;
        delete bundle[key];
        this.emitFile({ type: 'asset', fileName: flat, source: file.source });
      }
    },
  };
}

/**
 * Removes the one raw-HTML sink in the bundle: Preact's `dangerouslySetInnerHTML` assignment. Corsight shows header
 * values chosen by arbitrary servers and must never render markup, and addons-linter flags the assignment
 * (UNSAFE_VAR_ASSIGNMENT, no inline suppression), which would fail `web-ext lint --warnings-as-errors`. The prop
 * now throws instead. The build fails if the pattern is not found exactly once, so a Preact update cannot silently
 * bring the sink back or break this rewrite.
 */
function noRawHtmlSink(): Plugin {
  const sink = /\(([\w$]+)\.innerHTML=([\w$]+)\.__html\)/g;
  return {
    name: 'corsight:no-raw-html-sink',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/.test(id)) return null;
      const hits = code.match(sink)?.length ?? 0;
      if (hits !== 1) {
        this.error(`expected exactly one innerHTML assignment in ${id}, found ${hits}: update noRawHtmlSink()`);
      }
      const refusal = '((()=>{throw new Error("Corsight never renders raw HTML: dangerouslySetInnerHTML is disabled")})())';
      return { code: code.replace(sink, refusal), map: null };
    },
  };
}

function manifestFile(base: BaseManifest, browser: TargetBrowser, version: string): Plugin {
  return {
    name: 'corsight:manifest',
    generateBundle() {
      const manifest = buildManifest(base, browser, version);
      this.emitFile({ type: 'asset', fileName: 'manifest.json', source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
  };
}

/** Build 1 of 2: the extension pages (devtools.html, panel.html), public/ and manifest.json. Empties the folder. */
export function pagesConfig(base: BaseManifest, browser: TargetBrowser, version: string): InlineConfig {
  return {
    configFile: false,
    root: projectRoot,
    base: '/',
    mode: 'production',
    logLevel: 'warn',
    define: defines(browser),
    plugins: [preact(), noRawHtmlSink(), htmlAtRoot(), manifestFile(base, browser, version)],
    publicDir: join(projectRoot, 'public'),
    build: {
      outDir: outDir(browser),
      emptyOutDir: true,
      // MV3's CSP allows no inline script; Vite's modulepreload polyfill is not needed by either browser anyway.
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: {
          devtools: join(projectRoot, 'src/devtools/devtools.html'),
          panel: join(projectRoot, 'src/panel/panel.html'),
        },
      },
    },
  };
}

/**
 * Build 2 of 2: background.js as one self-contained classic script. It is a separate build because the pages build
 * shares chunks through `import`, which neither Chrome's classic service worker nor Firefox's `background.scripts`
 * can load; an IIFE has no imports and no code splitting.
 */
export function backgroundConfig(browser: TargetBrowser): InlineConfig {
  return {
    configFile: false,
    root: projectRoot,
    mode: 'production',
    logLevel: 'warn',
    define: defines(browser),
    publicDir: false,
    build: {
      outDir: outDir(browser),
      emptyOutDir: false,
      lib: {
        entry: join(projectRoot, 'src/background/main.ts'),
        formats: ['iife'],
        name: 'corsightBackground',
        fileName: () => 'background.js',
      },
    },
  };
}

/** The `corsight` command (package.json "bin"): the pure engine plus node:fs, one ES module for Node with a shebang. */
export function cliConfig(version: string, dir = join(projectRoot, 'dist', 'cli')): InlineConfig {
  return {
    configFile: false,
    root: projectRoot,
    mode: 'production',
    logLevel: 'warn',
    define: { __CORSIGHT_VERSION__: JSON.stringify(version) },
    publicDir: false,
    build: {
      outDir: dir,
      emptyOutDir: true,
      ssr: join(projectRoot, 'src/cli/corsight.ts'),
      rolldownOptions: { output: { entryFileNames: 'corsight.js', banner: '#!/usr/bin/env node' } },
    },
  };
}

// Vitest reads this. Unit tests see the Chrome build's constants.
export default defineConfig({
  define: defines('chrome'),
  plugins: [preact()],
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'panel',
          // The panel's components in a DOM without a browser, fed through the real in-memory transport.
          include: ['test/panel/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['test/panel/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          environment: 'node',
          // Real browsers, real network: one file at a time, and generous limits for launch plus many scenarios.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'snippets',
          // Each server snippet Corsight generates, run on the real server (Node apps, nginx…) and replayed in Chromium.
          include: ['test/snippets/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'extension',
          include: ['test/extension/**/*.test.ts'],
          environment: 'node',
          // Loads dist/ (npm test builds first) into real browsers.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // The demo gallery through the built extension: Chromium (panel as a tab and inside DevTools), Firefox ESR (the
          // full-tab panel against Firefox's console reasons), hostile
          // headers, the export. One browser at a time: two cores, and each file launches its own.
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
