// Derives each browser's manifest from the one top-level manifest.json; the only place that knows their differences.

export type TargetBrowser = 'chrome' | 'firefox';

/** The top-level manifest.json: MV3 in Chrome's shape, no version (package.json owns it), no browser-specific keys. */
export interface BaseManifest {
  manifest_version: 3;
  name: string;
  description: string;
  version?: string;
  version_name?: string;
  permissions: string[];
  host_permissions: string[];
  background: { service_worker: string };
  devtools_page: string;
  action: { default_title: string; default_icon: Record<string, string> };
  icons: Record<string, string>;
}

export interface GeckoSettings {
  id: string;
  strict_min_version: string;
  data_collection_permissions: { required: string[] };
}

export type BuiltManifest = Omit<BaseManifest, 'background' | 'version'> & {
  version: string;
  background: { service_worker: string } | { scripts: string[] };
  browser_specific_settings?: { gecko: GeckoSettings };
};

export const GECKO_ID = 'corsight@corsight.dev';

/**
 * Why each Firefox key:
 * - `background.scripts`: Firefox 153 refuses to install a manifest whose background is only `service_worker`, and
 *   lints a manifest with both keys as BACKGROUND_SERVICE_WORKER_IGNORED, so Firefox gets `scripts` alone.
 * - `gecko.id`: a stable id for storage and for installing the same add-on again.
 * - `data_collection_permissions`: required for a clean `web-ext lint`; Corsight sends nothing anywhere. It is only
 *   understood from Firefox 142, hence `strict_min_version`.
 * - no `version_name`: Chrome's display label. Firefox 153's manifest schema has no such key (Firefox reports
 *   unexpected manifest properties when installing), so it is dropped, as WXT does.
 */
export function buildManifest(base: BaseManifest, browser: TargetBrowser, version: string): BuiltManifest {
  // structuredClone: the caller's object (often the imported JSON module) must stay untouched.
  const { background, version: _baseVersion, ...rest } = structuredClone(base);
  // Spreading after `manifest_version`/`name` keeps `version` near the top of the written file, where people look.
  const head = { manifest_version: rest.manifest_version, name: rest.name, version };
  if (browser === 'chrome') {
    return { ...head, ...rest, background };
  }
  const { version_name: _chromeOnly, ...firefoxRest } = rest;
  return {
    ...head,
    ...firefoxRest,
    background: { scripts: [background.service_worker] },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}

/** Checks the parsed manifest.json so a missing or misspelt key fails the build instead of the install. */
export function parseBaseManifest(json: unknown): BaseManifest {
  if (typeof json !== 'object' || json === null) throw new Error('manifest.json: expected an object');
  const m = json as Record<string, unknown>;
  const problems: string[] = [];
  if (m['manifest_version'] !== 3) problems.push('manifest_version must be 3');
  for (const key of ['name', 'description', 'devtools_page'] as const) {
    if (typeof m[key] !== 'string') problems.push(`${key} must be a string`);
  }
  for (const key of ['permissions', 'host_permissions'] as const) {
    const v = m[key];
    if (!Array.isArray(v) || !v.every((p) => typeof p === 'string')) problems.push(`${key} must be a string array`);
  }
  const bg = m['background'];
  if (typeof bg !== 'object' || bg === null || typeof (bg as Record<string, unknown>)['service_worker'] !== 'string') {
    problems.push('background.service_worker must be a string (Chrome shape; Firefox is derived)');
  }
  if ('browser_specific_settings' in m) problems.push('browser_specific_settings belongs in buildManifest, not manifest.json');
  if (typeof m['action'] !== 'object' || m['action'] === null) problems.push('action must be an object');
  if (typeof m['icons'] !== 'object' || m['icons'] === null) problems.push('icons must be an object');
  if (problems.length) throw new Error(`manifest.json: ${problems.join('; ')}`);
  return json as BaseManifest;
}
