// Build-time constants that vite.config.ts `define`s, declared for TypeScript.

/**
 * Which build this code is in. Prefer feature detection (src/platform/browser.ts); use this only for differences
 * that cannot be detected at run time.
 */
declare const __BROWSER__: 'chrome' | 'firefox';
