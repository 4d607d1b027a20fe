// buildManifest: the manifest each browser gets from the one manifest.json (a wrong key means the extension won't install).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildManifest, GECKO_ID, parseBaseManifest, type BaseManifest } from '../../src/build/manifest.ts';

const base = parseBaseManifest(JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')));

describe('buildManifest for Chrome', () => {
  const m = buildManifest(base, 'chrome', '1.2.3');

  it('keeps the MV3 service worker and has no Firefox settings', () => {
    expect(m.background).toEqual({ service_worker: 'background.js' });
    expect(m.browser_specific_settings).toBeUndefined();
  });

  it('takes the version from the caller and keeps everything else from manifest.json', () => {
    expect(m.version).toBe('1.2.3');
    expect(m.manifest_version).toBe(3);
    expect(m.name).toBe('Corsight');
    expect(m.permissions).toEqual(['webRequest', 'storage', 'declarativeNetRequestWithHostAccess']);
    expect(m.host_permissions).toEqual(['<all_urls>']);
    expect(m.devtools_page).toBe('devtools.html');
    expect(Object.keys(m.icons).sort()).toEqual(['128', '16', '32', '48']);
  });
});

describe('buildManifest for Firefox', () => {
  const m = buildManifest({ ...base, version_name: '1.2.3 beta' }, 'firefox', '1.2.3');

  it('replaces service_worker with background.scripts (Firefox rejects a service_worker-only manifest)', () => {
    expect(m.background).toEqual({ scripts: ['background.js'] });
  });

  it('adds the gecko id, the minimum version and the data collection declaration', () => {
    expect(m.browser_specific_settings).toEqual({
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
    });
    expect(GECKO_ID).toBe('corsight@corsight.dev');
  });

  it('drops version_name and keeps the version', () => {
    expect(m).not.toHaveProperty('version_name');
    expect(m.version).toBe('1.2.3');
  });

  it('keeps permissions, the DevTools page and the icons', () => {
    expect(m.permissions).toEqual(['webRequest', 'storage', 'declarativeNetRequestWithHostAccess']);
    expect(m.host_permissions).toEqual(['<all_urls>']);
    expect(m.devtools_page).toBe('devtools.html');
    expect(m.icons).toEqual(base.icons);
  });
});

describe('buildManifest purity', () => {
  it('returns new objects and leaves the base untouched', () => {
    const snapshot = structuredClone(base);
    const chrome = buildManifest(base, 'chrome', '9.9.9');
    const firefox = buildManifest(base, 'firefox', '9.9.9');
    chrome.permissions.push('tabs');
    firefox.icons['16'] = 'changed.png';
    expect(base).toEqual(snapshot);
  });
});

describe('parseBaseManifest', () => {
  it('rejects a manifest that already carries Firefox settings or lacks the service worker', () => {
    const { background: _dropped, ...noBackground } = base;
    expect(() => parseBaseManifest(noBackground)).toThrow(/background\.service_worker/);
    const withGecko: BaseManifest & { browser_specific_settings: object } = { ...base, browser_specific_settings: {} };
    expect(() => parseBaseManifest(withGecko)).toThrow(/browser_specific_settings/);
  });
});
